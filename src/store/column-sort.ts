/**
 * Sorting rows by a list-index column (dialog-columns.ts) with integer work only: the distinct
 * strings of a column get ranks (code-unit order, like sngrep's strcmp), kept between sorts and
 * extended by the strings that are new since; rows are then placed by an LSD radix sort over the
 * ranks or numbers, linear and stable. A million rows take a few milliseconds.
 */
import type { DialogId } from '../model/ids.js';
import type { ListIndexView, NumberColumn, StringColumn } from './dialog-columns.js';
import { mergeOrders } from './sort-cache.js';

/** Scratch arrays reused between sorts (a million-row sort would otherwise allocate ~20 MB each time). */
class Scratch {
  private readonly u32: Uint32Array[] = [0, 1, 2, 3].map(() => new Uint32Array(0));

  /** Array `which` (0–3) of at least n entries: 0 and 1 keys, 2 and 3 positions. */
  get(which: 0 | 1 | 2 | 3, n: number): Uint32Array {
    if (this.u32[which]!.length < n) this.u32[which] = new Uint32Array(n + (n >> 2));
    return this.u32[which]!;
  }
}

/**
 * `ids` reordered by ascending key, stable, in a new array: key k is hi[k] * 2^32 + lo[k] (hi
 * absent: 0). An LSD radix sort over 16-bit digits that sorts positions; a pass whose digits are
 * all 0 (keys below 2^16 need one pass) is left out, since a stable pass over equal digits moves nothing.
 */
export function radixOrder(ids: Uint32Array, n: number, lo: Uint32Array, hi: Uint32Array | undefined, scratch: Scratch): Uint32Array {
  let maxLo = 0, maxHi = 0;
  for (let k = 0; k < n; k++) if (lo[k]! > maxLo) maxLo = lo[k]!;
  if (hi !== undefined) for (let k = 0; k < n; k++) if (hi[k]! > maxHi) maxHi = hi[k]!;
  const passes = [maxLo > 0, maxLo > 0xffff, maxHi > 0, maxHi > 0xffff];
  const count = new Uint32Array(0x10001);
  // Positions in the order so far; undefined while it is the input order.
  let order: Uint32Array | undefined;
  let spare: 2 | 3 = 2;
  for (let p = 0; p < 4; p++) {
    if (!passes[p]) continue;
    const key = p < 2 ? lo : hi!;
    const shift = p % 2 === 0 ? 0 : 16;
    const out = scratch.get(spare, n);
    spare = spare === 2 ? 3 : 2;
    count.fill(0);
    if (order === undefined) {
      for (let k = 0; k < n; k++) count[((key[k]! >>> shift) & 0xffff) + 1]!++;
      for (let d = 1; d <= 0xffff; d++) count[d]! += count[d - 1]!;
      for (let k = 0; k < n; k++) out[count[(key[k]! >>> shift) & 0xffff]!++] = k;
    } else {
      for (let i = 0; i < n; i++) count[((key[order[i]!]! >>> shift) & 0xffff) + 1]!++;
      for (let d = 1; d <= 0xffff; d++) count[d]! += count[d - 1]!;
      for (let i = 0; i < n; i++) {
        const k = order[i]!;
        out[count[(key[k]! >>> shift) & 0xffff]!++] = k;
      }
    }
    order = out;
  }
  const result = new Uint32Array(n);
  if (order === undefined) result.set(ids.subarray(0, n));
  else for (let i = 0; i < n; i++) result[i] = ids[order[i]!]!;
  return result;
}

/** Ranks of the distinct strings of one column, in code-unit order, grown as new strings show up. */
class StringRanks {
  /** String ids in order. */
  private sorted: Uint32Array = new Uint32Array(0);
  /** By string id: rank + 1 (ranks are renumbered when strings join); 0 when not ranked yet. */
  private rankOf = new Uint32Array(0);

  /** How many strings are ranked: ranks + 1 are at most this. */
  get count(): number {
    return this.sorted.length;
  }

  /** Ranks + 1 by string id, covering every id in sids[0, n) (negative: none). */
  ranks(sids: Int32Array, n: number, stringCount: number, str: (sid: number) => string): Uint32Array {
    if (this.rankOf.length < stringCount) {
      const wider = new Uint32Array(stringCount + (stringCount >> 2));
      wider.set(this.rankOf);
      this.rankOf = wider;
    }
    const rankOf = this.rankOf;
    const fresh: number[] = [];
    for (let k = 0; k < n; k++) {
      const sid = sids[k]!;
      if (sid >= 0 && rankOf[sid] === 0) {
        // Marked so it is listed once; a real rank follows below.
        rankOf[sid] = 0xffffffff;
        fresh.push(sid);
      }
    }
    if (fresh.length === 0) return rankOf;
    const text = (sid: number): string => str(sid);
    fresh.sort((a, b) => {
      const x = text(a), y = text(b);
      return x < y ? -1 : x > y ? 1 : 0;
    });
    this.sorted = mergeOrders(this.sorted, fresh, text);
    const sorted = this.sorted;
    for (let r = 0; r < sorted.length; r++) rankOf[sorted[r]!] = r + 1;
    return rankOf;
  }
}

/** Sorts rows of the Store's list index by one of its columns; one per index, since it keeps ranks and scratch. */
export class ColumnSorter {
  private readonly ranks = new Map<StringColumn, StringRanks>();
  private readonly scratch = new Scratch();
  private sids = new Int32Array(0);

  constructor(private readonly index: ListIndexView) {}

  /** `ids` (held or gone) by the column's key, stable in both directions; gone dialogs first when ascending. */
  byString(ids: Uint32Array, column: StringColumn, descending: boolean): Uint32Array {
    const n = ids.length;
    const index = this.index;
    const col = index.strings(column);
    if (this.sids.length < n) this.sids = new Int32Array(n + (n >> 2));
    const sids = this.sids;
    for (let k = 0; k < n; k++) {
      const slot = index.slot(ids[k] as DialogId);
      sids[k] = slot < 0 ? -1 : col[slot]!;
    }
    let ranks = this.ranks.get(column);
    if (ranks === undefined) this.ranks.set(column, (ranks = new StringRanks()));
    const rankOf = ranks.ranks(sids, n, index.stringCount, (sid) => index.str(sid));
    const keys = this.scratch.get(0, n);
    const top = ranks.count;
    for (let k = 0; k < n; k++) {
      const sid = sids[k]!;
      const r = sid < 0 ? 0 : rankOf[sid]!;
      keys[k] = descending ? top - r : r;
    }
    return radixOrder(ids, n, keys, undefined, this.scratch);
  }

  /** `ids` by the column's number (an integer), stable in both directions; gone dialogs first when ascending. */
  byNumber(ids: Uint32Array, column: NumberColumn, descending: boolean): Uint32Array {
    const n = ids.length;
    const index = this.index;
    const col = index.numbers(column);
    let min = Infinity, max = -Infinity, ascending = true, previous = -Infinity;
    for (let k = 0; k < n; k++) {
      const slot = index.slot(ids[k] as DialogId);
      const v = slot < 0 ? -Infinity : col[slot]!;
      if (v < previous) ascending = false;
      previous = v;
      if (slot >= 0) {
        if (v < min) min = v;
        if (v > max) max = v;
      }
    }
    // A file's dialogs usually arrive in start order: already sorted, and stable as it is.
    if ((ascending && !descending) || max === -Infinity) return ids.slice(0, n);
    // Gone dialogs get key 0 (the largest descending), the others their distance from the smallest (largest), plus one.
    const gone = descending ? max - min + 2 : 0;
    const lo = this.scratch.get(0, n), hi = this.scratch.get(1, n);
    for (let k = 0; k < n; k++) {
      const slot = index.slot(ids[k] as DialogId);
      const key = slot < 0 ? gone : descending ? max - col[slot]! + 1 : col[slot]! - min + 1;
      lo[k] = key % 0x100000000;
      hi[k] = Math.floor(key / 0x100000000);
    }
    return radixOrder(ids, n, lo, hi, this.scratch);
  }
}
