/** `-N --report`: the triage table as plain text. */
import type { Triage } from '../diagnose/triage.js';

function table(rows: readonly (readonly string[])[], right: ReadonlySet<number>): string[] {
  const widths: number[] = [];
  for (const row of rows) row.forEach((cell, i) => { widths[i] = Math.max(widths[i] ?? 0, cell.length); });
  return rows.map((row) => row.map((cell, i) => (right.has(i) ? cell.padStart(widths[i]) : cell.padEnd(widths[i]))).join('  ').trimEnd());
}

export function reportText(t: Triage): string {
  const lines: string[] = [`Dialogs: ${t.dialogs}`, ''];
  if (t.findings.length === 0) {
    lines.push('Findings: none');
  } else {
    lines.push('Findings:');
    const rows = t.findings.map((f) => [f.severity, f.code, String(f.dialogs.length), f.description]);
    lines.push(...table([['severity', 'code', 'dialogs', 'meaning'], ...rows], new Set([2])).map((l) => `  ${l}`));
  }
  lines.push('');
  if (t.responses.length === 0) {
    lines.push('Responses: none');
  } else {
    lines.push('Responses:');
    const rows = t.responses.map((r) => [String(r.status), String(r.dialogs)]);
    lines.push(...table([['code', 'dialogs'], ...rows], new Set([1])).map((l) => `  ${l}`));
  }
  return `${lines.join('\n')}\n`;
}
