/**
 * Query windows: the one way to turn "the dialogs held" into rows. The call list, headless
 * --filter, F9 and exports all read a window; row numbers exist only inside one.
 *
 *   const w = store.query({ filter, sort: { key: 'to', descending: false } });
 *   w.count; w.rows(top, height); w.idAt(cursor); w.rowOf(id)   // live: each read catches up
 *
 * The window keeps ids, not positions, so rotation and F5 never shift anything: ids that left
 * simply drop out. Work is done once per change (a filter over a million dialogs costs a few ms on
 * the list index's columns, ~100 ms for terms that read each dialog), and a growing capture only filters the dialogs that arrived since the last look, plus the ones
 * that changed in place meanwhile (a message moved the call state, findings came later: the
 * store's touch log). Without a filter nothing is kept per dialog: row r is id firstId + r.
 */
import type { DialogId } from '../model/ids.js';
import type { Dialog } from '../model/sip.js';
import { filterDialogs, type DialogFilter, type FilterableStore } from './filter.js';
import { sortDialogs, type SortKey } from './sort.js';
import { SORT_COLUMNS } from './dialog-columns.js';

/** Which held dialogs changed in place since a mark (the Store keeps it; a store without one never changes dialogs in place). */
export interface TouchLog {
  readonly touchMark: number;
  /** Calls fn for each dialog changed since `mark`; false when the log no longer reaches back that far. */
  touchedSince(mark: number, fn: (id: DialogId) => void): boolean;
}

export interface SortSpec {
  key: SortKey;
  descending: boolean;
}

export interface QuerySpec {
  /** Undefined or empty text: every dialog. */
  filter?: DialogFilter;
  /** Default: arrival order. */
  sort?: SortSpec;
  /** Milliseconds, for the re-sort throttle (tests pass their own). */
  clock?: () => number;
}

/** What readers of a window see. */
export interface DialogWindow {
  /** Changes whenever the rows may have changed (new, gone, re-filtered or re-sorted dialogs). */
  readonly version: number;
  readonly count: number;
  /** Dialogs of rows [from, from + n) (fewer at the end). */
  rows(from: number, n: number): readonly Dialog[];
  /** Id of the dialog on row `row` (0 ≤ row < count). */
  idAt(row: number): DialogId;
  /** Row of dialog `id`, -1 when the window does not show it (filtered out or gone). */
  rowOf(id: DialogId): number;
}

/**
 * A sorted window that is growing is re-sorted at most this often, and at most a fifth of the
 * time (a million rows take milliseconds by a list-index key, seconds by one read from each
 * dialog, such as duration); newer rows wait at the end in arrival order.
 */
export const RESORT_MS = 500;

/** Orders kept for keys sorted before (with their buffers): at a million rows each is 4 MB. */
const ORDERS_KEPT = 3;

/** First k in [lo, hi) with a[k] ≥ value. */
function lowerBound(a: Uint32Array, lo: number, hi: number, value: number): number {
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (a[mid]! < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

export class DialogQuery implements DialogWindow {
  private filterSpec: DialogFilter | undefined;
  private sortKey: SortKey = 'index';
  private descending = false;
  private readonly clock: () => number;
  /** Ascending ids that pass, in matched[lo, hi); unused (every held id passes) when `all`. */
  private matched = new Uint32Array(0);
  private lo = 0;
  private hi = 0;
  private all = true;
  /** Ids below `scanned` have been filtered. */
  private scanned = 0;
  /** The store's firstId when last looked at. */
  private first = 0;
  /** Ids by sort key for the first order.length matches; later matches follow in arrival order. */
  private order: Uint32Array | undefined;
  private sortedAt = 0;
  /**
   * Reused by every re-sort: the held ids, and per key the order written by the sort (at a million
   * rows, 8 MB of fresh arrays per sort brought full collections of the whole heap within a few sorts).
   */
  private heldBuffer = new Uint32Array(0);
  /**
   * The last orders by key, most recent last, each valid while `rowsVersion` is what it was then:
   * sorting back to a key sorted before over the same rows (< then >) costs nothing.
   */
  private readonly orders = new Map<SortKey, { order: Uint32Array; rowsVersion: number; buffer: Uint32Array }>();
  /** Changes whenever the rows (not their order) may have changed: new, gone, re-filtered. */
  private rowsVersion = 0;
  private resortGap = RESORT_MS;
  private deferred = false;
  /** F9: held dialogs with ids in [keptFrom, keptBelow) show only when their bit is set. */
  private keptFrom = 0;
  private keptBelow = 0;
  private kept = new Uint8Array(0);
  /** p: ids from here on wait until resumed. */
  private pausedAt: number | undefined;
  private stale = true;
  private seenVersion = -1;
  private changes = 0;
  /** The store's touch mark when the matches were last brought up to date. */
  private touchMark = 0;

  constructor(private readonly store: FilterableStore & Partial<TouchLog>, spec: QuerySpec = {}) {
    this.clock = spec.clock ?? Date.now;
    this.filterSpec = spec.filter?.text === '' ? undefined : spec.filter;
    if (spec.sort) this.setSort(spec.sort);
  }

  get version(): number {
    this.sync();
    return this.changes;
  }

  get count(): number {
    this.sync();
    return this.all ? Math.max(0, this.scanned - this.first) : this.hi - this.lo;
  }

  rows(from: number, n: number): readonly Dialog[] {
    const end = Math.min(this.count, from + n);
    const out: Dialog[] = [];
    for (let row = Math.max(0, from); row < end; row++) {
      const d = this.store.dialog(this.idAt(row));
      if (d !== undefined) out.push(d);
    }
    return out;
  }

  idAt(row: number): DialogId {
    const n = this.count;
    if (this.descending && this.sortKey === 'index') return this.matchAt(n - 1 - row);
    const order = this.order;
    if (order === undefined || this.sortKey === 'index' || row >= order.length) return this.matchAt(row);
    return order[this.descending ? order.length - 1 - row : row]! as DialogId;
  }

  rowOf(id: DialogId): number {
    const n = this.count;
    let k: number;
    if (this.all) {
      k = id - this.first;
      if (k < 0 || k >= n) return -1;
    } else {
      const at = lowerBound(this.matched, this.lo, this.hi, id);
      if (at >= this.hi || this.matched[at] !== id) return -1;
      k = at - this.lo;
    }
    if (this.sortKey === 'index') return this.descending ? n - 1 - k : k;
    const order = this.order;
    if (order === undefined || k >= order.length) return k;
    const at = order.indexOf(id);
    return this.descending ? order.length - 1 - at : at;
  }

  /** Dialogs the window looks at before filtering: all held, or while paused those there were then. */
  get total(): number {
    this.sync();
    return Math.max(0, this.scanned - this.first);
  }

  /** A filter or F9 hides some dialogs. */
  get filtered(): boolean {
    this.sync();
    return !this.all;
  }

  /** A growing sorted window put off a re-sort: read it again after RESORT_MS. */
  get resortPending(): boolean {
    this.sync();
    return this.deferred;
  }

  get filter(): DialogFilter | undefined {
    return this.filterSpec;
  }

  setFilter(filter: DialogFilter | undefined): void {
    this.filterSpec = filter?.text === '' ? undefined : filter;
    this.stale = true;
    this.seenVersion = -1;
  }

  get sort(): SortSpec {
    return { key: this.sortKey, descending: this.descending };
  }

  setSort(sort: SortSpec): void {
    if (sort.key === this.sortKey && sort.descending === this.descending) return;
    if (sort.key !== this.sortKey) this.order = undefined;
    this.sortKey = sort.key;
    this.descending = sort.descending;
    this.seenVersion = -1;
    this.changes++;
  }

  /** F9: the dialogs held now that the window does not show stay hidden, whatever the filter becomes. */
  keepMatching(): void {
    this.sync();
    const from = this.first;
    const kept = new Uint8Array(Math.max(0, this.scanned - from));
    const n = this.count;
    for (let k = 0; k < n; k++) kept[this.matchAt(k) - from] = 1;
    this.kept = kept;
    this.keptFrom = from;
    this.keptBelow = from + kept.length;
    this.stale = true;
    this.seenVersion = -1;
  }

  /** p: while paused the window shows only the dialogs there were when it paused. */
  pause(on: boolean): void {
    this.pausedAt = on ? this.store.firstId + this.store.dialogCount() : undefined;
    this.seenVersion = -1;
  }

  get paused(): boolean {
    return this.pausedAt !== undefined;
  }

  private matchAt(k: number): DialogId {
    return (this.all ? this.first + k : this.matched[this.lo + k]!) as DialogId;
  }

  /** Catches up with the store (drops, new dialogs, a changed filter, a due re-sort). */
  private sync(): void {
    const version = this.store.version;
    if (version === this.seenVersion && !this.stale && !this.deferredDue()) return;
    this.seenVersion = version;
    const first = this.store.firstId as number;
    const end = Math.min(first + this.store.dialogCount(), this.pausedAt ?? Infinity);
    // Once everything F9 hid is gone, an unfiltered window needs no list again.
    if (!this.all && this.filterSpec === undefined && this.keptBelow <= first) this.stale = true;
    if (first !== this.first) this.drop(first);
    this.retest();
    if (this.stale) this.refilter(end);
    else if (end > this.scanned) this.extend(end);
    this.deferred = false;
    if (this.sortKey === 'index') return;
    const rows = this.all ? Math.max(0, this.scanned - this.first) : this.hi - this.lo;
    if (this.order === undefined) {
      const kept = this.orders.get(this.sortKey);
      if (kept?.rowsVersion === this.rowsVersion) this.order = kept.order;
    }
    if (this.order?.length === rows) return;
    if (this.order !== undefined && this.clock() - this.sortedAt < this.resortGap) {
      this.deferred = true;
      return;
    }
    this.resort();
  }

  private deferredDue(): boolean {
    return this.deferred && this.clock() - this.sortedAt >= this.resortGap;
  }

  private passes(id: DialogId): boolean {
    if (id < this.keptBelow && this.kept[id - this.keptFrom] === 0) return false;
    return this.filterSpec === undefined || this.filterSpec.test(this.store, id);
  }

  /**
   * The filter is tested again on the dialogs already scanned that changed in place: a dialog that
   * gained a finding joins `finding=no-ack`, one whose state moved leaves `state "call setup"`.
   */
  private retest(): void {
    const log = this.store;
    if (log.touchedSince === undefined) return;
    const since = this.touchMark;
    this.touchMark = log.touchMark!;
    if (this.all || this.stale || this.filterSpec === undefined) return;
    let moved = 0;
    const complete = log.touchedSince(since, (id) => {
      if (id < this.first || id >= this.scanned) return;
      const at = lowerBound(this.matched, this.lo, this.hi, id);
      const inside = at < this.hi && this.matched[at] === id;
      if (inside === this.passes(id)) return;
      moved++;
      if (inside) {
        this.matched.copyWithin(at, at + 1, this.hi);
        this.hi--;
        return;
      }
      this.room(1);
      const to = lowerBound(this.matched, this.lo, this.hi, id);
      this.matched.copyWithin(to + 1, to, this.hi);
      this.matched[to] = id;
      this.hi++;
    });
    if (!complete) this.stale = true;
    else if (moved > 0) {
      // Rows past the sorted prefix are read in arrival order, so a sorted window sorts again.
      this.order = undefined;
      this.rowsVersion++;
      this.changes++;
    }
  }

  /** Makes room for `extra` more matches after matched[hi). */
  private room(extra: number): void {
    const live = this.hi - this.lo;
    if (this.lo + live + extra <= this.matched.length) return;
    const grown = new Uint32Array(Math.max(1024, 2 * (live + extra)));
    grown.set(this.matched.subarray(this.lo, this.hi));
    this.matched = grown;
    this.lo = 0;
    this.hi = live;
  }

  private refilter(end: number): void {
    this.stale = false;
    this.order = undefined;
    this.all = this.filterSpec === undefined && this.keptBelow <= this.first;
    this.lo = this.hi = 0;
    this.scanned = this.all ? end : this.first;
    if (!this.all) this.extend(end);
    this.rowsVersion++;
    this.changes++;
  }

  private extend(end: number): void {
    const from = this.scanned;
    this.scanned = end;
    this.rowsVersion++;
    this.changes++;
    if (this.all) return;
    const found = this.keptBelow > this.first || this.filterSpec === undefined
      ? filterDialogs(this.store, { text: '', test: (_s, id) => this.passes(id) }, from, end)
      : filterDialogs(this.store, this.filterSpec!, from, end);
    this.room(found.length);
    this.matched.set(found, this.hi);
    this.hi += found.length;
  }

  /** Rotation or F5 dropped every id below `first`. */
  private drop(first: number): void {
    this.first = first;
    this.scanned = Math.max(this.scanned, first);
    this.lo = lowerBound(this.matched, this.lo, this.hi, first);
    if (this.order !== undefined) this.order = this.order.filter((id) => id >= first);
    this.rowsVersion++;
    this.changes++;
  }

  /** Every held id in order (a plain loop: Uint32Array.from over an array-like calls a function per row, 5x slower). */
  private heldIds(rows: number): Uint32Array {
    if (this.heldBuffer.length < rows) this.heldBuffer = new Uint32Array(rows + (rows >> 2));
    const ids = this.heldBuffer.subarray(0, rows);
    for (let k = 0; k < rows; k++) ids[k] = this.first + k;
    return ids;
  }

  private resort(): void {
    const started = Date.now();
    this.order = this.sorted(this.sortKey);
    this.sortedAt = this.clock();
    this.resortGap = Math.max(RESORT_MS, 4 * (Date.now() - started));
    this.changes++;
  }

  /**
   * Sorts the rows by `key` ahead of the key that asks for it, while the screen is idle: the order
   * is kept for when the window is sorted by `key` over the same rows. Only keys of the list
   * index's columns (a linear pass over typed arrays), so it never holds the next key for long.
   */
  prepareSort(key: SortKey): void {
    this.sync();
    if (key === 'index' || key === this.sortKey || SORT_COLUMNS[key] === undefined) return;
    if (this.orders.get(key)?.rowsVersion !== this.rowsVersion) this.sorted(key);
  }

  /** The rows by `key`, ascending (idAt() reads it backwards for a descending list, so z costs nothing), kept in `orders`. */
  private sorted(key: SortKey): Uint32Array {
    const rows = this.all ? Math.max(0, this.scanned - this.first) : this.hi - this.lo;
    const ids = this.all ? this.heldIds(rows) : this.matched.subarray(this.lo, this.hi);
    const buffer = this.orderBuffer(key, rows);
    const order = sortDialogs(this.store, ids, key, false, buffer);
    this.orders.set(key, { order, rowsVersion: this.rowsVersion, buffer });
    return order;
  }

  /** A buffer of at least `rows` ids for `key`: its own, or that of the oldest kept order but the shown one once ORDERS_KEPT are kept. */
  private orderBuffer(key: SortKey, rows: number): Uint32Array {
    let buffer = this.orders.get(key)?.buffer;
    this.orders.delete(key);
    if (buffer === undefined && this.orders.size >= ORDERS_KEPT) {
      const oldest = [...this.orders.keys()].find((k) => k !== this.sortKey)!;
      buffer = this.orders.get(oldest)!.buffer;
      this.orders.delete(oldest);
    }
    return buffer !== undefined && buffer.length >= rows ? buffer : new Uint32Array(rows + (rows >> 2));
  }
}
