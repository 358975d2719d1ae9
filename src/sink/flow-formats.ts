import { extname } from 'node:path';
import { writeFileSync } from 'node:fs';
import { InputError } from '../model/errors.js';
import type { FlowDoc } from './flow-doc.js';
import { flowHtml } from './flow-html.js';
import { flowMermaid } from './flow-mermaid.js';
import { flowSvg } from './flow-svg.js';
import { flowText } from './flow-text.js';

/** One way to write a call flow; `--flow OUT` and the call-flow save dialog pick it by extension. */
export interface FlowFormat {
  ext: string;
  name: string;
  render(doc: FlowDoc, title: string): string;
}

export const FLOW_FORMATS: readonly FlowFormat[] = [
  { ext: '.txt', name: 'the ASCII ladder, as the terminal draws it with --ascii', render: (doc) => flowText(doc, true) },
  { ext: '.md', name: 'Markdown with a Mermaid sequenceDiagram', render: (doc) => flowMermaid(doc) },
  { ext: '.svg', name: 'a standalone SVG picture', render: (doc) => flowSvg(doc) },
  { ext: '.html', name: 'a self-contained HTML page: the SVG, and the text of a message when its arrow is clicked', render: (doc, title) => flowHtml(doc, title) },
];

/** The format a file name asks for, undefined for an extension none has. */
export function flowFormatOf(path: string): FlowFormat | undefined {
  const ext = extname(path).toLowerCase();
  return FLOW_FORMATS.find((f) => f.ext === ext);
}

/** Writes a flow to `path` in the format of its extension; InputError (one line) for an unknown one or a failed write. */
export function writeFlowFile(path: string, doc: FlowDoc, title = 'sipscope call flow'): void {
  const format = flowFormatOf(path);
  if (format === undefined) {
    throw new InputError(`--flow ${path}: unknown format; name the file ${FLOW_FORMATS.map((f) => `*${f.ext}`).join(', ')}`);
  }
  try {
    writeFileSync(path, format.render(doc, title));
  } catch (err) {
    throw new InputError(`cannot write ${path}: ${(err as Error).message}`);
  }
}
