/**
 * The ascending order of every held dialog by a key that never changes once the dialog is open
 * (From, To, Call-ID, the From/To URIs: too many distinct strings to rank on every sort), kept
 * between sorts of a store. The first sort by such a key compares strings; later ones only sort
 * the dialogs that arrived since and merge them in, drop the ones that left, and pick the rows
 * asked for, so a live list sorted by Call-ID re-sorts in milliseconds, not seconds.
 */
import type { DialogId } from '../model/ids.js';
import { resultArray } from './column-sort.js';

/** The key of a held dialog (strings and numbers as the sort compares them). */
export type KeyAt = (id: DialogId) => string | number;

/** What the cache reads of the store: the held ids. */
export interface HeldRange {
  readonly firstId: DialogId;
  dialogCount(): number;
}

/** Sorts `ids` ascending by key, stable (the comparison sort of sort.ts). */
export type CompareSort = (ids: Uint32Array, keyAt: (k: number) => string | number) => Uint32Array;

export class SortCache {
  /** Held ids in [first, upTo), ascending by key, equal keys by id. */
  private order: Uint32Array = new Uint32Array(0);
  private first = 0;
  private upTo = 0;

  constructor(private readonly keyAt: KeyAt, private readonly compareSort: CompareSort) {}

  /** `ids` (held dialogs of `store`, or gone ones, which come first) ascending by key, stable; into `out` when given. */
  sort(store: HeldRange, ids: Uint32Array, out?: Uint32Array): Uint32Array {
    const first = store.firstId as number;
    const end = first + store.dialogCount();
    this.update(first, end);
    const held = end - first;
    // Every held dialog, in id order: the cache is the answer.
    const result = resultArray(ids.length, out);
    if (ids.length === held && (held === 0 || (ids[0] === first && ids[held - 1] === end - 1 && isRun(ids)))) {
      result.set(this.order);
      return result;
    }
    const times = new Uint8Array(held);
    let gone = 0;
    for (const id of ids) {
      if (id >= first && id < end) times[id - first]!++;
      else gone++;
    }
    let at = 0;
    if (gone > 0) for (const id of ids) if (id < first || id >= end) result[at++] = id;
    for (const id of this.order) for (let t = times[id - first]!; t > 0; t--) result[at++] = id;
    return result;
  }

  /** Drops ids below `first`, sorts and merges in [upTo, end). */
  private update(first: number, end: number): void {
    if (first > this.first) {
      this.order = this.order.filter((id) => id >= first);
      this.first = first;
    }
    const from = Math.max(this.upTo, first);
    if (end <= from) return;
    const fresh = new Uint32Array(end - from);
    for (let k = 0; k < fresh.length; k++) fresh[k] = from + k;
    const sorted = this.compareSort(fresh, (k) => this.keyAt(fresh[k] as DialogId));
    this.order = mergeOrders(this.order, sorted, (id) => this.keyAt(id as DialogId));
    this.upTo = end;
  }
}

/**
 * Two ascending orders merged (a binary search per entry of `later`, which is short next to `old`
 * when a cache grows); equal keys put `old` entries first, so merging later arrivals stays stable.
 */
export function mergeOrders(old: Uint32Array, later: ArrayLike<number>, keyAt: (x: number) => string | number): Uint32Array {
  if (old.length === 0) return Uint32Array.from(later);
  const out = new Uint32Array(old.length + later.length);
  let from = 0, at = 0;
  for (let k = 0; k < later.length; k++) {
    const x = later[k]!;
    const key = keyAt(x);
    // First old entry with a key above this one's: equal keys stay before it.
    let lo = from, hi = old.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (keyAt(old[mid]!) <= key) lo = mid + 1;
      else hi = mid;
    }
    out.set(old.subarray(from, lo), at);
    at += lo - from;
    from = lo;
    out[at++] = x;
  }
  out.set(old.subarray(from), at);
  return out;
}

/** Whether ids are consecutive. */
function isRun(ids: Uint32Array): boolean {
  for (let k = 1; k < ids.length; k++) if (ids[k] !== ids[k - 1]! + 1) return false;
  return true;
}
