import { filterDialogs, type DialogFilter, type FilterableStore } from '../../store/filter.js';
import { sortDialogs, type SortKey } from '../../store/sort.js';

/** What the index reads: the filterable store and how many dialogs rotation or F5 dropped from the front. */
export type ListStore = FilterableStore & { readonly rotated: number };

/**
 * A sorted list that is growing is re-sorted at most this often, and at most a fifth of the time
 * (a million rows take a few hundred ms); newer rows wait at the end in arrival order.
 */
export const RESORT_MS = 500;

/**
 * Which store positions the call list shows, in which order: the filter, the F9 "keep only
 * matching" set and the sort column. Work is done once per change (a filter over a million dialogs
 * costs ~150 ms), and a growing capture only filters the dialogs that arrived since the last look.
 * Without a filter nothing is kept per dialog: row r is position r.
 */
export class ListIndex {
  private filter: DialogFilter | undefined;
  private sortKey: SortKey = 'index';
  private descending = false;
  /** Ascending positions that pass, in matched[0, matchedLen); unused (every position passes) when `all`. */
  private matched = new Uint32Array(0);
  private matchedLen = 0;
  private all = true;
  /** Dialogs [0, scanned) have been filtered. */
  private scanned = 0;
  /** Positions by sort key for the first order.length matches; later matches follow in arrival order. */
  private order: Uint32Array | undefined;
  private sortedAt = 0;
  private resortGap = RESORT_MS;
  /** The store's `rotated` when positions were last computed. */
  private rotated = 0;
  /** F9: dialogs with an absolute index below keptBelow show only when their bit is set. */
  private keptBelow = 0;
  private kept = new Uint8Array(0);
  private stale = true;

  /** The expression filter (undefined or empty text: none). */
  setFilter(filter: DialogFilter | undefined): void {
    this.filter = filter?.text === '' ? undefined : filter;
    this.stale = true;
  }

  setSort(key: SortKey, descending: boolean): void {
    if (key !== this.sortKey) this.order = undefined;
    this.sortKey = key;
    this.descending = descending;
  }

  get sort(): { key: SortKey; descending: boolean } {
    return { key: this.sortKey, descending: this.descending };
  }

  /** A filter or F9 hides some dialogs. */
  get filtered(): boolean {
    return !this.all;
  }

  /** F9: the dialogs held now that do not match stay hidden until reset(), whatever the filter becomes. */
  keepMatching(store: ListStore, total: number): void {
    this.update(store, total, 0);
    const kept = new Uint8Array(total + store.rotated);
    for (let k = 0; k < this.matchCount(); k++) kept[this.matchAt(k) + store.rotated] = 1;
    this.kept = kept;
    this.keptBelow = kept.length;
    this.stale = true;
  }

  /** F5: the store was cleared; the kept set goes with it. */
  reset(): void {
    this.kept = new Uint8Array(0);
    this.keptBelow = 0;
    this.stale = true;
  }

  /**
   * Catches up with the store (rotation, new dialogs, a changed filter, a due re-sort). True while
   * a re-sort is deferred: the caller should look again after RESORT_MS.
   */
  update(store: ListStore, total: number, now: number): boolean {
    if (store.rotated !== this.rotated) this.shift(store.rotated - this.rotated, store.rotated);
    if (this.stale) this.refilter(store, total);
    else if (total > this.scanned) this.extend(store, total);
    if (this.sortKey === 'index') return false;
    const rows = this.matchCount();
    if (this.order?.length === rows) return false;
    if (this.order !== undefined && now - this.sortedAt < this.resortGap) return true;
    this.resort(store, now);
    return false;
  }

  /** Rows the list shows. */
  count(total: number): number {
    return this.all ? Math.min(total, this.scanned) : this.matchedLen;
  }

  /** Store position of list row `row` (0 ≤ row < count). */
  at(row: number, total: number): number {
    const n = this.count(total);
    if (this.descending && this.sortKey === 'index') return this.matchAt(n - 1 - row);
    const order = this.order;
    if (order === undefined || this.sortKey === 'index') return this.matchAt(row);
    if (row < order.length) return order[this.descending ? order.length - 1 - row : row]!;
    return this.matchAt(row);
  }

  private matchCount(): number {
    return this.all ? this.scanned : this.matchedLen;
  }

  private matchAt(k: number): number {
    return this.all ? k : this.matched[k]!;
  }

  private passes(store: ListStore, position: number): boolean {
    const absolute = position + store.rotated;
    if (absolute < this.keptBelow && this.kept[absolute] === 0) return false;
    return this.filter === undefined || this.filter.test(store, position);
  }

  private refilter(store: ListStore, total: number): void {
    this.stale = false;
    this.order = undefined;
    this.all = this.filter === undefined && this.keptBelow <= store.rotated;
    this.matchedLen = 0;
    this.scanned = this.all ? total : 0;
    if (!this.all) this.extend(store, total);
  }

  private extend(store: ListStore, total: number): void {
    const from = this.scanned;
    this.scanned = total;
    if (this.all) return;
    const found = this.keptBelow > store.rotated
      ? filterDialogs(store, { text: '', test: (_s, i) => this.passes(store, i) }, from, total)
      : filterDialogs(store, this.filter!, from, total);
    if (this.matchedLen + found.length > this.matched.length) {
      const grown = new Uint32Array(Math.max(1024, 2 * (this.matchedLen + found.length)));
      grown.set(this.matched.subarray(0, this.matchedLen));
      this.matched = grown;
    }
    this.matched.set(found, this.matchedLen);
    this.matchedLen += found.length;
  }

  /** Rotation dropped `by` dialogs from the front: every position moves down by that much. */
  private shift(by: number, rotated: number): void {
    this.rotated = rotated;
    this.scanned = Math.max(0, this.scanned - by);
    if (!this.all) {
      let n = 0;
      for (let k = 0; k < this.matchedLen; k++) if (this.matched[k]! >= by) this.matched[n++] = this.matched[k]! - by;
      this.matchedLen = n;
    }
    if (this.order !== undefined) this.order = this.order.filter((p) => p >= by).map((p) => p - by);
  }

  private resort(store: ListStore, now: number): void {
    const rows = this.matchCount();
    const positions = this.all ? Uint32Array.from({ length: rows }, (_, k) => k) : this.matched.subarray(0, rows);
    // Kept ascending: at() reads it backwards for a descending list, so z costs nothing.
    const started = Date.now();
    this.order = sortDialogs(store, positions, this.sortKey, false);
    this.sortedAt = now;
    this.resortGap = Math.max(RESORT_MS, 4 * (Date.now() - started));
  }
}
