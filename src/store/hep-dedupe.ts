/**
 * Pairs a message captured raw with its HEP copy (or the reverse): identical bytes (hash and
 * length) within ±2 s, each copy consumed by at most one match, so genuine retransmissions, which
 * are identical too, still count once per raw/HEP pair.
 */

const WINDOW_MS = 2000;
/** Copies remembered per kind; at high rates the oldest fall out before their 2 s are up. */
const CAPACITY = 4096;

/** Recent copies of one kind (raw or HEP) in a ring. */
class RecentCopies {
  private readonly hash = new Int32Array(CAPACITY);
  /** -1 marks an empty or already matched slot. */
  private readonly len = new Int32Array(CAPACITY).fill(-1);
  private readonly ts = new Float64Array(CAPACITY);
  private next = 0;
  private filled = 0;

  add(hash: number, len: number, ms: number): void {
    this.hash[this.next] = hash;
    this.len[this.next] = len;
    this.ts[this.next] = ms;
    this.next = (this.next + 1) % CAPACITY;
    if (this.filled < CAPACITY) this.filled++;
  }

  /** Finds and consumes a copy with the same bytes within the window. */
  take(hash: number, len: number, ms: number): boolean {
    for (let i = 0; i < this.filled; i++) {
      if (this.hash[i] === hash && this.len[i] === len && Math.abs(this.ts[i] - ms) <= WINDOW_MS) {
        this.len[i] = -1;
        return true;
      }
    }
    return false;
  }

  get empty(): boolean {
    return this.filled === 0;
  }
}

export class HepDedupe {
  private readonly raw = new RecentCopies();
  private readonly hep = new RecentCopies();

  /** True when this copy duplicates one already seen through the other path; otherwise remembers it. */
  isDuplicate(hash: number, len: number, ms: number, viaHep: boolean): boolean {
    const other = viaHep ? this.raw : this.hep;
    if (!other.empty && other.take(hash, len, ms)) return true;
    (viaHep ? this.hep : this.raw).add(hash, len, ms);
    return false;
  }
}
