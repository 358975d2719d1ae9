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
export class Scratch {
  private readonly u32: Uint32Array[] = [0, 1, 2, 3].map(() => new Uint32Array(0));

  /** Array `which` (0–3) of at least n entries: 0 and 1 keys, 2 and 3 positions. */
  get(which: 0 | 1 | 2 | 3, n: number): Uint32Array {
    if (this.u32[which]!.length < n) this.u32[which] = new Uint32Array(n + (n >> 2));
    return this.u32[which]!;
  }
}

/**
 * `ids` reordered by ascending key, stable, in a new array: key k is hi[k] * 2^32 + lo[k] (hi
 * absent: 0), maxLo and maxHi the largest lo and hi. An LSD radix sort over 16-bit digits; a pass
 * whose digits are all 0 is left out, since a stable pass over equal digits moves nothing, so keys
 * below 2^16 (ranks of a column with fewer distinct strings) take one counting pass. The result
 * goes into `out` when given (at least n long), so a window re-sorting a million rows allocates nothing.
 */
export function radixOrder(ids: Uint32Array, n: number, lo: Uint32Array, maxLo: number, hi: Uint32Array | undefined, maxHi: number, scratch: Scratch, out?: Uint32Array): Uint32Array {
  const result = resultArray(n, out);
  const count = new Uint32Array(Math.min(maxLo, 0xffff) + 2);
  if (hi === undefined || maxHi === 0) {
    if (maxLo <= 0xffff) {
      // One pass, straight into the result.
      for (let k = 0; k < n; k++) count[lo[k]! + 1]!++;
      for (let d = 1; d < count.length; d++) count[d]! += count[d - 1]!;
      for (let k = 0; k < n; k++) result[count[lo[k]!]!++] = ids[k]!;
      return result;
    }
  }
  const passes = [true, maxLo > 0xffff, maxHi > 0, maxHi > 0xffff];
  const digits = new Uint32Array(0x10001);
  // Positions in the order so far; undefined while it is the input order.
  let order: Uint32Array | undefined;
  let spare: 2 | 3 = 2;
  for (let p = 0; p < 4; p++) {
    if (!passes[p]) continue;
    const key = p < 2 ? lo : hi!;
    const shift = p % 2 === 0 ? 0 : 16;
    const out = scratch.get(spare, n);
    spare = spare === 2 ? 3 : 2;
    digits.fill(0);
    if (order === undefined) {
      for (let k = 0; k < n; k++) digits[((key[k]! >>> shift) & 0xffff) + 1]!++;
      for (let d = 1; d <= 0xffff; d++) digits[d]! += digits[d - 1]!;
      for (let k = 0; k < n; k++) out[digits[(key[k]! >>> shift) & 0xffff]!++] = k;
    } else {
      for (let i = 0; i < n; i++) digits[((key[order[i]!]! >>> shift) & 0xffff) + 1]!++;
      for (let d = 1; d <= 0xffff; d++) digits[d]! += digits[d - 1]!;
      for (let i = 0; i < n; i++) {
        const k = order[i]!;
        out[digits[(key[k]! >>> shift) & 0xffff]!++] = k;
      }
    }
    order = out;
  }
  for (let i = 0; i < n; i++) result[i] = ids[order![i]!]!;
  return result;
}

/** The first n entries of `out`, or a new array. */
export function resultArray(n: number, out: Uint32Array | undefined): Uint32Array {
  return out === undefined ? new Uint32Array(n) : out.subarray(0, n);
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

  /** Ranks + 1 by string id, for ids below stringCount: 0 for those not ranked yet (see add). */
  table(stringCount: number): Uint32Array {
    if (this.rankOf.length < stringCount) {
      const wider = new Uint32Array(stringCount + (stringCount >> 2));
      wider.set(this.rankOf);
      this.rankOf = wider;
    }
    return this.rankOf;
  }

  /** Ranks the strings of sids[0, n) that have none yet (negative: none) and renumbers all. */
  add(sids: Int32Array, n: number, str: (sid: number) => string): void {
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
    fresh.sort((a, b) => {
      const x = str(a), y = str(b);
      return x < y ? -1 : x > y ? 1 : 0;
    });
    this.sorted = mergeOrders(this.sorted, fresh, str);
    const sorted = this.sorted;
    for (let r = 0; r < sorted.length; r++) rankOf[sorted[r]!] = r + 1;
  }
}

/** Sorts rows of the Store's list index by one of its columns; one per index, since it keeps ranks and scratch. */
export class ColumnSorter {
  private readonly ranks = new Map<StringColumn, StringRanks>();
  private readonly scratch = new Scratch();
  private sids = new Int32Array(0);

  constructor(private readonly index: ListIndexView) {}

  /** `ids` (held or gone) by the column's key, stable in both directions; gone dialogs first when ascending. */
  byString(ids: Uint32Array, column: StringColumn, descending: boolean, out?: Uint32Array): Uint32Array {
    const n = ids.length;
    const index = this.index;
    const col = index.strings(column);
    let ranks = this.ranks.get(column);
    if (ranks === undefined) this.ranks.set(column, (ranks = new StringRanks()));
    const keys = this.scratch.get(0, n);
    // One pass when every string already has a rank (a column sorted before), two when some are new.
    for (let pass = 0; pass < 2; pass++) {
      const rankOf = ranks.table(index.stringCount);
      const top = ranks.count;
      let unranked = false;
      for (let k = 0; k < n; k++) {
        const slot = index.slot(ids[k] as DialogId);
        const r = slot < 0 ? 0 : rankOf[col[slot]!]!;
        if (r === 0 && slot >= 0) unranked = true;
        keys[k] = descending ? top - r : r;
      }
      if (!unranked) return radixOrder(ids, n, keys, top, undefined, 0, this.scratch, out);
      ranks.add(this.stringIds(ids, col), n, (sid) => index.str(sid));
    }
    throw new Error('column sort: strings left unranked');
  }

  /** The column's string ids of `ids` (-1 for gone dialogs), in scratch. */
  private stringIds(ids: Uint32Array, col: Int32Array): Int32Array {
    const n = ids.length;
    if (this.sids.length < n) this.sids = new Int32Array(n + (n >> 2));
    for (let k = 0; k < n; k++) {
      const slot = this.index.slot(ids[k] as DialogId);
      this.sids[k] = slot < 0 ? -1 : col[slot]!;
    }
    return this.sids;
  }

  /** `ids` by the column's number (an integer), stable in both directions; gone dialogs first when ascending. */
  byNumber(ids: Uint32Array, column: NumberColumn, descending: boolean, out?: Uint32Array): Uint32Array {
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
    if ((ascending && !descending) || max === -Infinity) {
      const copy = resultArray(n, out);
      copy.set(ids.subarray(0, n));
      return copy;
    }
    // Gone dialogs get key 0 (the largest descending), the others their distance from the smallest (largest), plus one.
    const gone = descending ? max - min + 2 : 0;
    const lo = this.scratch.get(0, n), hi = this.scratch.get(1, n);
    let maxLo = 0;
    for (let k = 0; k < n; k++) {
      const slot = index.slot(ids[k] as DialogId);
      const key = slot < 0 ? gone : descending ? max - col[slot]! + 1 : col[slot]! - min + 1;
      lo[k] = key % 0x100000000;
      hi[k] = Math.floor(key / 0x100000000);
      if (lo[k]! > maxLo) maxLo = lo[k]!;
    }
    return radixOrder(ids, n, lo, maxLo, hi, Math.floor((max - min + 2) / 0x100000000), this.scratch, out);
  }
}
