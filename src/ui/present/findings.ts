/** The findings pane's rows: pure, from the dialogs' findings to styled lines (unit-tested). */
import { severityRank, type Finding } from '../../model/finding.js';
import type { Dialog } from '../../model/sip.js';
import type { StyledLine } from '../../layout/styled.js';
import { cutCells, fitLine, wrapWords } from '../../layout/text-width.js';
import { SEVERITY_STYLES } from '../../layout/call-columns.js';

/** Severity words padded to one width, so codes line up. */
const SEVERITY_WIDTH = 7;
/** The chosen finding's text wraps to at most this many lines. */
const MAX_WRAP = 4;

/** The findings of the dialogs on a ladder, worst first; ties keep the rules' order, dialog by dialog. */
export function flowFindings(dialogs: readonly Dialog[]): Finding[] {
  const all = dialogs.flatMap((d) => d.findings ?? []);
  return all.map((f, k) => [f, k] as const)
    .sort(([a, i], [b, j]) => severityRank(a.severity) - severityRank(b.severity) || i - j)
    .map(([f]) => f);
}

/**
 * One line per finding (severity, code, text cut to the width); the one under the cursor shows its
 * whole text, wrapped under the code. `first[k]` is the line finding k starts on.
 */
export function findingLines(list: readonly Finding[], width: number, cursor: number, ascii: boolean): { lines: StyledLine[]; first: number[] } {
  const lines: StyledLine[] = [];
  const first: number[] = [];
  const codeWidth = Math.max(0, ...list.map((f) => f.code.length));
  const indent = SEVERITY_WIDTH + 1 + codeWidth + 2;
  list.forEach((f, k) => {
    first.push(lines.length);
    const head: StyledLine = [
      { text: f.severity.padEnd(SEVERITY_WIDTH) + ' ', style: SEVERITY_STYLES[f.severity] },
      { text: f.code.padEnd(codeWidth) + '  ', style: 'title' },
    ];
    if (k !== cursor || width - indent < 10) {
      lines.push(fitLine([...head, { text: f.text, style: 'default' }], width, ascii));
      return;
    }
    const wrapped = wrapWords(f.text, width - indent, ascii);
    const shown = wrapped.slice(0, MAX_WRAP);
    // What does not fit ends the last line with an ellipsis.
    if (wrapped.length > MAX_WRAP) shown[MAX_WRAP - 1] = cutCells(wrapped.slice(MAX_WRAP - 1).join(' '), width - indent, ascii);
    const pad: StyledLine = [{ text: ' '.repeat(indent), style: 'default' }];
    shown.forEach((part, i) => lines.push([...(i === 0 ? head : pad), { text: part, style: 'default' }]));
  });
  return { lines, first };
}
