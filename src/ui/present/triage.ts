/** The triage screen's report card: pure, from the capture-wide counts to styled lines (unit-tested). */
import type { Triage } from '../../diagnose/triage.js';
import type { Style, StyledLine } from '../../layout/styled.js';
import { fitLine } from '../../layout/text-width.js';
import { SEVERITY_STYLES } from '../../layout/call-columns.js';

/** A row Enter acts on: the line it is drawn on and the filter expression listing its dialogs. */
export interface TriageEntry {
  line: number;
  filter: string;
}

const BAR = 10;
const SEVERITY_WIDTH = 7;

function statusStyle(status: number): Style {
  const cls = Math.floor(status / 100);
  return cls >= 1 && cls <= 6 ? (`response${cls}xx` as Style) : 'sipStatus';
}

/** Count, a bar of the share of all dialogs, and the share in per cent. */
function share(n: number, total: number, countWidth: number, ascii: boolean): StyledLine {
  const filled = total === 0 ? 0 : Math.max(1, Math.round((BAR * n) / total));
  const pct = total === 0 ? 0 : (100 * n) / total;
  const pctText = pct >= 10 || pct === 0 ? `${Math.round(pct)}%` : `${pct.toFixed(1)}%`;
  return [
    { text: String(n).padStart(countWidth) + '  ', style: 'title' },
    { text: (ascii ? '#' : '█').repeat(filled), style: 'match' },
    { text: ' '.repeat(BAR - filled) + ' ' + pctText.padStart(5) + '  ', style: 'dim' },
  ];
}

/**
 * The findings (worst first) and the response codes across the dialogs, one row each, with how
 * many dialogs show it, then what the capture skipped (the summary's skip reasons, most first);
 * `entries` says which line lists which dialogs.
 */
export function triageLines(
  t: Triage, width: number, ascii: boolean, skipped: Readonly<Partial<Record<string, number>>> = {},
): { lines: StyledLine[]; entries: TriageEntry[] } {
  const lines: StyledLine[] = [];
  const entries: TriageEntry[] = [];
  const countWidth = Math.max(7, String(t.dialogs).length);
  const codeWidth = Math.max(14, ...t.findings.map((f) => f.code.length));
  const head = (title: string, label: string): StyledLine => [
    { text: title.padEnd(2 + SEVERITY_WIDTH + 1 + codeWidth + 2), style: 'title' },
    { text: 'dialogs'.padStart(countWidth) + '  ' + 'share'.padEnd(BAR + 7), style: 'dim' },
    { text: label, style: 'dim' },
  ];
  lines.push(head('Findings', 'meaning'));
  if (t.findings.length === 0) lines.push([{ text: '  none so far', style: 'dim' }]);
  for (const f of t.findings) {
    entries.push({ line: lines.length, filter: `finding=${f.code}` });
    lines.push(fitLine([
      { text: '  ' + f.severity.padEnd(SEVERITY_WIDTH) + ' ', style: SEVERITY_STYLES[f.severity] },
      { text: f.code.padEnd(codeWidth) + '  ', style: 'default' },
      ...share(f.dialogs.length, t.dialogs, countWidth, ascii),
      { text: f.description, style: 'default' },
    ], width, ascii));
  }
  lines.push([]);
  lines.push(head('Response codes', ''));
  if (t.responses.length === 0) lines.push([{ text: '  none so far', style: 'dim' }]);
  for (const r of t.responses) {
    entries.push({ line: lines.length, filter: `response=${r.status}` });
    lines.push(fitLine([
      { text: '  ' + ' '.repeat(SEVERITY_WIDTH + 1) + String(r.status).padEnd(codeWidth) + '  ', style: statusStyle(r.status) },
      ...share(r.dialogs, t.dialogs, countWidth, ascii),
    ], width, ascii));
  }
  const skips = Object.entries(skipped).filter((e): e is [string, number] => (e[1] ?? 0) > 0).sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
  if (skips.length > 0) {
    lines.push([]);
    lines.push([{ text: 'Skipped (packets or parts of them, by reason)', style: 'title' }]);
    const reasonWidth = SEVERITY_WIDTH + 1 + codeWidth;
    for (const [reason, n] of skips) {
      lines.push(fitLine([
        { text: '  ' + reason.padEnd(reasonWidth) + '  ', style: 'dim' },
        { text: n.toLocaleString('en-US').padStart(countWidth), style: 'retrans' },
      ], width, ascii));
    }
  }
  return { lines, entries };
}
