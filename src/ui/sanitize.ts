/**
 * The one gate between packet text and the terminal. Packet bytes may carry escape sequences
 * (ESC ] 0 ; title BEL, ESC [ 2 J, C1 CSI …); every control character becomes a visible
 * placeholder so nothing in a capture can act on the terminal. Cell widths come from the
 * presenters' Unicode 11 table, so widgets, presenters and the terminal agree on alignment.
 */
import { isUnsafeCodePoint as isUnsafe } from '../sink/unsafe-text.js';
import { charCells } from './present/text-width.js';

const PLACEHOLDER_UTF8 = '·';
const PLACEHOLDER_ASCII = '?';

/** Receives the cells of a sanitized string, left to right. `placeholder` marks a replaced control. */
export type CellSink = (ch: string, width: 0 | 1 | 2, placeholder: boolean) => void;

/**
 * Splits text into terminal cells. Controls (and in ASCII mode every non-ASCII character, which
 * then shows as '?') become a placeholder; nothing that reaches `sink` can be a control.
 */
export function forEachCell(text: string, ascii: boolean, sink: CellSink): void {
  const mark = ascii ? PLACEHOLDER_ASCII : PLACEHOLDER_UTF8;
  for (const ch of text) {
    const cp = ch.codePointAt(0)!;
    if (cp >= 0x20 && cp < 0x7f) sink(ch, 1, false);
    else if (isUnsafe(cp)) sink(mark, 1, true);
    else if (ascii) sink(PLACEHOLDER_ASCII, 1, false);
    else if (cp >= 0xd800 && cp <= 0xdfff) sink('\ufffd', 1, false); // lone surrogate
    else sink(ch, charCells(ch, cp), false);
  }
}

/** Sanitized text as one string (for tests and for measuring): controls become the placeholder. */
export function sanitize(text: string, ascii: boolean): string {
  let out = '';
  forEachCell(text, ascii, (ch) => { out += ch; });
  return out;
}

/** Expands tabs to the next multiple of 8 columns (message pane only; elsewhere a tab is a control). */
export function expandTabs(line: string): string {
  if (!line.includes('\t')) return line;
  let out = '';
  for (const ch of line) {
    if (ch === '\t') out += ' '.repeat(8 - (out.length % 8));
    else out += ch;
  }
  return out;
}
