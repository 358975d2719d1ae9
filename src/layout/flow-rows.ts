import { RowCanvas } from './flow-canvas.js';
import { flowGlyphs, type FlowGlyphs } from './flow-glyphs.js';
import { lifelineOf, type FlowLayout } from './flow-layout.js';
import type { FlowMessage } from './flow-message.js';
import { sdpLabel } from './flow-sdp.js';
import { streamLabel } from './flow-media.js';
import { isLogRow } from './flow-log.js';
import { markSeverity, type FindingMarks } from './flow-findings.js';
import type { Severity } from '../model/finding.js';
import type { SdpMode } from '../model/flow.js';
import { CLOCK_WIDTH, formatClock, formatDelta } from './flow-time.js';
import type { Style, StyledLine } from './styled.js';
import { cellWidth, cutCells } from './text-width.js';

/** How arrows are coloured: requests vs response classes, a colour per CSeq, or a colour per dialog. */
export type FlowColorBy = 'type' | 'cseq' | 'dialog';

export interface FlowRowsOptions {
  /** Position in `msgs` of the message under the cursor (-1 for none). */
  selected: number;
  colorBy: FlowColorBy;
  /** Positions in `msgs` marked for compare. */
  marked?: readonly number[];
  /** Zone of the time column, minutes east of UTC (default UTC). */
  utcOffsetMinutes?: number;
  /** What arrows carrying SDP say about it (default off: "(SDP)"). */
  sdpMode?: SdpMode;
  /** Messages a diagnosis finding points at: marked beside the time, in the worst finding's colour. */
  findings?: FindingMarks;
  /**
   * Cells [from, to) of the rows the screen shows of a ladder scrolled sideways: a label its arrow
   * carries across an edge moves onto the arrow's visible part, so it is read whole, not as a tail.
   */
  view?: { from: number; to: number };
}

const FINDING_STYLE: Record<Severity, Style> = { error: 'findingError', warning: 'findingWarning', info: 'findingInfo' };

/** The cell of a finding's mark: the first one after the time column (the first band's left half, never drawn on). */
export function findingMarkX(layout: FlowLayout): number {
  return layout.timeColumn ? CLOCK_WIDTH + 1 : 0;
}

// Styles whose theme colours differ from each other, cycled for colour by CSeq or dialog.
const PALETTE: readonly Style[] = ['request', 'response1xx', 'response2xx', 'response3xx', 'response4xx', 'response5xx'];
const RESPONSE_STYLE: readonly Style[] = ['response1xx', 'response1xx', 'response2xx', 'response3xx', 'response4xx', 'response5xx', 'response6xx'];
const RETRANS_HEADS = 3;

/** The style of a message's arrow (what exports colour it with, too). */
export function arrowStyle(m: FlowMessage, layout: FlowLayout, colorBy: FlowColorBy): Style {
  if (m.retrans) return 'retrans';
  if (m.synthetic !== undefined) return m.synthetic.kind === 'fax' ? 'sdp' : m.synthetic.kind === 'log' ? 'body' : 'media';
  switch (colorBy) {
    case 'cseq':
      return PALETTE[m.cseq % PALETTE.length]!;
    case 'dialog':
      return PALETTE[(layout.dialogOrder.get(m.dialog) ?? 0) % PALETTE.length]!;
    case 'type':
      if (m.request) return 'request';
      return RESPONSE_STYLE[Math.min(6, Math.max(0, Math.floor(m.status / 100)))]!;
  }
}

/**
 * The arrow's text: "200 OK", "INVITE (SDP)" or its media summary (flow-sdp.ts), with "(retrans)"
 * when there is room for it.
 */
export function arrowLabel(m: FlowMessage, room: number, ascii: boolean, sdpMode: SdpMode = 'off'): string {
  if (m.stream !== undefined) return streamLabel(m.stream, room, ascii);
  if (m.dtmf !== undefined) return cutCells(`${m.label} (DTMF ${m.dtmf})`, room, ascii);
  const base = m.hasSdp ? sdpLabel(m.label, m.sdp, sdpMode, Number.MAX_SAFE_INTEGER, ascii) : m.label;
  const withRetrans = `${base} (retrans)`;
  if (m.retrans && cellWidth(withRetrans, ascii) <= room) return withRetrans;
  return m.hasSdp ? sdpLabel(m.label, m.sdp, sdpMode, room, ascii) : cutCells(base, room, ascii);
}

interface Paint {
  layout: FlowLayout;
  g: FlowGlyphs;
  style: Style;
  marked: boolean;
  sdpMode: SdpMode;
  view: { from: number; to: number } | undefined;
}

function drawLifelines(row: RowCanvas, layout: FlowLayout, g: FlowGlyphs): void {
  for (const col of layout.columns) row.glyph(col.x, g.lifeline, 'dim');
  if (layout.overflowX >= 0) row.glyph(layout.overflowX, g.overflowLine, 'dim');
}

/** An arrow between two lifelines; the label above it (two rows) or inside it (one row). */
function drawArrow(labelRow: RowCanvas, lineRow: RowCanvas, m: FlowMessage, a: number, b: number, p: Paint): void {
  const { layout, g, style } = p;
  const from = Math.min(a, b);
  const to = Math.max(a, b);
  const span = to - from - 1;
  lineRow.fill(from + 1, to, p.marked ? g.markedLine : m.synthetic && m.synthetic.kind !== 'fax' ? g.mediaLine : g.line, style);
  const inline = labelRow === lineRow;
  const place = (lo: number, hi: number): { text: string; start: number } => {
    const room = hi - lo - 1;
    const label = arrowLabel(m, Math.max(1, room - (inline ? 4 : 2)), layout.ascii, p.sdpMode);
    const text = inline ? ` ${label} ` : label;
    return { text, start: lo + 1 + ((room - cellWidth(text, layout.ascii)) >> 1) };
  };
  let label = place(from, to);
  const v = p.view;
  if (v !== undefined && (label.start < v.from || label.start + cellWidth(label.text, layout.ascii) > v.to)) {
    label = place(Math.max(from, v.from - 1), Math.min(to, v.to));
  }
  labelRow.text(label.start, label.text, style, to);
  const heads = m.retrans ? Math.min(RETRANS_HEADS, span) : 1;
  // A head scrolled out of view is drawn at the edge it went past, so the arrow still shows its direction.
  const seen = v !== undefined && from + 1 < v.to && to > v.from;
  const right = seen && to - 1 >= v.to ? v.to - 1 : to - 1;
  const left = seen && from + 1 < v.from ? v.from : from + 1;
  for (let k = 0; k < heads; k++) {
    if (a < b) lineRow.glyph(right - k, g.right, style);
    else lineRow.glyph(left + k, g.left, style);
  }
}

/** A message a column sends to itself: a small loop beside the lifeline, the label to its right. */
function drawLoop(labelRow: RowCanvas, lineRow: RowCanvas, m: FlowMessage, x: number, p: Paint): void {
  const { layout, g, style } = p;
  const room = Math.max(1, layout.spacing - 5);
  if (labelRow !== lineRow) {
    labelRow.glyph(x + 1, p.marked ? g.markedLine : g.line, style);
    labelRow.glyph(x + 2, g.loopTop, style);
  }
  lineRow.glyph(x + 1, g.left, style);
  lineRow.glyph(x + 2, g.loopBottom, style);
  labelRow.text(x + 4, arrowLabel(m, room, layout.ascii, p.sdpMode), style, x + 4 + room);
}

/** Where a HEP agent's log line goes: across the lifelines from the first one on, as far as the ladder is wide. */
export function noteSpan(layout: FlowLayout): { left: number; room: number } {
  const left = layout.columns[0] === undefined ? findingMarkX(layout) + 2 : layout.columns[0].x + 2;
  return { left, room: Math.max(1, layout.width - left - 2) };
}

function drawNote(labelRow: RowCanvas, m: FlowMessage, p: Paint): void {
  const { left, room } = noteSpan(p.layout);
  labelRow.text(left, ` ${cutCells(m.label, room, p.layout.ascii)} `, p.style);
}

/** A message between two columns that did not fit: its label just left of the overflow lane. */
function drawBeyond(labelRow: RowCanvas, m: FlowMessage, p: Paint): void {
  const { layout, g, style } = p;
  const x = layout.overflowX;
  const label = arrowLabel(m, Math.max(1, layout.spacing - 2), layout.ascii, p.sdpMode);
  labelRow.text(x - 1 - cellWidth(label, layout.ascii), label, style, x);
  labelRow.glyph(x, g.overflowLine, style);
}

function drawMessage(rows: RowCanvas[], msgs: readonly FlowMessage[], i: number, p: Paint, opts: FlowRowsOptions): void {
  const { layout, g } = p;
  const m = msgs[i]!;
  for (const row of rows) drawLifelines(row, layout, g);
  const labelRow = rows[0]!;
  const lineRow = rows[rows.length - 1]!;
  if (layout.timeColumn) {
    const timeStyle: Style = i === opts.selected ? 'cursor' : p.marked ? 'selected' : 'time';
    labelRow.text(0, formatClock(m.ts, opts.utcOffsetMinutes), timeStyle, CLOCK_WIDTH);
    if (rows.length > 1 && i > 0) {
      const delta = formatDelta(msgs[i - 1]!.ts, m.ts);
      lineRow.text(CLOCK_WIDTH - cellWidth(delta), delta, 'time', CLOCK_WIDTH);
    }
  }
  const severity = m.synthetic === undefined ? markSeverity(opts.findings, m.id) : undefined;
  if (severity !== undefined) labelRow.glyph(findingMarkX(layout), g.finding[severity], FINDING_STYLE[severity]);
  if (isLogRow(m)) return drawNote(labelRow, m, p);
  const a = lifelineOf(layout, m.src);
  const b = lifelineOf(layout, m.dst);
  if (a !== b) drawArrow(labelRow, lineRow, m, a, b, p);
  else if (a === layout.overflowX && m.src !== m.dst) drawBeyond(labelRow, m, p);
  else drawLoop(labelRow, lineRow, m, a, p);
}

/**
 * The ladder rows of messages [from, from + count): `layout.rowsPerMessage` lines per message,
 * each exactly `layout.width` cells. Only this window is drawn, so the cost follows the screen
 * height, not the dialog length; deltas still use the message before the window.
 */
export function flowRows(layout: FlowLayout, msgs: readonly FlowMessage[], from: number, count: number, opts: FlowRowsOptions): StyledLine[] {
  const g = flowGlyphs(layout.ascii);
  const marked = new Set(opts.marked ?? []);
  const lines: StyledLine[] = [];
  const end = Math.min(msgs.length, from + count);
  for (let i = Math.max(0, from); i < end; i++) {
    const m = msgs[i]!;
    const style: Style = i === opts.selected ? 'cursor' : arrowStyle(m, layout, opts.colorBy);
    const rows = Array.from({ length: layout.rowsPerMessage }, () => new RowCanvas(layout.width, layout.ascii));
    drawMessage(rows, msgs, i, { layout, g, style, marked: marked.has(i), sdpMode: opts.sdpMode ?? 'off', view: opts.view }, opts);
    for (const row of rows) lines.push(row.toLine());
  }
  return lines;
}
