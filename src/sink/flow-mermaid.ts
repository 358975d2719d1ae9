import { isLogRow } from '../layout/flow-log.js';
import { arrowLabel } from '../layout/flow-rows.js';
import type { FlowDoc } from './flow-doc.js';
import { printable } from './unsafe-text.js';

/** Mermaid reads ';' and '#' as syntax even in a message text: its entity codes keep them. */
function mermaidText(s: string): string {
  return printable(s, false).replace(/[#;]/g, (c) => `#${c.charCodeAt(0)};`);
}

/** The ladder as a Markdown file holding a Mermaid sequenceDiagram: a participant per address, an arrow per message (dashed for responses). */
export function flowMermaid(doc: FlowDoc): string {
  const ids = new Map<string, string>();
  const lines = ['```mermaid', 'sequenceDiagram'];
  const participant = (address: string): string => {
    let id = ids.get(address);
    if (id === undefined) {
      id = `P${ids.size}`;
      ids.set(address, id);
      lines.push(`  participant ${id} as ${mermaidText(address)}`);
    }
    return id;
  };
  for (const m of doc.messages) {
    if (isLogRow(m)) continue;
    participant(m.src);
    participant(m.dst);
  }
  // A HEP log line is a note across every participant, as the terminal draws it across the ladder.
  const all = ids.size > 1 ? `P0,P${ids.size - 1}` : 'P0';
  doc.messages.forEach((m, i) => {
    if (isLogRow(m)) {
      lines.push(`  Note over ${all}: ${mermaidText(m.label)}`);
      return;
    }
    // Media rows (RTP, DTMF) are dotted with an open head; responses dashed, requests and fax rows solid.
    const media = m.synthetic !== undefined && m.synthetic.kind !== 'fax';
    const arrow = media ? '--)' : m.request ? '->>' : '-->>';
    lines.push(`  ${ids.get(m.src)}${arrow}${ids.get(m.dst)}: ${mermaidText(arrowLabel(m, Number.MAX_SAFE_INTEGER, false, doc.sdpMode))}`);
    if (doc.notes[i]) lines.push(`  Note over ${ids.get(m.src)}: ${mermaidText(doc.notes[i]!)}`);
    for (const f of m.synthetic === undefined ? doc.findings.get(m.id) ?? [] : []) {
      lines.push(`  Note right of ${ids.get(m.dst)}: ${mermaidText(`${f.severity} ${f.code}: ${f.text}`)}`);
    }
  });
  lines.push('```');
  return lines.join('\n') + '\n';
}
