import type { Style, StyledLine } from './styled.js';
import { wrapLine } from './text-width.js';

export interface MessageLinesOptions {
  /** Pane width in cells: longer lines wrap (hard, as sngrep's raw pane). No wrapping when absent. */
  width?: number;
  /** Width arithmetic as the ASCII sanitizer shows text (every non-ASCII character one cell). */
  ascii?: boolean;
}

type BodyKind = 'sdp' | 'multipart' | 'other';

const REQUEST_LINE = /^([A-Za-z][A-Za-z0-9._!%*+`'~-]*)( +)(\S+)( +SIP\/\d+\.\d+\s*)$/;
const STATUS_LINE = /^(SIP\/\d+\.\d+ +)(\d{3}.*)$/;
const HEADER_LINE = /^([!#-'*+.0-9A-Z^-z|~-]+)([ \t]*:)(.*)$/;
const SDP_LINE = /^([a-z]=)(.*)$/;
const BRACKETED_URI = /<[^>]*>/g;

function seg(text: string, style: Style): StyledLine {
  return text ? [{ text, style }] : [];
}

function startLine(line: string): StyledLine {
  const req = REQUEST_LINE.exec(line);
  if (req) {
    return [...seg(req[1]!, 'sipMethod'), ...seg(req[2]!, 'default'), ...seg(req[3]!, 'sipUri'), ...seg(req[4]!, 'default')];
  }
  const res = STATUS_LINE.exec(line);
  if (res) return [...seg(res[1]!, 'default'), ...seg(res[2]!, 'sipStatus')];
  return seg(line, 'default');
}

/** A header value with its <URIs> picked out. */
function headerValue(value: string): StyledLine {
  const out: StyledLine = [];
  let at = 0;
  for (const m of value.matchAll(BRACKETED_URI)) {
    out.push(...seg(value.slice(at, m.index), 'sipHeaderValue'), ...seg(m[0], 'sipUri'));
    at = m.index + m[0].length;
  }
  out.push(...seg(value.slice(at), 'sipHeaderValue'));
  return out;
}

/** "Name: value" (a continuation line, starting with white space, is all value). */
function headerLine(line: string): StyledLine {
  if (line.startsWith(' ') || line.startsWith('\t')) return headerValue(line);
  const h = HEADER_LINE.exec(line);
  if (!h) return seg(line, 'default');
  return [...seg(h[1]!, 'sipHeaderName'), ...seg(h[2]!, 'default'), ...headerValue(h[3]!)];
}

function sdpLine(line: string): StyledLine {
  const s = SDP_LINE.exec(line);
  return s ? [...seg(s[1]!, 'sipHeaderName'), ...seg(s[2]!, 'sdp')] : seg(line, 'sdp');
}

/** The header name of a "Name: value" line, or undefined for other lines. */
export function headerNameOf(line: string): string | undefined {
  return HEADER_LINE.exec(line)?.[1];
}

function bodyKind(contentType: string): BodyKind {
  const ct = contentType.toLowerCase();
  if (ct.includes('application/sdp')) return 'sdp';
  if (ct.includes('multipart/')) return 'multipart';
  return 'other';
}

/** Content-Type (or its compact form "c") of a header line, or undefined. */
function contentTypeOf(line: string): string | undefined {
  const h = HEADER_LINE.exec(line);
  if (!h) return undefined;
  const name = h[1]!.toLowerCase();
  return name === 'content-type' || name === 'c' ? h[3]!.trim() : undefined;
}

/**
 * Colours a body line by where it is: multipart bodies are walked part by part (boundary,
 * part headers, part body), so an SDP part is coloured like an SDP body.
 */
class BodyPainter {
  private inPartHeaders = false;
  private partKind: BodyKind = 'other';

  constructor(private readonly kind: BodyKind) {}

  paint(line: string): StyledLine {
    if (this.kind === 'sdp') return sdpLine(line);
    if (this.kind === 'other') return seg(line, 'body');
    if (line.startsWith('--')) {
      this.inPartHeaders = true;
      this.partKind = 'other';
      return seg(line, 'dim');
    }
    if (this.inPartHeaders) {
      if (line === '') this.inPartHeaders = false;
      const ct = contentTypeOf(line);
      if (ct !== undefined) this.partKind = bodyKind(ct);
      return headerLine(line);
    }
    return this.partKind === 'sdp' ? sdpLine(line) : seg(line, 'body');
  }
}

/** Lines of a message without their terminators (CRLF or LF); a final terminator adds no empty line. */
export function splitLines(text: string): string[] {
  const lines = text.split('\n');
  if (lines.length > 1 && lines[lines.length - 1] === '') lines.pop();
  return lines.map((l) => (l.endsWith('\r') ? l.slice(0, -1) : l));
}

/**
 * A SIP message with syntax colours: method / status and Request-URI on the start line, header
 * names and values (URIs picked out), SDP lines (type letter and value), other bodies plain.
 * Text is not sanitized here (the canvas does that); control characters count as one cell.
 */
export function messageLines(text: string, opts: MessageLinesOptions = {}): StyledLine[] {
  const lines = splitLines(text);
  const out: StyledLine[] = [];
  let contentType = '';
  let body: BodyPainter | undefined;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    let styled: StyledLine;
    if (i === 0) {
      styled = startLine(line);
    } else if (body) {
      styled = body.paint(line);
    } else if (line === '') {
      body = new BodyPainter(bodyKind(contentType));
      styled = [];
    } else {
      contentType = contentTypeOf(line) ?? contentType;
      styled = headerLine(line);
    }
    if (opts.width === undefined) out.push(styled);
    else out.push(...wrapLine(styled, opts.width, opts.ascii));
  }
  return out;
}
