/**
 * The decoding thread's numbering of Call-IDs (decoded-records.ts): a new Call-ID takes the key
 * given longest ago, and the Call-ID that had it gets a new one if it comes back. A table of its
 * own instead of a Map: every message asks with a string just read from the packet, and a Map
 * looks it up through entries strewn over the heap; here hashes and keys lie in one small typed
 * array (probes compare numbers), and only a matching hash reads the Call-ID kept.
 */

const HASH_SEED = 0x811c9dc5 | 0;
const HASH_PRIME = 16777619;

export class CallKeys {
  /** Open addressing (linear probing) over (hash, key + 1) pairs, at most a quarter full: 0 a free slot, -1 a freed one. */
  private readonly slots: Int32Array;
  private readonly mask: number;
  /** Each key's Call-ID, slot and hash. */
  private readonly calls: string[] = [];
  private readonly slotOf: Int32Array;
  private readonly hashOf: Int32Array;
  /** The key the next new Call-ID takes. */
  private next = 0;
  private freed = 0;

  /** keys: how many there are (a power of two). */
  constructor(private readonly keys: number) {
    this.slots = new Int32Array(8 * keys);
    this.mask = 4 * keys - 1;
    this.slotOf = new Int32Array(keys);
    this.hashOf = new Int32Array(keys);
  }

  /** The key of a Call-ID, as -1 - key when it is new (its text goes with the record). */
  key(callId: string): number {
    let h = HASH_SEED;
    for (let i = 0; i < callId.length; i++) h = Math.imul(h ^ callId.charCodeAt(i), HASH_PRIME);
    const slots = this.slots;
    const mask = this.mask;
    let reuse = -1;
    let at = h & mask;
    for (;; at = (at + 1) & mask) {
      const k = slots[2 * at + 1]!;
      if (k === 0) break;
      if (k < 0) {
        if (reuse < 0) reuse = at;
      } else if (slots[2 * at] === h && this.calls[k - 1] === callId) {
        return k - 1;
      }
    }
    if (reuse >= 0) {
      at = reuse;
      this.freed--;
    }
    const key = this.next;
    this.next = (key + 1) % this.keys;
    if (key < this.calls.length) {
      slots[2 * this.slotOf[key]! + 1] = -1;
      this.freed++;
    }
    this.calls[key] = callId;
    this.hashOf[key] = h;
    this.place(key, at);
    // Freed slots make probes longer: past a quarter of the table they are cleared by placing every key again.
    if (this.freed > (this.mask + 1) >> 2) this.rebuild();
    return -1 - key;
  }

  private place(key: number, at: number): void {
    this.slots[2 * at] = this.hashOf[key]!;
    this.slots[2 * at + 1] = key + 1;
    this.slotOf[key] = at;
  }

  private rebuild(): void {
    const slots = this.slots;
    slots.fill(0);
    this.freed = 0;
    for (let key = 0; key < this.calls.length; key++) {
      let at = this.hashOf[key]! & this.mask;
      while (slots[2 * at + 1] !== 0) at = (at + 1) & this.mask;
      this.place(key, at);
    }
  }
}
