import { elideStart } from '../present/text-width.js';
import { RowCanvas } from '../present/flow-canvas.js';
import type { FlowMessage } from '../present/flow-message.js';
import { CLOCK_WIDTH, formatClock, formatDelta } from '../present/flow-time.js';
import type { Style, StyledLine } from '../present/styled.js';

/**
 * Ladder rows of the call flow. Stand-in until present/flow.ts lands: one lifeline per address,
 * each message as a label row (time, method or status) and an arrow row (delta, arrow).
 */
export interface LadderOptions {
  width: number;
  addresses: readonly string[];
  compressed: boolean;
  colorByCseq: boolean;
  ascii: boolean;
  utcOffsetMinutes: number;
}

const CSEQ_STYLES: Style[] = ['request', 'response2xx', 'response1xx', 'response3xx', 'sipUri', 'response4xx'];

function spacing(o: LadderOptions): number {
  const free = o.width - CLOCK_WIDTH - 1;
  const max = o.compressed ? 18 : 36;
  return Math.max(8, Math.min(max, Math.floor(free / Math.max(1, o.addresses.length))));
}

function columnX(o: LadderOptions, i: number): number {
  const s = spacing(o);
  return CLOCK_WIDTH + 1 + Math.floor(s / 2) + i * s;
}

function messageStyle(m: FlowMessage, o: LadderOptions): Style {
  if (m.retrans) return 'retrans';
  if (o.colorByCseq) return CSEQ_STYLES[m.cseq % CSEQ_STYLES.length]!;
  if (m.request) return 'request';
  return (['response1xx', 'response2xx', 'response3xx', 'response4xx', 'response5xx', 'response6xx'] as const)[Math.min(5, Math.max(0, Math.floor(m.status / 100) - 1))]!;
}

function lifelines(row: RowCanvas, o: LadderOptions): void {
  const bar = o.ascii ? '|' : '│';
  o.addresses.forEach((_a, i) => row.glyph(columnX(o, i), bar, 'dim'));
}

/** The address names centred over their lifelines. */
export function ladderHeader(o: LadderOptions): StyledLine {
  const row = new RowCanvas(o.width, o.ascii);
  const s = spacing(o);
  o.addresses.forEach((a, i) => {
    const name = elideStart(a, s - 1, o.ascii);
    row.text(columnX(o, i) - Math.floor(name.length / 2), name, 'address');
  });
  return row.toLine();
}

/** The rows of message `i`: label and arrow (one combined row when compressed). */
export function ladderRows(msgs: readonly FlowMessage[], i: number, o: LadderOptions, mark: { cursor: boolean; marked: boolean }): StyledLine[] {
  const m = msgs[i]!;
  const prev = msgs[i - 1];
  const from = columnX(o, o.addresses.indexOf(m.src));
  const to = columnX(o, o.addresses.indexOf(m.dst));
  const style: Style = mark.cursor ? 'cursor' : mark.marked ? 'selected' : messageStyle(m, o);
  const label = `${mark.marked ? '* ' : ''}${m.label}${m.hasSdp ? ' (SDP)' : ''}${m.retrans ? ' (retrans)' : ''}`;
  const left = Math.min(from, to);
  const right = Math.max(from, to);

  const labelRow = new RowCanvas(o.width, o.ascii);
  lifelines(labelRow, o);
  labelRow.text(0, formatClock(m.ts, o.utcOffsetMinutes), mark.cursor ? 'cursor' : 'time');
  const arrowRow = o.compressed ? labelRow : new RowCanvas(o.width, o.ascii);
  if (!o.compressed) {
    lifelines(arrowRow, o);
    arrowRow.text(0, prev === undefined ? '' : formatDelta(prev.ts, m.ts), 'dim');
  }
  const dash = o.ascii ? '-' : '─';
  if (from === to) {
    // A message to its own address: a short loop to the right.
    arrowRow.fill(from + 1, from + 4, dash, style);
    arrowRow.glyph(from + 4, '<', style);
  } else {
    arrowRow.fill(left + 1, right, dash, style);
    arrowRow.glyph(to > from ? right - 1 : left + 1, to > from ? '>' : '<', style);
  }
  const span = Math.max(right - left - 1, 1);
  const text = label.length > span ? label.slice(0, span) : label;
  const at = left + 1 + Math.floor((span - text.length) / 2);
  if (o.compressed) labelRow.text(at, ` ${text} `.slice(0, span), style);
  else labelRow.text(at, text, style);
  return o.compressed ? [labelRow.toLine()] : [labelRow.toLine(), arrowRow.toLine()];
}
