import { flowHeader } from '../layout/flow-header.js';
import { layoutFlow, type FlowLayout } from '../layout/flow-layout.js';
import type { FlowMessage } from '../layout/flow-message.js';
import { flowRows, type FlowRowsOptions } from '../layout/flow-rows.js';
import type { StyledLine } from '../layout/styled.js';
import type { FlowDoc } from './flow-doc.js';
import { printable } from './unsafe-text.js';

/** The TUI's ladder (time column, uncompressed) wide enough for every column: nothing goes to the overflow lane. */
export function fullLayout(messages: readonly FlowMessage[], ascii: boolean): FlowLayout {
  const opts = { compressed: false, ascii, timeColumn: true };
  const probe = layoutFlow(messages, 1 << 20, opts);
  return layoutFlow(messages, probe.usedWidth + 1, opts);
}

/** The TUI's row options for an export: nothing selected, coloured by type, the doc's SDP mode and finding marks. */
export function flowDocRows(doc: FlowDoc): FlowRowsOptions {
  return { selected: -1, colorBy: 'type', utcOffsetMinutes: doc.utcOffsetMinutes, sdpMode: doc.sdpMode, findings: doc.findings };
}

function plain(line: StyledLine): string {
  return printable(line.map((r) => r.text).join(''), false).trimEnd();
}

/** The ladder as the TUI draws it with --ascii (header, then two lines per message), as plain text. */
export function flowText(doc: FlowDoc, ascii = true): string {
  const layout = fullLayout(doc.messages, ascii);
  const lines = [
    ...flowHeader(layout),
    ...flowRows(layout, doc.messages, 0, doc.messages.length, flowDocRows(doc)),
  ];
  return lines.map(plain).join('\n') + '\n';
}
