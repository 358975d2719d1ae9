import type { Dialog } from '../model/sip.js';
import type { Column, ColumnContext } from '../layout/call-columns.js';
import { printable } from './unsafe-text.js';

/** What a spreadsheet reads as the start of a formula (OWASP "CSV injection"): = + - @, tab, CR. */
const FORMULA_START = /^[=+\-@\t\r]/;

/**
 * RFC 4180: a field with a comma, quote or line break is quoted, its quotes doubled. A value a
 * spreadsheet would run as a formula (a From user of `=HYPERLINK(…)`) gets a leading ' so it stays text.
 */
export function csvField(s: string): string {
  const printed = printable(s, false);
  const v = FORMULA_START.test(s) || FORMULA_START.test(printed) ? `'${printed}` : printed;
  return /[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}

/**
 * The call list as CSV: a title row, then one row per dialog with the values the list shows
 * (uncut), CRLF line ends as RFC 4180 asks. `rows` pages through a query window so a large list
 * is never held twice.
 */
export function callListCsv(
  columns: readonly Column[], ctx: ColumnContext, count: number, rows: (from: number, n: number) => readonly Dialog[], out: (chunk: string) => void,
): void {
  out(columns.map((c) => csvField(c.title)).join(',') + '\r\n');
  const PAGE = 4096;
  for (let from = 0; from < count; from += PAGE) {
    out(rows(from, PAGE).map((d) => columns.map((c) => csvField(c.value(d, ctx))).join(',') + '\r\n').join(''));
  }
}
