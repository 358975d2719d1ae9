import type { MessageView, SpanRole, ViewLine } from '../../model/message-view.js';
import type { Style, StyledLine } from '../../layout/styled.js';
import { wrapLine } from '../../layout/text-width.js';

export interface MessageLinesOptions {
  /** Pane width in cells: longer lines wrap (hard, as sngrep's raw pane). No wrapping when absent. */
  width?: number;
  /** Width arithmetic as the ASCII sanitizer shows text (every non-ASCII character one cell). */
  ascii?: boolean;
}

/** Syntax colours by what the store says each stretch of a line is. */
const ROLE_STYLE: Record<SpanRole, Style> = {
  method: 'sipMethod',
  uri: 'sipUri',
  version: 'default',
  status: 'sipStatus',
  headerName: 'sipHeaderName',
  headerValue: 'sipHeaderValue',
  sdpType: 'sipHeaderName',
  sdpValue: 'sdp',
  boundary: 'dim',
  body: 'body',
  plain: 'default',
};

const TAB = 8;

/** One view line as styled segments, tabs expanded to the next multiple of 8 cells across segments. */
export function styledViewLine(line: ViewLine): StyledLine {
  const out: StyledLine = [];
  let column = 0;
  const push = (text: string, style: Style): void => {
    if (text === '') return;
    if (!text.includes('\t')) {
      column += text.length;
      out.push({ text, style });
      return;
    }
    let expanded = '';
    for (const ch of text) {
      if (ch === '\t') {
        const pad = TAB - ((column + expanded.length) % TAB);
        expanded += ' '.repeat(pad);
      } else {
        expanded += ch;
      }
    }
    column += expanded.length;
    out.push({ text: expanded, style });
  };
  let at = 0;
  for (const span of line.spans) {
    push(line.text.slice(at, span.from), 'default');
    push(line.text.slice(span.from, span.to), ROLE_STYLE[span.role]);
    at = span.to;
  }
  push(line.text.slice(at), 'default');
  return out;
}

/** A view line as plain text, tabs expanded (what search and compare read). */
export function viewLineText(line: ViewLine): string {
  return styledViewLine(line).map((s) => s.text).join('');
}

/**
 * A SIP message with syntax colours from its view: method / status and Request-URI on the start
 * line, header names and values (URIs picked out), SDP lines (type letter and value), other
 * bodies plain. Text is not sanitized here (the canvas does that); control characters count as one cell.
 */
export function messageLines(view: MessageView, opts: MessageLinesOptions = {}): StyledLine[] {
  const out: StyledLine[] = [];
  for (const line of view.lines) {
    const styled = styledViewLine(line);
    if (opts.width === undefined) out.push(styled);
    else out.push(...wrapLine(styled, opts.width, opts.ascii));
  }
  return out;
}

/** A line without its syntax colours (C turns them off). */
export function plainLine(line: StyledLine): StyledLine {
  return line.map((seg) => ({ text: seg.text, style: 'default' }));
}
