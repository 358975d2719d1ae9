const HASH_SEED = 0x811c9dc5;
const HASH_PRIME = 0x01000193;

/**
 * Strings of short byte runs that recur (addresses, node names), one copy each while it stays
 * cached: a direct-mapped cache of 2^bits slots, so a hit builds nothing and the memory is bounded.
 * The bytes are read as latin1.
 */
export class Latin1Cache {
  private readonly slots: string[];

  constructor(private readonly bits: number) {
    this.slots = new Array<string>(1 << bits).fill('');
  }

  /** The string of bytes buf[a, b). */
  text(buf: Buffer, a: number, b: number): string {
    let h = HASH_SEED;
    for (let i = a; i < b; i++) h = Math.imul(h ^ buf[i]!, HASH_PRIME);
    const slot = h >>> (32 - this.bits);
    const known = this.slots[slot]!;
    if (known.length === b - a) {
      let same = true;
      for (let i = 0; i < known.length; i++) {
        if (known.charCodeAt(i) !== buf[a + i]) {
          same = false;
          break;
        }
      }
      if (same) return known;
    }
    const s = buf.toString('latin1', a, b);
    this.slots[slot] = s;
    return s;
  }
}
