import { COLOUR_ROLES, PAGE_COLOURS } from '../layout/colour-roles.js';
import { markSeverity } from '../layout/flow-findings.js';
import { lifelineOf } from '../layout/flow-layout.js';
import { isLogRow } from '../layout/flow-log.js';
import { arrowLabel, arrowStyle, findingMarkX, noteSpan } from '../layout/flow-rows.js';
import { CLOCK_WIDTH, formatClock, formatDelta } from '../layout/flow-time.js';
import type { Style } from '../layout/styled.js';
import { cellWidth, cutCells, elideStart } from '../layout/text-width.js';
import type { FlowDoc } from './flow-doc.js';
import { fullLayout } from './flow-text.js';

/**
 * The ladder as a picture. Geometry comes from the TUI's layout in cells (one cell is CELL px of a
 * monospace font), so columns, label texts and cuts are the terminal's; each message takes ROW px:
 * label, arrow, SDP/media note.
 */
const CELL = 8;
const FONT = 12;
const SMALL = 10;
const ROW = 44;
const HEADER = 40;
const PAD = 8;

/** A style's colour on the page: the terminal's (layout/colour-roles.ts), darkened for white. */
function colourOf(style: Style): string {
  return PAGE_COLOURS[COLOUR_ROLES[style].fg ?? 'black'];
}
const DIM = colourOf('dim');
const FINDING_STYLE = { error: 'findingError', warning: 'findingWarning', info: 'findingInfo' } as const;

export type SvgTextClass = 'host' | 'time' | 'delta' | 'label' | 'note';

/** A text of the picture with its box (x, y top-left, w, h in px), for drawing and for the overlap test. */
export interface SvgText { x: number; y: number; w: number; h: number; text: string; cls: SvgTextClass; colour: string; bold?: boolean }
/** `dash`: retransmissions dashed, media rows (RTP, DTMF) dotted. */
export interface SvgArrow { message: number; x1: number; x2: number; y: number; colour: string; dash: '' | 'retrans' | 'media'; loop: boolean; heads: number }
/** The mark of a message a diagnosis finding points at: a dot in its worst severity's colour, the findings as its tooltip. */
export interface SvgMark { message: number; cx: number; cy: number; colour: string; title: string }
export interface SvgFlow {
  width: number;
  height: number;
  lifelines: number[];
  texts: SvgText[];
  arrows: SvgArrow[];
  marks: SvgMark[];
  /** Vertical band of each message (for the clickable area of the HTML export). */
  rowTop(i: number): number;
}

function textBox(cellX: number, baseline: number, text: string, size: number, cls: SvgTextClass, colour: string, bold = false): SvgText {
  // Monospace glyphs are ~0.6 em wide, so a text of n cells fits in n * CELL px at FONT px.
  return { x: cellX * CELL, y: baseline - size, w: cellWidth(text) * size * 0.6, h: size + 2, text, cls, colour, bold };
}

/** Characters of the small font that fit in `cells` label cells. */
function noteRoom(cells: number): number {
  return Math.max(1, Math.floor((cells * CELL) / (SMALL * 0.6)));
}

/** Label cells that `chars` characters of the small font take. */
function noteRoomCells(chars: number): number {
  return (chars * SMALL * 0.6) / CELL;
}

/** Where everything of the SVG goes. Pure: doc in, boxes out. */
export function layoutSvgFlow(doc: FlowDoc): SvgFlow {
  const layout = fullLayout(doc.messages, false);
  const texts: SvgText[] = [];
  const arrows: SvgArrow[] = [];
  const marks: SvgMark[] = [];
  const room = Math.max(1, layout.spacing - 1);
  for (const col of layout.columns) {
    const title = col.aliased ? cutCells(col.title, room) : elideStart(col.title, room);
    const start = col.x - (layout.spacing >> 1) + ((room - cellWidth(title)) >> 1);
    texts.push(textBox(start, HEADER - 14, title, FONT, 'host', colourOf('address'), true));
  }
  const rowTop = (i: number): number => HEADER + i * ROW;
  doc.messages.forEach((m, i) => {
    const top = rowTop(i);
    const style = arrowStyle(m, layout, 'type');
    const colour = colourOf(style);
    const bold = COLOUR_ROLES[style].bold === true;
    const dash = m.retrans ? 'retrans' : m.synthetic !== undefined && m.synthetic.kind !== 'fax' ? 'media' : '';
    const severity = m.synthetic === undefined ? markSeverity(doc.findings, m.id) : undefined;
    if (severity !== undefined) {
      const title = (doc.findings.get(m.id) ?? []).map((f) => `${f.severity} ${f.code}: ${f.text}`).join('\n');
      marks.push({ message: i, cx: findingMarkX(layout) * CELL + CELL / 2, cy: top + 11, colour: colourOf(FINDING_STYLE[severity]), title });
    }
    texts.push(textBox(0, top + 14, formatClock(m.ts, doc.utcOffsetMinutes), SMALL, 'time', DIM));
    if (i > 0) {
      const delta = formatDelta(doc.messages[i - 1]!.ts, m.ts);
      texts.push(textBox(CLOCK_WIDTH - cellWidth(delta), top + 28, delta, SMALL, 'delta', DIM));
    }
    if (isLogRow(m)) {
      // A HEP log line: no arrow, a note across the ladder where the terminal writes it.
      const span = noteSpan(layout);
      texts.push(textBox(span.left + 1, top + 16, cutCells(m.label, span.room), FONT, 'label', colour, bold));
      return;
    }
    const a = lifelineOf(layout, m.src);
    const b = lifelineOf(layout, m.dst);
    const note = doc.notes[i] ?? '';
    const heads = m.retrans ? 3 : 1;
    if (a !== b) {
      const from = Math.min(a, b);
      const span = Math.max(a, b) - from - 1;
      const label = arrowLabel(m, Math.max(1, span - 2), false, doc.sdpMode);
      texts.push(textBox(from + 1 + ((span - cellWidth(label)) >> 1), top + 16, label, FONT, 'label', colour, bold));
      if (note !== '') {
        // The note's smaller font fits more characters than the label's cells.
        const n = cutCells(note, noteRoom(span - 2));
        const cells = Math.ceil(noteRoomCells(cellWidth(n)));
        texts.push(textBox(from + 1 + ((span - cells) >> 1), top + 36, n, SMALL, 'note', DIM));
      }
      arrows.push({ message: i, x1: a * CELL, x2: b * CELL, y: top + 22, colour, dash, loop: false, heads });
    } else {
      const space = Math.max(1, layout.spacing - 5);
      texts.push(textBox(a + 4, top + 16, arrowLabel(m, space, false, doc.sdpMode), FONT, 'label', colour, bold));
      if (note !== '') texts.push(textBox(a + 4, top + 36, cutCells(note, noteRoom(space)), SMALL, 'note', DIM));
      arrows.push({ message: i, x1: a * CELL, x2: a * CELL, y: top + 22, colour, dash, loop: true, heads });
    }
  });
  return {
    // A loop on the last column writes its label past the last band.
    width: Math.ceil(texts.reduce((w, t) => Math.max(w, t.x + t.w), layout.usedWidth * CELL)) + PAD,
    height: rowTop(doc.messages.length) + PAD,
    lifelines: layout.columns.map((c) => c.x * CELL),
    texts,
    arrows,
    marks,
    rowTop,
  };
}

export function xmlEscape(s: string): string {
  return s.replace(/[<>&"']/g, (c) => `&${{ '<': 'lt', '>': 'gt', '&': 'amp', '"': 'quot', "'": 'apos' }[c]};`);
}

/** An arrow as its shaft (stroked, never filled: a self-message's loop must stay a loop) and its heads (filled). */
function arrowPaths(a: SvgArrow): { shaft: string; heads: string } {
  const head = (x: number, dir: number): string => `M${x},${a.y}l${-6 * dir},-4v8z`;
  if (a.loop) return { shaft: `M${a.x1},${a.y - 10}h14v10h-14`, heads: head(a.x1, -1) };
  const dir = a.x2 > a.x1 ? 1 : -1;
  let heads = '';
  for (let k = 0; k < a.heads; k++) heads += head(a.x2 - dir * k * 7, dir);
  return { shaft: `M${a.x1},${a.y}H${a.x2}`, heads };
}

/** Row i's arrow (a log row has none) and texts as an SVG group (the HTML export makes it clickable by its data-msg). */
function messageGroup(flow: SvgFlow, i: number, texts: readonly SvgText[], a: SvgArrow | undefined, mark: SvgMark | undefined): string {
  const top = flow.rowTop(i);
  let shaft = '';
  if (a !== undefined) {
    const dash = a.dash === 'retrans' ? ' stroke-dasharray="4 3"' : a.dash === 'media' ? ' stroke-dasharray="1.5 2.5"' : '';
    const paths = arrowPaths(a);
    shaft = `<path d="${paths.shaft}" stroke="${a.colour}" fill="none" stroke-width="1.5"${dash}/>` +
      `<path d="${paths.heads}" stroke="${a.colour}" fill="${a.colour}" stroke-width="1"/>`;
  }
  return `<g class="msg" data-msg="${i}"><rect class="hit" x="0" y="${top}" width="${flow.width}" height="${ROW}" fill="transparent"/>` +
    shaft + texts.map(textElement).join('') + (mark === undefined ? '' : markElement(mark)) + '</g>';
}

function markElement(m: SvgMark): string {
  return `<circle class="finding" cx="${m.cx}" cy="${m.cy}" r="4" fill="${m.colour}"><title>${xmlEscape(m.title)}</title></circle>`;
}

function textElement(t: SvgText): string {
  const size = t.cls === 'time' || t.cls === 'delta' || t.cls === 'note' ? SMALL : FONT;
  const weight = t.bold ? ' font-weight="bold"' : '';
  return `<text class="${t.cls}" x="${t.x}" y="${t.y + size}" font-size="${size}" fill="${t.colour}"${weight} xml:space="preserve">${xmlEscape(t.text)}</text>`;
}

/** A standalone SVG document of the ladder. */
export function flowSvg(doc: FlowDoc): string {
  const flow = layoutSvgFlow(doc);
  const byRow = new Map<number, SvgText[]>();
  const marksByRow = new Map(flow.marks.map((m) => [m.message, m] as const));
  const arrowsByRow = new Map(flow.arrows.map((a) => [a.message, a] as const));
  const rows = doc.messages.length;
  const header: SvgText[] = [];
  for (const t of flow.texts) {
    if (t.cls === 'host') { header.push(t); continue; }
    const row = Math.floor((t.y + t.h / 2 - HEADER) / ROW);
    byRow.set(row, [...(byRow.get(row) ?? []), t]);
  }
  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${flow.width}" height="${flow.height}" viewBox="0 0 ${flow.width} ${flow.height}" font-family="DejaVu Sans Mono, Menlo, Consolas, monospace">`,
    `<rect width="100%" height="100%" fill="#ffffff"/>`,
    ...header.map(textElement),
    `<path d="M0,${HEADER - 4}H${flow.width}" stroke="${DIM}"/>`,
    ...flow.lifelines.map((x) => `<path d="M${x},${HEADER - 4}V${flow.height}" stroke="#bbbbbb"/>`),
    ...Array.from({ length: rows }, (_, i) => messageGroup(flow, i, byRow.get(i) ?? [], arrowsByRow.get(i), marksByRow.get(i))),
    '</svg>',
  ];
  return parts.join('\n') + '\n';
}
