import type { ColumnContext, ColumnId, FaxCell } from '../model/columns.js';
import type { CallState, Dialog } from '../model/sip.js';
import { worstFinding, type Severity } from '../model/finding.js';
import { userAtHost } from '../store/user-at-host.js';
import { streamsOf, worstStream } from '../store/media-facts.js';
import type { Style } from './styled.js';
import { elideAddress, fitCells } from './text-width.js';

export type { ColumnContext, ColumnId } from '../model/columns.js';

export interface Column {
  id: ColumnId;
  title: string;
  /** Columns never shrink below this; when they do not fit the rightmost are dropped. */
  minWidth: number;
  /** Share of the spare width (0: fixed). */
  grow: number;
  /** Spare width goes to this column first, up to this many cells (a full IPv4 ip:port), before the others grow. */
  preferred?: number;
  /** An ip:port: cut at the start, keeping the port and whole trailing octets. */
  address?: boolean;
  /** Shown only in a table at least this wide: on a narrower one the columns before it keep their room. */
  tableWidth?: number;
  /** The cell's text; `ctx` gives the dialog's media and fax (the Store is one). */
  value(d: Dialog, ctx: ColumnContext): string;
  /** The cell's own colour, over the row's (findings by severity, bad media, a failed fax). */
  style?(d: Dialog, ctx: ColumnContext): Style | undefined;
}

/** "255.255.255.255:65535". */
const IPV4_PORT = 21;

function pad2(n: number): string { return n < 10 ? '0' + n : String(n); }

/** Local date and time of a capture timestamp (ns since the epoch). */
function localDate(ns: bigint): Date { return new Date(Number(ns / 1_000_000n)); }

export function formatDate(ns: bigint): string {
  const d = localDate(ns);
  return `${d.getFullYear()}/${pad2(d.getMonth() + 1)}/${pad2(d.getDate())}`;
}

export function formatTime(ns: bigint): string {
  const d = localDate(ns);
  const us = Number((ns / 1000n) % 1_000_000n);
  return `${pad2(d.getHours())}:${pad2(d.getMinutes())}:${pad2(d.getSeconds())}.${String(us).padStart(6, '0')}`;
}

export function formatDuration(ns: bigint): string {
  const s = Number(ns / 1_000_000_000n);
  return `${pad2(Math.floor(s / 3600))}:${pad2(Math.floor(s / 60) % 60)}:${pad2(s % 60)}`;
}

/** The URI user as sngrep shows it; the display name only when there is no user part. */
function party(user: string, display: string): string {
  return user === '' ? display : user;
}

export const COLUMNS: readonly Column[] = [
  { id: 'index', title: 'Idx', minWidth: 3, grow: 0, value: (d) => String(d.id + 1) },
  { id: 'method', title: 'Method', minWidth: 9, grow: 0, value: (d) => d.method },
  { id: 'from', title: 'SIP From', minWidth: 8, grow: 2, value: (d) => party(d.fromUser, d.fromDisplay) },
  { id: 'to', title: 'SIP To', minWidth: 8, grow: 2, value: (d) => party(d.toUser, d.toDisplay) },
  { id: 'msgs', title: 'Msgs', minWidth: 4, grow: 0, value: (d) => String(d.messageCount) },
  { id: 'src', title: 'Source', minWidth: 12, grow: 1, preferred: IPV4_PORT, address: true, value: (d) => d.src },
  { id: 'dst', title: 'Destination', minWidth: 12, grow: 1, preferred: IPV4_PORT, address: true, value: (d) => d.dst },
  { id: 'state', title: 'Call State', minWidth: 10, grow: 0, value: (d) => d.state },
  { id: 'date', title: 'Date', minWidth: 10, grow: 0, value: (d) => formatDate(d.start) },
  { id: 'time', title: 'Time', minWidth: 15, grow: 0, value: (d) => formatTime(d.start) },
  { id: 'duration', title: 'Duration', minWidth: 8, grow: 0, value: (d) => formatDuration(d.end - d.start) },
  { id: 'callId', title: 'Call-ID', minWidth: 20, grow: 2, value: (d) => d.callId },
  { id: 'xCallId', title: 'X-Call-ID', minWidth: 14, grow: 1, value: (d) => d.xCallId },
  { id: 'reason', title: 'Reason', minWidth: 14, grow: 1, value: (d) => d.reason },
  { id: 'userAgent', title: 'User-Agent', minWidth: 14, grow: 1, value: (d) => d.userAgent },
  { id: 'transport', title: 'Transport', minWidth: 9, grow: 0, value: (d) => d.transport },
  // HEP capture agents (-L) that saw the dialog; empty for local capture.
  { id: 'node', title: 'Node', minWidth: 6, grow: 1, value: (d) => d.nodes?.join(',') ?? '' },
  { id: 'fromUri', title: 'From URI', minWidth: 14, grow: 2, value: (d) => userAtHost(d.fromUser, d.fromHost) },
  { id: 'toUri', title: 'To URI', minWidth: 14, grow: 2, value: (d) => userAtHost(d.toUser, d.toHost) },
  // The worst finding's code, and how many more there are.
  {
    // From a 130-cell terminal: sngrep's columns then still get 16 cells for a number and a full ip:port beside it.
    id: 'findings', title: 'Findings', minWidth: 14, grow: 1, tableWidth: 126,
    value: (d) => {
      const list = d.findings ?? [];
      const worst = worstFinding(list);
      return worst ? `${worst.code}${list.length > 1 ? ` +${list.length - 1}` : ''}` : '';
    },
    style: (d) => {
      const worst = worstFinding(d.findings ?? []);
      return worst ? SEVERITY_STYLES[worst.severity] : undefined;
    },
  },
  // Media (no -r needed: statistics are always kept). MOS and loss are the dialog's worst stream's.
  { id: 'streams', title: 'Streams', minWidth: 7, grow: 0, value: (d, ctx) => String(ctx.streamCount?.(d.id) ?? 0) },
  {
    id: 'mos', title: 'MOS', minWidth: 4, grow: 0, value: (d, ctx) => figure(worstStream('mos', streamsOf(ctx, d.id))),
    style: mediaStyle,
  },
  {
    id: 'loss', title: 'Loss %', minWidth: 6, grow: 0, value: (d, ctx) => figure(worstStream('loss', streamsOf(ctx, d.id))),
    style: mediaStyle,
  },
  // T.38: the fax verdict (fax screen: F in the call flow).
  {
    id: 'fax', title: 'Fax', minWidth: 10, grow: 0, value: (d, ctx) => faxText(ctx.faxCell?.(d.id)),
    style: (d, ctx) => {
      const f = ctx.faxCell?.(d.id);
      return f ? FAX_STYLES[f.result] : undefined;
    },
  },
];

/** Findings are coloured by severity wherever they show (list cell, findings pane, triage). */
/** A worst stream's MOS, loss %: one decimal, '' for a dialog without (rated) streams. */
function figure(v: number | undefined): string {
  return v === undefined ? '' : v.toFixed(1);
}

/** Media figures are coloured when the diagnosis found them bad (its thresholds are the rc file's diag.*). */
function mediaStyle(d: Dialog): Style | undefined {
  return d.findings?.some((f) => f.code === 'media-quality') ? 'findingWarning' : undefined;
}

const FAX_STYLES: Record<FaxCell['result'], Style> = { ok: 'stateCompleted', failed: 'findingError', incomplete: 'findingWarning' };

/** "ok 2/2", "failed 0/1", "incomplete 1/2": the verdict and the pages confirmed of those sent. */
function faxText(f: FaxCell | undefined): string {
  return f === undefined ? '' : `${f.result} ${f.confirmedPages}/${f.pages}`;
}

/** Findings are coloured by severity wherever they show (list cell, findings pane, triage). */
export const SEVERITY_STYLES: Record<Severity, Style> = { error: 'findingError', warning: 'findingWarning', info: 'findingInfo' };

/** A cell's text in exactly `width` cells, cut with an ellipsis. */
export function cellText(c: Column, d: Dialog, ctx: ColumnContext, width: number, ascii: boolean): string {
  const v = c.value(d, ctx);
  return c.address === true ? elideAddress(v, width, ascii) : fitCells(v, width, ascii);
}

export function columnById(id: ColumnId): Column {
  return COLUMNS.find((c) => c.id === id)!;
}

export interface PlacedColumn { column: Column; x: number; width: number }

/**
 * Places the chosen columns left to right in `width` cells, one blank between them (the index
 * column wide enough for `dialogCount`). Columns
 * that do not fit at their minimum width are dropped from the right; the spare width goes first
 * to the columns with a preferred width (addresses, up to a full IPv4 ip:port), then to the other
 * growing columns in proportion.
 */
export function layoutColumns(ids: readonly ColumnId[], x0: number, width: number, dialogCount = 0): PlacedColumn[] {
  const fitting: Column[] = [];
  let used = 0;
  for (const id of ids) {
    let c = columnById(id);
    // The index column grows with the number of dialogs so the last ones are never cut.
    if (id === 'index') c = { ...c, minWidth: Math.max(c.minWidth, String(dialogCount).length) };
    if (c.tableWidth !== undefined && width < c.tableWidth) continue;
    const need = c.minWidth + (fitting.length > 0 ? 1 : 0);
    if (used + need > width) break;
    fitting.push(c);
    used += need;
  }
  let spare = width - used;
  const widths = fitting.map((c) => c.minWidth);
  // Addresses first: they share what there is, each up to its preferred width.
  const wanting = fitting.flatMap((c, k) => (c.preferred === undefined ? [] : [k]));
  for (let left = wanting.length; left > 0 && spare > 0; left--) {
    const k = wanting[wanting.length - left]!;
    const give = Math.min(Math.max(0, fitting[k]!.preferred! - widths[k]!), Math.ceil(spare / left));
    widths[k]! += give;
    spare -= give;
  }
  const others = fitting.some((c) => c.grow > 0 && c.preferred === undefined);
  const growOf = (c: Column): number => (others && c.preferred !== undefined ? 0 : c.grow);
  const growTotal = fitting.reduce((s, c) => s + growOf(c), 0);
  const share = spare;
  fitting.forEach((c, k) => {
    const extra = growTotal === 0 ? 0 : Math.floor((share * growOf(c)) / growTotal);
    spare -= extra;
    widths[k]! += extra;
  });
  const placed: PlacedColumn[] = [];
  let x = x0;
  fitting.forEach((c, k) => {
    placed.push({ column: c, x, width: widths[k]! });
    x += widths[k]! + 1;
  });
  // Rounding leftovers go to the last column so the table spans the width.
  const last = placed[placed.length - 1];
  if (last !== undefined) last.width += spare;
  return placed;
}

const STATE_STYLES: Record<CallState, Style> = {
  '': 'default',
  'CALL SETUP': 'stateSetup',
  'IN CALL': 'stateInCall',
  CANCELLED: 'stateCancelled',
  REJECTED: 'stateRejected',
  BUSY: 'stateBusy',
  DIVERTED: 'stateDiverted',
  COMPLETED: 'stateCompleted',
};

/** Rows are coloured by call state, as sngrep does. */
export function stateStyle(state: CallState): Style {
  return STATE_STYLES[state];
}
