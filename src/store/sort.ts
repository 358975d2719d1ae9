/**
 * Sorting the call list by a column. Keys the Store keeps in its list index (dialog-columns.ts) sort
 * by integer work over those columns (column-sort.ts); the others are read once per dialog, then
 * placed by counting or sorted natively. Strings compare by code unit, like sngrep's strcmp; both
 * paths give the same order.
 */
import { COLUMN_IDS, type ColumnContext, type ColumnId, type FaxCell } from '../model/columns.js';
import type { DialogId } from '../model/ids.js';
import type { Dialog } from '../model/sip.js';
import type { StoreView } from '../model/store-view.js';
import { severityRank, worstFinding } from '../model/finding.js';
import { userAtHost } from './user-at-host.js';
import { streamsOf, worstStream } from './media-facts.js';
import { SORT_COLUMNS, STRING_COLUMNS, type ListIndexView, type StringColumn } from './dialog-columns.js';
import { ColumnSorter } from './column-sort.js';
import { SortCache } from './sort-cache.js';

/** Any call-list column; date and time both sort by start. */
export type SortKey = ColumnId;

export const SORT_KEYS: readonly SortKey[] = COLUMN_IDS;

type KeyOf = (d: Dialog, ctx: ColumnContext) => string | number;

/** Failed faxes first when ascending, dialogs without one last. */
const FAX_RANK: Record<FaxCell['result'], number> = { failed: 0, incomplete: 1, ok: 2 };

/** From/To sort as the list shows them: the URI user, else the display name. */
const KEYS: Record<SortKey, KeyOf> = {
  index: (d) => d.id,
  method: (d) => d.method,
  from: (d) => (d.fromUser === '' ? d.fromDisplay : d.fromUser),
  to: (d) => (d.toUser === '' ? d.toDisplay : d.toUser),
  msgs: (d) => d.messages.length,
  src: (d) => d.src,
  dst: (d) => d.dst,
  state: (d) => d.state,
  date: (d) => Number(d.start / 1000n),
  time: (d) => Number(d.start / 1000n),
  duration: (d) => Number((d.end - d.start) / 1000n),
  callId: (d) => d.callId,
  xCallId: (d) => d.xCallId,
  reason: (d) => d.reason,
  userAgent: (d) => d.userAgent,
  transport: (d) => d.transport,
  node: (d) => d.nodes?.[0] ?? '',
  // Worst first when ascending; dialogs without findings last.
  findings: (d) => {
    const f = worstFinding(d.findings ?? []);
    return f ? `${severityRank(f.severity)}${f.code}` : '9';
  },
  fromUri: (d) => userAtHost(d.fromUser, d.fromHost),
  toUri: (d) => userAtHost(d.toUser, d.toHost),
  streams: (d, ctx) => ctx.streamCount?.(d.id) ?? 0,
  // Numbers sort as numbers; a dialog without a rated stream sorts past the best MOS and before 0 % loss.
  mos: (d, ctx) => worstStream('mos', streamsOf(ctx, d.id)) ?? 99,
  loss: (d, ctx) => worstStream('loss', streamsOf(ctx, d.id)) ?? -1,
  fax: (d, ctx) => {
    const f = ctx.faxCell?.(d.id);
    return f ? FAX_RANK[f.result] * 1e6 + f.confirmedPages : 3e6;
  },
};

/** Numbers before strings; numbers by value, strings by code unit (the default sort order of the distinct keys). */
function compareKeys(x: string | number, y: string | number): number {
  if (typeof x === 'number') return typeof y === 'number' ? x - y : -1;
  if (typeof y === 'number') return 1;
  return x < y ? -1 : x > y ? 1 : 0;
}

/** What a sort reads: the dialogs, their media, and the list index when the store keeps one. */
export type SortableStore = StoreView & ColumnContext & { readonly listIndex?: ListIndexView };

/** One sorter per list index: it keeps the ranks of the columns' strings between sorts. */
const sorters = new WeakMap<ListIndexView, ColumnSorter>();

function isStringColumn(c: string): c is StringColumn {
  return (STRING_COLUMNS as readonly string[]).includes(c);
}

/** Keys with many distinct strings that never change once a dialog is open: their order is kept between sorts. */
const CACHED_KEYS = ['from', 'to', 'callId', 'fromUri', 'toUri'] as const satisfies readonly SortKey[];
type CachedKey = (typeof CACHED_KEYS)[number];
const caches = new WeakMap<ListIndexView, Map<CachedKey, SortCache>>();

function isCachedKey(key: SortKey): key is CachedKey {
  return (CACHED_KEYS as readonly SortKey[]).includes(key);
}

/** `ids` by a key the list index keeps or orders (ascending), undefined for the others. */
function columnSort(store: SortableStore, index: ListIndexView, ids: Uint32Array, key: SortKey, descending: boolean, out: Uint32Array | undefined): Uint32Array | undefined {
  if (isCachedKey(key) && !descending) {
    let byKey = caches.get(index);
    if (byKey === undefined) caches.set(index, (byKey = new Map()));
    let cache = byKey.get(key);
    if (cache === undefined) {
      const keyOf = KEYS[key];
      cache = new SortCache((id) => keyOf(store.dialog(id)!, store), (part, keyAt) => byComparison(part, keyAt, false));
      byKey.set(key, cache);
    }
    return cache.sort(store, ids, out);
  }
  const column = SORT_COLUMNS[key];
  if (column === undefined) return undefined;
  let sorter = sorters.get(index);
  if (sorter === undefined) sorters.set(index, (sorter = new ColumnSorter(index)));
  return isStringColumn(column) ? sorter.byString(ids, column, descending, out) : sorter.byNumber(ids, column, descending, out);
}

/** Up to this many distinct keys, rows are placed by counting over the keys' ranks. */
const COUNTING_MAX = 4096;

/**
 * `ids` (held dialog ids, e.g. from filterDialogs) reordered by `key`; stable, so equal keys
 * keep their input order in both directions. The input is not modified; a list-index sort writes
 * into `out` when given (at least ids.length long), so a window re-sorting allocates nothing.
 *
 * Keys the Store's list index keeps sort over its columns (column-sort.ts); From, To, Call-ID and
 * the URIs, sorted ascending, keep their order between sorts (sort-cache.ts). Other keys are read
 * once per dialog: a column with few distinct keys is ranked and the rows placed by counting,
 * linear and stable; many distinct keys (numbers, Call-IDs) sort an index array natively with a
 * comparator over the key array.
 */
export function sortDialogs(store: SortableStore, ids: Uint32Array, key: SortKey, descending: boolean, out?: Uint32Array): Uint32Array {
  const n = ids.length;
  if (key === 'index') return descending ? ids.slice().reverse() : ids.slice();
  const byColumn = store.listIndex === undefined ? undefined : columnSort(store, store.listIndex, ids, key, descending, out);
  if (byColumn !== undefined) return byColumn;
  const keyOf = KEYS[key];
  // A dialog gone meanwhile sorts first; the window drops it on its next look.
  const keyAt = (k: number): string | number => {
    const d = store.dialog(ids[k] as DialogId);
    return d === undefined ? -Infinity : keyOf(d, store);
  };
  // Each distinct key gets a number in order of appearance, while there are few.
  const seen = new Map<string | number, number>();
  const rank = new Uint32Array(n);
  // Neighbours often share a key (a run of INVITEs): no map lookup for a repeat.
  let previous: string | number | undefined;
  let previousRank = 0;
  for (let k = 0; k < n; k++) {
    const v = keyAt(k);
    if (v !== previous) {
      let r = seen.get(v);
      if (r === undefined) {
        r = seen.size;
        if (r === COUNTING_MAX) return byComparison(ids, keyAt, descending);
        seen.set(v, r);
      }
      previous = v;
      previousRank = r;
    }
    rank[k] = previousRank;
  }
  return byCounting(ids, rank, [...seen.keys()], descending);
}

/** Rows placed by the rank of their key among the distinct `keys` (rank[k] indexes keys, in order of appearance). */
function byCounting(ids: Uint32Array, rank: Uint32Array, keys: (string | number)[], descending: boolean): Uint32Array {
  const n = ids.length;
  const byKey = Uint32Array.from(keys, (_, r) => r).sort((a, b) => compareKeys(keys[a]!, keys[b]!));
  const rankOf = new Uint32Array(keys.length);
  const last = keys.length - 1;
  for (let r = 0; r <= last; r++) rankOf[byKey[r]!] = descending ? last - r : r;
  const start = new Uint32Array(keys.length + 1);
  for (let k = 0; k < n; k++) start[rankOf[rank[k]!]! + 1]!++;
  for (let r = 1; r <= keys.length; r++) start[r]! += start[r - 1]!;
  const out = new Uint32Array(n);
  for (let k = 0; k < n; k++) out[start[rankOf[rank[k]!]!]!++] = ids[k]!;
  return out;
}

/** Sorting input positions with the position as tie-break keeps it stable whatever the engine's algorithm. */
function byComparison(ids: Uint32Array, keyAt: (k: number) => string | number, descending: boolean): Uint32Array {
  const n = ids.length;
  const values = new Array<string | number>(n);
  for (let k = 0; k < n; k++) values[k] = keyAt(k);
  const sign = descending ? -1 : 1;
  const order = new Uint32Array(n);
  for (let k = 0; k < n; k++) order[k] = k;
  order.sort((a, b) => {
    const x = values[a]!, y = values[b]!;
    return x < y ? -sign : x > y ? sign : a - b;
  });
  const out = new Uint32Array(n);
  for (let k = 0; k < n; k++) out[k] = ids[order[k]!]!;
  return out;
}
