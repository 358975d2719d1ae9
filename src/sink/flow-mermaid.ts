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
  for (const m of doc.messages) { participant(m.src); participant(m.dst); }
  doc.messages.forEach((m, i) => {
    const arrow = m.request ? '->>' : '-->>';
    const label = `${m.label}${m.hasSdp ? ' (SDP)' : ''}${m.retrans ? ' (retrans)' : ''}`;
    lines.push(`  ${ids.get(m.src)}${arrow}${ids.get(m.dst)}: ${mermaidText(label)}`);
    if (doc.notes[i]) lines.push(`  Note over ${ids.get(m.src)}: ${mermaidText(doc.notes[i]!)}`);
  });
  lines.push('```');
  return lines.join('\n') + '\n';
}
