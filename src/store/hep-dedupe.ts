/**
 * Pairs copies of one message seen through different capture points: a raw capture and its HEP
 * copy, or two HEP agents (a proxy and a B2BUA) that both saw the same packet. Identical bytes
 * (hash and length) from another node within ±2 s are one message; each copy is consumed by at
 * most one match, so genuine retransmissions, identical too, still count once per capture point.
 * Copies from the same node are never duplicates of each other.
 */

const WINDOW_MS = 2000;
/** Copies remembered; at high rates the oldest fall out before their 2 s are up. */
const CAPACITY = 4096;
/** Same-hash copies looked at per lookup (retransmissions of one message, a few nodes each). */
const CHAIN_STEPS = 16;

export class HepDedupe {
  private readonly hash = new Int32Array(CAPACITY);
  /** -1 marks an empty or already matched slot. */
  private readonly len = new Int32Array(CAPACITY).fill(-1);
  private readonly node = new Int32Array(CAPACITY);
  private readonly ts = new Float64Array(CAPACITY);
  /** The next older slot with the same hash (-1: none); links into reused slots are caught by the hash check. */
  private readonly prev = new Int32Array(CAPACITY).fill(-1);
  /** Hash → newest slot; kept only once a second node has been seen (one capture point has no duplicates). */
  private newest: Map<number, number> | undefined;
  private firstNode = -1;
  private next = 0;

  /**
   * True when this copy (captured at `ts`, ns) duplicates one already seen from another node;
   * otherwise remembers it. Takes the capture time as it comes: made a double here, it is not
   * boxed on its way in, for every message.
   */
  isDuplicate(hash: number, len: number, ts: bigint, node: number): boolean {
    const ms = Number(ts) / 1e6;
    if (this.firstNode < 0) this.firstNode = node;
    else if (this.newest === undefined && node !== this.firstNode) this.index();
    if (this.newest !== undefined && this.take(hash, len, ms, node)) return true;
    this.add(hash, len, ms, node);
    return false;
  }

  /** Consumes the closest-in-time copy from another node: retransmissions a second or two apart must pair with their own copy. */
  private take(hash: number, len: number, ms: number, node: number): boolean {
    let best = -1;
    let bestGap = WINDOW_MS;
    let s = this.newest!.get(hash) ?? -1;
    for (let step = 0; s >= 0 && step < CHAIN_STEPS && this.hash[s] === hash; step++, s = this.prev[s]) {
      const gap = Math.abs(this.ts[s] - ms);
      if (this.len[s] === len && this.node[s] !== node && gap <= bestGap) {
        best = s;
        bestGap = gap;
      }
    }
    if (best < 0) return false;
    this.len[best] = -1;
    return true;
  }

  private add(hash: number, len: number, ms: number, node: number): void {
    const s = this.next;
    this.next = (s + 1) % CAPACITY;
    const newest = this.newest;
    if (newest !== undefined) {
      // The slot's old copy leaves the index with it.
      if (newest.get(this.hash[s]) === s) newest.delete(this.hash[s]);
      this.prev[s] = newest.get(hash) ?? -1;
      newest.set(hash, s);
    }
    this.hash[s] = hash;
    this.len[s] = len;
    this.ts[s] = ms;
    this.node[s] = node;
  }

  /** A second node appeared: index the copies remembered so far, oldest first. */
  private index(): void {
    const newest = new Map<number, number>();
    for (let k = 0; k < CAPACITY; k++) {
      const s = (this.next + k) % CAPACITY;
      if (this.len[s] === -1) continue; // empty, or matched already
      this.prev[s] = newest.get(this.hash[s]) ?? -1;
      newest.set(this.hash[s], s);
    }
    this.newest = newest;
  }
}
