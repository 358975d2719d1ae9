/**
 * How many terminal cells text takes, with the Unicode 11 East Asian Width and emoji tables that
 * xterm's unicode11 provider uses, so presenters, widgets and the terminal agree on alignment.
 * Control characters are counted as one cell: the sanitizer shows each as one placeholder.
 * In ASCII mode the sanitizer shows every non-ASCII character as one '?', so each counts as one.
 */
import type { StyledLine } from './styled.js';

/** Wide (2-cell) code point ranges, inclusive: East Asian Wide/Fullwidth and emoji presentation, Unicode 11. */
const WIDE: readonly (readonly [number, number])[] = [
  [0x1100, 0x115f], [0x231a, 0x231b], [0x2329, 0x232a], [0x23e9, 0x23ec], [0x23f0, 0x23f0],
  [0x23f3, 0x23f3], [0x25fd, 0x25fe], [0x2614, 0x2615], [0x2648, 0x2653], [0x267f, 0x267f],
  [0x2693, 0x2693], [0x26a1, 0x26a1], [0x26aa, 0x26ab], [0x26bd, 0x26be], [0x26c4, 0x26c5],
  [0x26ce, 0x26ce], [0x26d4, 0x26d4], [0x26ea, 0x26ea], [0x26f2, 0x26f3], [0x26f5, 0x26f5],
  [0x26fa, 0x26fa], [0x26fd, 0x26fd], [0x2705, 0x2705], [0x270a, 0x270b], [0x2728, 0x2728],
  [0x274c, 0x274c], [0x274e, 0x274e], [0x2753, 0x2755], [0x2757, 0x2757], [0x2795, 0x2797],
  [0x27b0, 0x27b0], [0x27bf, 0x27bf], [0x2b1b, 0x2b1c], [0x2b50, 0x2b50], [0x2b55, 0x2b55],
  [0x2e80, 0x2e99], [0x2e9b, 0x2ef3], [0x2f00, 0x2fd5], [0x2ff0, 0x2ffb], [0x3000, 0x3029],
  [0x302e, 0x303e], [0x3041, 0x3096], [0x309b, 0x30ff], [0x3105, 0x312f], [0x3131, 0x318e],
  [0x3190, 0x31ba], [0x31c0, 0x31e3], [0x31f0, 0x321e], [0x3220, 0x3247], [0x3250, 0x4dbf],
  [0x4e00, 0xa48c], [0xa490, 0xa4c6], [0xa960, 0xa97c], [0xac00, 0xd7a3], [0xf900, 0xfaff],
  [0xfe10, 0xfe19], [0xfe30, 0xfe52], [0xfe54, 0xfe66], [0xfe68, 0xfe6b], [0xff01, 0xff60],
  [0xffe0, 0xffe6], [0x16fe0, 0x16fe3], [0x17000, 0x187f7], [0x18800, 0x18af2], [0x1b000, 0x1b11e],
  [0x1b150, 0x1b152], [0x1b164, 0x1b167], [0x1b170, 0x1b2fb], [0x1f004, 0x1f004], [0x1f0cf, 0x1f0cf],
  [0x1f18e, 0x1f18e], [0x1f191, 0x1f19a], [0x1f200, 0x1f202], [0x1f210, 0x1f23b], [0x1f240, 0x1f248],
  [0x1f250, 0x1f251], [0x1f260, 0x1f265], [0x1f300, 0x1f320], [0x1f32d, 0x1f335], [0x1f337, 0x1f37c],
  [0x1f37e, 0x1f393], [0x1f3a0, 0x1f3ca], [0x1f3cf, 0x1f3d3], [0x1f3e0, 0x1f3f0], [0x1f3f4, 0x1f3f4],
  [0x1f3f8, 0x1f43e], [0x1f440, 0x1f440], [0x1f442, 0x1f4fc], [0x1f4ff, 0x1f53d], [0x1f54b, 0x1f54e],
  [0x1f550, 0x1f567], [0x1f57a, 0x1f57a], [0x1f595, 0x1f596], [0x1f5a4, 0x1f5a4], [0x1f5fb, 0x1f64f],
  [0x1f680, 0x1f6c5], [0x1f6cc, 0x1f6cc], [0x1f6d0, 0x1f6d2], [0x1f6d5, 0x1f6d5], [0x1f6eb, 0x1f6ec],
  [0x1f6f4, 0x1f6fa], [0x1f7e0, 0x1f7eb], [0x1f90d, 0x1f971], [0x1f973, 0x1f976], [0x1f97a, 0x1f9a2],
  [0x1f9a5, 0x1f9aa], [0x1f9ae, 0x1f9ca], [0x1f9cd, 0x1f9ff], [0x1fa70, 0x1fa73], [0x1fa78, 0x1fa7a],
  [0x1fa80, 0x1fa82], [0x1fa90, 0x1fa95], [0x20000, 0x2fffd], [0x30000, 0x3fffd],
];

/** Marks drawn on the previous cell (nonspacing and enclosing marks, zero-width joiners). */
const COMBINING = /^[\p{Mn}\p{Me}\u200b-\u200d\u2060\u1160-\u11ff]$/u;

function isWide(cp: number): boolean {
  let lo = 0;
  let hi = WIDE.length - 1;
  if (cp < WIDE[0]![0] || cp > WIDE[hi]![1]) return false;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const [a, b] = WIDE[mid]!;
    if (cp > b) lo = mid + 1;
    else if (cp < a) hi = mid - 1;
    else return true;
  }
  return false;
}

/** Cells one code point occupies: 0 (combining), 1 or 2 (wide). */
export function charCells(ch: string, cp: number, ascii = false): 0 | 1 | 2 {
  if (cp < 0x300 || ascii) return 1;
  if (cp >= 0xd800 && cp <= 0xdfff) return 1; // lone surrogate, shown as U+FFFD
  if (isWide(cp)) return 2;
  // Bidi controls and BOM are replaced by a visible placeholder, so they are not zero-width here.
  if (cp === 0x200e || cp === 0x200f || cp === 0xfeff) return 1;
  return COMBINING.test(ch) ? 0 : 1;
}

/** Terminal cells `s` takes on screen. */
export function cellWidth(s: string, ascii = false): number {
  let w = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x300) {
      w++;
      continue;
    }
    const cp = s.codePointAt(i)!;
    const ch = String.fromCodePoint(cp);
    if (cp > 0xffff) i++;
    w += charCells(ch, cp, ascii);
  }
  return w;
}

/** Calls `each` per code point with its cell count. */
function forEachChar(s: string, ascii: boolean, each: (ch: string, cells: 0 | 1 | 2) => boolean | void): void {
  for (const ch of s) {
    if (each(ch, charCells(ch, ch.codePointAt(0)!, ascii)) === false) return;
  }
}

/** The ellipsis drawn where text was cut. */
export function ellipsis(ascii = false): string {
  return ascii ? '~' : '…';
}

/** Longest prefix of `s` that fits in `width` cells, and its width. */
function takeCells(s: string, width: number, ascii: boolean): { text: string; cells: number } {
  let text = '';
  let cells = 0;
  forEachChar(s, ascii, (ch, w) => {
    if (cells + w > width) return false;
    text += ch;
    cells += w;
  });
  return { text, cells };
}

/** `s` in at most `width` cells: cut with an ellipsis at the end when too long. Not padded. */
export function cutCells(s: string, width: number, ascii = false): string {
  if (width <= 0) return '';
  if (cellWidth(s, ascii) <= width) return s;
  return takeCells(s, width - 1, ascii).text.trimEnd() + ellipsis(ascii);
}

/** `s` in exactly `width` cells: cut with an ellipsis when too long, padded with spaces when short. */
export function fitCells(s: string, width: number, ascii = false): string {
  if (width <= 0) return '';
  const cut = cutCells(s, width, ascii);
  return cut + ' '.repeat(width - cellWidth(cut, ascii));
}

/**
 * `s` in at most `width` cells, cut at the start (an address keeps its port and the end of its host).
 * Not padded.
 */
export function elideStart(s: string, width: number, ascii = false): string {
  if (width <= 0) return '';
  if (cellWidth(s, ascii) <= width) return s;
  const chars = Array.from(s);
  let tail = '';
  let cells = 0;
  for (let i = chars.length - 1; i >= 0; i--) {
    const ch = chars[i]!;
    const w = charCells(ch, ch.codePointAt(0)!, ascii);
    if (cells + w > width - 1) break;
    tail = ch + tail;
    cells += w;
  }
  return ellipsis(ascii) + tail;
}

/**
 * An `ip:port` (or `[v6]:port`, or a bare host) in at most `width` cells: the port always, then as many whole
 * trailing octets or groups as fit after an ellipsis ("…168.1.2:5060", never "….1.2:5060" cut
 * inside a number); plain elideStart when not even the last one fits. Not padded.
 */
export function elideAddress(s: string, width: number, ascii = false): string {
  if (width <= 0) return '';
  if (cellWidth(s, ascii) <= width) return s;
  const port = s.lastIndexOf(':');
  for (let at = 0; at < (port < 0 ? s.length : port); at++) {
    if (s[at] !== '.' && s[at] !== ':') continue;
    const tail = ellipsis(ascii) + s.slice(at + 1);
    if (cellWidth(tail, ascii) <= width) return tail;
  }
  return elideStart(s, width, ascii);
}

/**
 * Cells [from, from + width) of a styled line, padded to exactly `width`: a horizontally scrolled
 * view, so nothing is cut with an ellipsis. A wide character split by either edge becomes a blank.
 */
export function sliceLine(line: StyledLine, from: number, width: number, ascii = false): StyledLine {
  if (width <= 0) return [];
  const out: StyledLine = [];
  let x = 0;
  const end = from + width;
  for (const seg of line) {
    let text = '';
    forEachChar(seg.text, ascii, (ch, w) => {
      if (x >= end) return false;
      if (x >= from && x + w <= end) text += ch;
      else if (x + w > from) text += ' '.repeat(Math.min(x + w, end) - Math.max(x, from));
      x += w;
    });
    if (text !== '') out.push({ text, style: seg.style });
    if (x >= end) break;
  }
  const used = Math.max(0, Math.min(x, end) - from);
  if (used < width) out.push({ text: ' '.repeat(width - used), style: 'default' });
  return out;
}

/**
 * sliceLine with the cut edges marked: '‹' (ASCII '<') in the first cell when the line has text
 * left of `from`, '›' ('>') in the last when it goes on past the right edge, so a cut line never
 * reads as a whole one.
 */
export function sliceMarked(line: StyledLine, from: number, width: number, ascii = false): StyledLine {
  const total = lineWidth(line, ascii);
  const cutLeft = from > 0 && total > 0;
  const cutRight = total > from + width;
  if (width < 2 || (!cutLeft && !cutRight)) return sliceLine(line, from, width, ascii);
  const inner = sliceLine(line, from + (cutLeft ? 1 : 0), width - (cutLeft ? 1 : 0) - (cutRight ? 1 : 0), ascii);
  return [
    ...(cutLeft ? [{ text: ascii ? '<' : '‹', style: 'dim' as const }] : []),
    ...inner,
    ...(cutRight ? [{ text: ascii ? '>' : '›', style: 'dim' as const }] : []),
  ];
}

/** Cells a styled line takes. */
export function lineWidth(line: StyledLine, ascii = false): number {
  let w = 0;
  for (const seg of line) w += cellWidth(seg.text, ascii);
  return w;
}

/** A styled line in exactly `width` cells: cut with an ellipsis (in the style of the cut segment) or padded. */
export function fitLine(line: StyledLine, width: number, ascii = false): StyledLine {
  if (width <= 0) return [];
  const total = lineWidth(line, ascii);
  if (total <= width) return total === width ? line : [...line, { text: ' '.repeat(width - total), style: 'default' }];
  const out: StyledLine = [];
  let used = 0;
  for (const seg of line) {
    const w = cellWidth(seg.text, ascii);
    if (used + w <= width - 1) {
      out.push(seg);
      used += w;
      continue;
    }
    const fitted = fitCells(seg.text, width - used, ascii);
    out.push({ text: fitted, style: seg.style });
    break;
  }
  return out;
}

/** Splits a styled line into lines of at most `width` cells (hard wrap, as a raw message pane does). */
export function wrapLine(line: StyledLine, width: number, ascii = false): StyledLine[] {
  if (width <= 0) return [line];
  const lines: StyledLine[] = [];
  let current: StyledLine = [];
  let used = 0;
  for (const seg of line) {
    let text = '';
    forEachChar(seg.text, ascii, (ch, w) => {
      if (used + w > width && used > 0) {
        if (text) current.push({ text, style: seg.style });
        lines.push(current);
        current = [];
        text = '';
        used = 0;
      }
      text += ch;
      used += w;
    });
    if (text) current.push({ text, style: seg.style });
  }
  lines.push(current);
  return lines;
}

/** Splits text at spaces into lines of at most `width` cells (prose: a finding's text); a longer word is cut hard. */
export function wrapWords(text: string, width: number, ascii = false): string[] {
  if (width <= 0) return [text];
  const lines: string[] = [];
  let line = '';
  let used = 0;
  for (const word of text.split(' ')) {
    const w = cellWidth(word, ascii);
    if (used > 0 && used + 1 + w <= width) {
      line += ' ' + word;
      used += 1 + w;
      continue;
    }
    if (used > 0) lines.push(line);
    const parts = w <= width ? [word] : wrapLine([{ text: word, style: 'default' }], width, ascii).map((l) => l.map((s) => s.text).join(''));
    lines.push(...parts.slice(0, -1));
    line = parts[parts.length - 1]!;
    used = cellWidth(line, ascii);
  }
  lines.push(line);
  return lines;
}
