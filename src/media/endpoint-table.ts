/**
 * Announced endpoints by address and port: open addressing (linear probing, backward-shift
 * deletion) over one Int32Array of (entry number, hash) pairs. A look-up hashes the address's
 * characters with the port and compares hashes in the array, reading an entry's key only when its
 * hash matches (most announcements are of new endpoints: their probe reads no key at all). No
 * Map per port (a capture's calls use thousands of ports), no allocation. At most half full.
 *
 * Entries are numbers the owner allocates and keeps columns for; the table reads their keys back
 * through `addressOf` and `portOf`.
 */
const FIRST_BITS = 12;
const HASH_SEED = 0x811c9dc5;
const HASH_PRIME = 0x01000193;

export class EndpointTable {
  /** Per slot: entry number + 1 (0: empty), then the key's hash. */
  private slots = new Int32Array(2 << FIRST_BITS);
  private mask = (1 << FIRST_BITS) - 1;
  private count = 0;

  constructor(
    private readonly addressOf: (n: number) => string,
    private readonly portOf: (n: number) => number,
  ) {}

  get size(): number {
    return this.count;
  }

  /** The entry held for address:port, -1 for none. */
  get(address: string, port: number): number {
    return this.getHashed(address, port, hashOf(address, port));
  }

  /** get() with the key's hashOf() at hand (a look-up before a set hashes once). */
  getHashed(address: string, port: number, h: number): number {
    const slots = this.slots;
    for (let s = h & this.mask; ; s = (s + 1) & this.mask) {
      const n = slots[2 * s]!;
      if (n === 0) return -1;
      if (slots[2 * s + 1] !== h) continue;
      if (this.portOf(n - 1) === port && this.addressOf(n - 1) === address) return n - 1;
    }
  }

  /** Holds entry n under its address and port (whose hashOf() is h), in place of what was there. */
  set(n: number, h = hashOf(this.addressOf(n), this.portOf(n))): void {
    const slots = this.slots;
    const address = this.addressOf(n);
    const port = this.portOf(n);
    let s = h & this.mask;
    for (; slots[2 * s] !== 0; s = (s + 1) & this.mask) {
      if (slots[2 * s + 1] !== h) continue;
      const held = slots[2 * s]! - 1;
      if (this.portOf(held) === port && this.addressOf(held) === address) {
        slots[2 * s] = n + 1;
        return;
      }
    }
    slots[2 * s] = n + 1;
    slots[2 * s + 1] = h;
    if (++this.count * 4 > slots.length) this.grow();
  }

  delete(address: string, port: number): void {
    const slots = this.slots;
    const mask = this.mask;
    const h = hashOf(address, port);
    let i = h & mask;
    for (; ; i = (i + 1) & mask) {
      const n = slots[2 * i]!;
      if (n === 0) return;
      if (slots[2 * i + 1] !== h) continue;
      if (this.portOf(n - 1) === port && this.addressOf(n - 1) === address) break;
    }
    this.count--;
    // Backward shift: later pairs of the run whose home is not in (i, j] move into the hole.
    for (let j = i; ;) {
      j = (j + 1) & mask;
      if (slots[2 * j] === 0) break;
      const k = slots[2 * j + 1]! & mask;
      if (i <= j ? i < k && k <= j : i < k || k <= j) continue;
      slots[2 * i] = slots[2 * j]!;
      slots[2 * i + 1] = slots[2 * j + 1]!;
      i = j;
    }
    slots[2 * i] = 0;
  }

  private grow(): void {
    const old = this.slots;
    this.slots = new Int32Array(old.length * 2);
    this.mask = this.slots.length / 2 - 1;
    for (let s = 0; s < old.length; s += 2) {
      const n = old[s]!;
      if (n === 0) continue;
      const h = old[s + 1]!;
      let t = h & this.mask;
      while (this.slots[2 * t] !== 0) t = (t + 1) & this.mask;
      this.slots[2 * t] = n;
      this.slots[2 * t + 1] = h;
    }
  }
}

/** The table's hash of a key. */
export function hashOf(address: string, port: number): number {
  let h = HASH_SEED;
  for (let i = 0; i < address.length; i++) h = Math.imul(h ^ address.charCodeAt(i), HASH_PRIME);
  h = Math.imul(h ^ port, 0x9e3779b1);
  return h ^ (h >>> 15);
}
