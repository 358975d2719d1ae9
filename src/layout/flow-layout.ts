import { hostOf, type FlowMessage } from './flow-message.js';
import { CLOCK_WIDTH } from './flow-time.js';
import { isLogRow } from './flow-log.js';
import { aliasOf } from './alias.js';

export interface FlowLayoutOptions {
  /** sngrep's compressed view: one column per host (or alias) instead of per ip:port, narrower columns, one row per message. */
  compressed: boolean;
  ascii: boolean;
  /** Display names keyed by `ip` or by `ip:port`. */
  aliases?: ReadonlyMap<string, string>;
  /** Show the time (and, uncompressed, the delta) at the left of each arrow. */
  timeColumn: boolean;
}

export interface FlowColumn {
  /** What messages are matched on: the address, or in compressed mode the host or its alias. */
  key: string;
  /** Full title; the header fits it to the column. */
  title: string;
  /** True when the title is an alias rather than an address (cut at the end rather than at the start). */
  aliased: boolean;
  /** Cell of the lifeline. */
  x: number;
}

export interface FlowLayout {
  /** Cells every line takes. */
  width: number;
  /** Cells the ladder actually needs (time column, columns, overflow lane); the rest can go to the message pane. */
  usedWidth: number;
  ascii: boolean;
  compressed: boolean;
  timeColumn: boolean;
  /** Screen rows per message: label above arrow (2), or label inside the arrow (1, compressed). */
  rowsPerMessage: 1 | 2;
  /** Cells between neighbouring lifelines (each column owns a band this wide, lifeline in its middle). */
  spacing: number;
  /** Columns that fit, left to right, in order of first appearance. */
  columns: FlowColumn[];
  /** Columns that did not fit; their arrows end at the overflow lane. */
  hidden: number;
  /** Lifeline cell of the overflow lane, -1 when every column fits. */
  overflowX: number;
  /** Column position of each address seen (positions ≥ columns.length are hidden). */
  columnOf: ReadonlyMap<string, number>;
  /** Order of first appearance of each dialog, for colouring by dialog. */
  dialogOrder: ReadonlyMap<number, number>;
}

interface Spacing { preferred: number; min: number }
// sngrep spaces lifelines 30 cells apart; 16 still fits "200 OK (SDP)" between neighbours.
const NORMAL: Spacing = { preferred: 30, min: 16 };
const COMPRESSED: Spacing = { preferred: 20, min: 10 };
/** Cells of the lane that stands for the columns that did not fit ("+3" over a dotted lifeline). */
export const OVERFLOW_LANE = 4;
const TINY_SPACING = 3;

function columnKey(address: string, opts: FlowLayoutOptions): string {
  if (!opts.compressed) return address;
  const host = hostOf(address);
  return opts.aliases?.get(host) ?? host;
}

function columnTitle(address: string, opts: FlowLayoutOptions): { title: string; aliased: boolean } {
  if (opts.compressed) {
    const host = hostOf(address);
    const alias = opts.aliases?.get(host);
    return alias === undefined ? { title: host, aliased: false } : { title: alias, aliased: true };
  }
  const alias = aliasOf(address, opts.aliases);
  return alias === undefined ? { title: address, aliased: false } : { title: alias, aliased: true };
}

/** Where the columns of a ladder go in `width` cells. Scans every message once (columns, dialogs). */
export function layoutFlow(msgs: readonly FlowMessage[], width: number, opts: FlowLayoutOptions): FlowLayout {
  const keys: string[] = [];
  const titles: { title: string; aliased: boolean }[] = [];
  const positionOfKey = new Map<string, number>();
  const columnOf = new Map<string, number>();
  const dialogOrder = new Map<number, number>();
  const see = (address: string): void => {
    if (columnOf.has(address)) return;
    const key = columnKey(address, opts);
    let pos = positionOfKey.get(key);
    if (pos === undefined) {
      pos = keys.length;
      positionOfKey.set(key, pos);
      keys.push(key);
      titles.push(columnTitle(address, opts));
    }
    columnOf.set(address, pos);
  };
  for (const m of msgs) {
    if (!isLogRow(m)) {
      see(m.src);
      see(m.dst);
    }
    if (!dialogOrder.has(m.dialog)) dialogOrder.set(m.dialog, dialogOrder.size);
  }

  const left = opts.timeColumn ? CLOCK_WIDTH + 1 : 0;
  const avail = Math.max(0, width - left);
  const { preferred, min } = opts.compressed ? COMPRESSED : NORMAL;
  const n = keys.length;
  let visible = n;
  let spacing = preferred;
  if (n > 0 && n * min <= avail) {
    spacing = Math.min(preferred, Math.floor(avail / n));
  } else if (n > 0) {
    // Too narrow: keep as many columns as fit at the minimum spacing, the rest go to the overflow lane.
    const room = n > 1 ? Math.max(0, avail - OVERFLOW_LANE) : avail;
    visible = Math.max(1, Math.min(n, Math.floor(room / min)));
    spacing = Math.max(TINY_SPACING, Math.min(preferred, Math.floor(room / visible)));
  }
  const columns: FlowColumn[] = [];
  for (let i = 0; i < visible; i++) {
    columns.push({ key: keys[i]!, ...titles[i]!, x: left + i * spacing + (spacing >> 1) });
  }
  const hidden = n - visible;
  const laneStart = left + visible * spacing;
  return {
    width,
    usedWidth: Math.min(width, laneStart + (hidden > 0 ? OVERFLOW_LANE : 0)),
    ascii: opts.ascii,
    compressed: opts.compressed,
    timeColumn: opts.timeColumn,
    rowsPerMessage: opts.compressed ? 1 : 2,
    spacing,
    columns,
    hidden,
    overflowX: hidden > 0 ? laneStart + 1 : -1,
    columnOf,
    dialogOrder,
  };
}

/** Lifeline cell of an address: its column's, or the overflow lane's when the column did not fit. */
export function lifelineOf(layout: FlowLayout, address: string): number {
  const pos = layout.columnOf.get(address);
  if (pos === undefined || pos >= layout.columns.length) return layout.overflowX;
  return layout.columns[pos]!.x;
}
