/**
 * Builds the MessageView screens and exporters draw (model/message-view.ts) from a parsed message:
 * the SIP knowledge of where a method, a URI, a header name or an SDP type letter sits lives here,
 * so the UI only maps roles to colours.
 */
import type { BodyPartView, HeaderView, MessageView, SdpMediaSummary, SpanRole, StartLineView, ViewLine, ViewSpan } from '../model/message-view.js';
import type { SipMessage } from '../model/sip.js';
import { bodyParts, headerText, headerValue, type ParsedSip, type SipEntity } from '../sip/message.js';
import { parseSdp } from '../sip/sdp.js';
import { staticCodec } from '../media/codecs.js';

type BodyKind = 'sdp' | 'multipart' | 'other';

function bodyKind(contentType: string): BodyKind {
  const ct = contentType.toLowerCase();
  if (ct.includes('application/sdp')) return 'sdp';
  if (ct.includes('multipart/')) return 'multipart';
  return 'other';
}

/** Lines without their terminators (CRLF or LF); a final terminator adds no empty line. */
function splitLines(text: string): string[] {
  const lines = text.split('\n');
  if (lines.length > 1 && lines[lines.length - 1] === '') lines.pop();
  return lines.map((l) => (l.endsWith('\r') ? l.slice(0, -1) : l));
}

function isWsp(c: string | undefined): boolean {
  return c === ' ' || c === '\t';
}

/** Spans in order; empty ones are left out. */
class Spans {
  readonly list: ViewSpan[] = [];

  add(from: number, to: number, role: SpanRole): this {
    if (to > from) this.list.push({ from, to, role });
    return this;
  }

  /** A header value with its <URIs> picked out. */
  value(text: string, from: number, to: number): this {
    let at = from;
    for (;;) {
      const open = text.indexOf('<', at);
      const close = open < 0 || open >= to ? -1 : text.indexOf('>', open);
      if (close < 0 || close >= to) break;
      this.add(at, open, 'headerValue').add(open, close + 1, 'uri');
      at = close + 1;
    }
    return this.add(at, to, 'headerValue');
  }
}

function startSpans(line: string, kind: StartLineView['kind']): ViewSpan[] {
  const s = new Spans();
  if (kind === 'request') {
    const a = line.indexOf(' ');
    let b = a;
    while (line[b] === ' ') b++;
    let c = line.indexOf(' ', b);
    if (c < 0) c = line.length;
    s.add(0, a, 'method').add(a, b, 'plain').add(b, c, 'uri').add(c, line.length, 'version');
  } else if (kind === 'response') {
    let a = line.indexOf(' ');
    while (line[a] === ' ') a++;
    s.add(0, a, 'version').add(a, line.length, 'status');
  } else {
    s.add(0, line.length, 'plain');
  }
  return s.list;
}

/** "Name: value" (a continuation line, starting with white space, is all value); undefined when the line is neither. */
function headerSpans(line: string): { spans: ViewSpan[]; name: string } | undefined {
  const s = new Spans();
  if (isWsp(line[0])) return { spans: s.value(line, 0, line.length).list, name: '' };
  const colon = line.indexOf(':');
  let nameEnd = colon;
  while (nameEnd > 0 && isWsp(line[nameEnd - 1])) nameEnd--;
  if (nameEnd <= 0 || line.slice(0, nameEnd).includes(' ')) return undefined;
  s.add(0, nameEnd, 'headerName').add(nameEnd, colon + 1, 'plain').value(line, colon + 1, line.length);
  return { spans: s.list, name: line.slice(0, nameEnd) };
}

function headerLine(line: string): ViewLine {
  return { text: line, spans: headerSpans(line)?.spans ?? new Spans().add(0, line.length, 'plain').list };
}

function sdpLine(line: string): ViewLine {
  const s = new Spans();
  if (line[1] === '=') s.add(0, 2, 'sdpType').add(2, line.length, 'sdpValue');
  else s.add(0, line.length, 'sdpValue');
  return { text: line, spans: s.list };
}

function bodyLine(line: string, kind: BodyKind): ViewLine {
  return kind === 'sdp' ? sdpLine(line) : { text: line, spans: new Spans().add(0, line.length, 'body').list };
}

/** Content-Type (or its compact form "c") of a header line, or undefined. */
function contentTypeOf(line: string): string | undefined {
  const h = headerSpans(line);
  if (h === undefined || h.name === '') return undefined;
  const name = h.name.toLowerCase();
  return name === 'content-type' || name === 'c' ? line.slice(line.indexOf(':') + 1).trim() : undefined;
}

/**
 * The message line by line with roles: start line parts, header names and values (URIs picked
 * out), SDP lines (type letter and value), multipart bodies walked part by part (boundary, part
 * headers, part body) so an SDP part reads like an SDP body; other bodies are plain.
 */
function viewLines(text: string, kind: StartLineView['kind']): ViewLine[] {
  const lines = splitLines(text);
  const out: ViewLine[] = [];
  let contentType = '';
  let body: BodyKind | undefined;
  let inPartHeaders = false;
  let partKind: BodyKind = 'other';
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (i === 0) {
      out.push({ text: line, spans: startSpans(line, kind) });
    } else if (body === undefined) {
      if (line === '') {
        body = bodyKind(contentType);
        out.push({ text: line, spans: [] });
      } else {
        contentType = contentTypeOf(line) ?? contentType;
        out.push(headerLine(line));
      }
    } else if (body !== 'multipart') {
      out.push(bodyLine(line, body));
    } else if (line.startsWith('--')) {
      inPartHeaders = true;
      partKind = 'other';
      out.push({ text: line, spans: new Spans().add(0, line.length, 'boundary').list });
    } else if (inPartHeaders) {
      if (line === '') inPartHeaders = false;
      const ct = contentTypeOf(line);
      if (ct !== undefined) partKind = bodyKind(ct);
      out.push(headerLine(line));
    } else {
      out.push(bodyLine(line, partKind));
    }
  }
  return out;
}

function headersOf(entity: SipEntity): HeaderView[] {
  return entity.headers.map((h) => ({ name: h.name, rawName: h.rawName, value: headerText(entity.buf, h) }));
}

function sdpSummary(entity: SipEntity): SdpMediaSummary[] {
  return parseSdp(entity.buf.subarray(entity.bodyStart, entity.bodyEnd)).media.map((m) => ({
    media: m.media,
    address: m.connection,
    port: m.port,
    codecs: m.formats.map((pt) => {
      const map = m.rtpmap.get(pt);
      if (map !== undefined) return `${map.encoding}/${map.clockRate}`;
      // A static payload type needs no a=rtpmap (RFC 3551): "m=audio 4000 RTP/AVP 18" is G.729.
      const fixed = m.proto.toUpperCase().includes('RTP') && /^\d+$/.test(pt) ? staticCodec(Number(pt)) : undefined;
      return fixed === undefined ? pt : `${fixed.name}/${fixed.clock}`;
    }),
    direction: m.direction,
  }));
}

function part(entity: SipEntity, headers: HeaderView[]): BodyPartView {
  const contentType = headerValue(entity, 'Content-Type') ?? '';
  return { contentType, headers, ...(bodyKind(contentType) === 'sdp' && { sdp: sdpSummary(entity) }) };
}

export function buildMessageView(message: SipMessage, parsed: ParsedSip): MessageView {
  const { buf } = parsed;
  const text = buf.toString('utf8');
  const kind: StartLineView['kind'] = !parsed.valid ? 'invalid' : parsed.status === 0 ? 'request' : 'response';
  const lines = viewLines(text, kind);
  const first = lines[0]?.text ?? '';
  const start: StartLineView = { kind, method: parsed.method, uri: parsed.ruri, status: parsed.status, reason: parsed.reasonPhrase, text: first };
  const multipart = bodyParts(parsed);
  const parts = multipart.length > 0
    ? multipart.map((p) => part(p, headersOf(p)))
    : parsed.bodyEnd > parsed.bodyStart ? [part(parsed, [])] : [];
  return { message, start, headers: headersOf(parsed), parts, lines };
}
