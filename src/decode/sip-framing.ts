import type { Transport } from '../model/datagram.js';
import type { DecodeContext } from './context.js';
import { MAX_STREAM_MESSAGE, type StreamParser } from './stream-parser.js';

/**
 * Just enough SIP syntax to cut messages out of a byte stream: where a message starts,
 * where its header ends and how long its body is. Parsing proper belongs to the sip stage.
 */

const SP = 0x20;
const CR = 0x0d;
const LF = 0x0a;
/** Start lines longer than this are not worth waiting for. */
const MAX_START_LINE = 4096;
const SIP_VERSION = Buffer.from('SIP/2.0');

/** RFC 3261 token characters (method names). */
const TOKEN = new Uint8Array(256);
for (const c of 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-.!%*_+`\'~') TOKEN[c.charCodeAt(0)] = 1;

function isDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39;
}

/**
 * True when buf[offset…] begins with a complete SIP start line: "SIP/2.0 NNN …" or
 * "METHOD uri SIP/2.0" (the Request-URI must have a scheme, which also rules out HTTP).
 */
export function looksLikeSipStart(buf: Buffer, offset: number, end = buf.length): boolean {
  const limit = Math.min(end, offset + MAX_START_LINE);
  if (limit - offset < 12) return false;
  if (startsWithVersion(buf, offset)) {
    return buf[offset + 7] === SP && isDigit(buf[offset + 8]) && isDigit(buf[offset + 9]) && isDigit(buf[offset + 10]) &&
      (buf[offset + 11] === SP || buf[offset + 11] === CR || buf[offset + 11] === LF);
  }
  let p = offset;
  while (p < limit && TOKEN[buf[p]] === 1) p++;
  if (p === offset || p >= limit || buf[p] !== SP) return false;
  const uriStart = ++p;
  let colon = false;
  while (p < limit && buf[p] !== SP && buf[p] > SP) {
    if (buf[p] === 0x3a) colon = true;
    p++;
  }
  if (!colon || p === uriStart || p >= limit || buf[p] !== SP) return false;
  p++;
  if (limit - p < SIP_VERSION.length + 1 || !startsWithVersion(buf, p)) return false;
  const after = buf[p + SIP_VERSION.length];
  return after === CR || after === LF;
}

function startsWithVersion(buf: Buffer, p: number): boolean {
  for (let i = 0; i < SIP_VERSION.length; i++) if (buf[p + i] !== SIP_VERSION[i]) return false;
  return true;
}

/**
 * True while buf[offset, end) may be the first part of a start line cut by a segment end:
 * no line end yet, short, printable and starting with a capital (methods and "SIP/2.0" do).
 */
export function mayBecomeSipStart(buf: Buffer, offset: number, end: number): boolean {
  if (end - offset >= MAX_START_LINE || buf[offset] < 0x41 || buf[offset] > 0x5a) return false;
  for (let p = offset; p < end; p++) if (buf[p] < SP || buf[p] > 0x7e) return false;
  return true;
}

/** Offset of the next line start in buf[offset, end) that begins a SIP message, or -1. */
export function findSipStart(buf: Buffer, offset: number, end: number): number {
  let p = offset;
  for (;;) {
    const lf = buf.indexOf(LF, p);
    if (lf < 0 || lf + 1 >= end) return -1;
    p = lf + 1;
    if (looksLikeSipStart(buf, p, end)) return p;
  }
}

/**
 * Offset just after the empty line ending the header that starts at buf[offset], or -1 while
 * it is incomplete. Bare-LF line ends are accepted (some HEP agents send them).
 */
export function sipHeaderEnd(buf: Buffer, offset: number, end: number): number {
  let p = offset;
  for (;;) {
    const lf = buf.indexOf(LF, p);
    if (lf < 0 || lf + 1 >= end) return -1;
    const next = buf[lf + 1];
    if (next === LF) return lf + 2;
    if (next === CR) {
      if (lf + 2 >= end) return -1;
      if (buf[lf + 2] === LF) return lf + 3;
    }
    p = lf + 1;
  }
}

/**
 * The Content-Length (or compact "l") value in the header buf[offset, headerEnd); 0 when
 * missing or not a number, as RFC 3261 §20.14 lets a stream omit it only for empty bodies.
 */
export function sipContentLength(buf: Buffer, offset: number, headerEnd: number): number {
  let p = offset;
  while (p < headerEnd) {
    let lf = buf.indexOf(LF, p);
    if (lf < 0 || lf >= headerEnd) lf = headerEnd;
    const value = contentLengthValue(buf, p, lf);
    if (value >= 0) return value;
    p = lf + 1;
  }
  return 0;
}

const CONTENT_LENGTH = 'content-length';

/** The value of a Content-Length / l header on the line buf[p, eol), -1 for other lines. */
function contentLengthValue(buf: Buffer, p: number, eol: number): number {
  let q = p;
  if ((buf[q] | 0x20) === 0x6c && (buf[q + 1] === 0x3a || buf[q + 1] === SP || buf[q + 1] === 0x09)) {
    q++;
  } else {
    if (eol - p < CONTENT_LENGTH.length) return -1;
    for (let i = 0; i < CONTENT_LENGTH.length; i++) if ((buf[q + i] | 0x20) !== CONTENT_LENGTH.charCodeAt(i)) return -1;
    q += CONTENT_LENGTH.length;
  }
  while (q < eol && (buf[q] === SP || buf[q] === 0x09)) q++;
  if (buf[q] !== 0x3a) return -1;
  q++;
  while (q < eol && (buf[q] === SP || buf[q] === 0x09)) q++;
  let n = 0;
  let digits = 0;
  while (q < eol && isDigit(buf[q]) && digits < 10) {
    n = n * 10 + buf[q] - 0x30;
    q++;
    digits++;
  }
  return digits === 0 ? 0 : n;
}

/** Where a last, unterminated line that may become a start line begins; end when there is none. */
function partialLineStart(buf: Buffer, off: number, end: number): number {
  const lf = buf.lastIndexOf(LF, end - 1);
  const start = lf < off ? off : lf + 1;
  return start < end && mayBecomeSipStart(buf, start, end) ? start : end;
}

/** A header this long without its end is not SIP (or not worth keeping). */
const MAX_HEADER = 64 * 1024;

/** Frames SIP messages on a stream by Content-Length; keep-alive CRLFs are skipped, garbage resynchronises on the next start line. */
export class SipStreamParser implements StreamParser {
  need = 0;

  /** transport: what the messages came over ('TLS' once decrypted). */
  constructor(private readonly transport: Transport = 'TCP') {}

  consume(cx: DecodeContext, buf: Buffer, off: number, end: number): number {
    this.need = 0;
    let p = off;
    while (p < end) {
      while (p < end && (buf[p] === CR || buf[p] === LF)) p++;
      if (p >= end) break;
      if (!looksLikeSipStart(buf, p, end)) {
        if (mayBecomeSipStart(buf, p, end)) return p;
        cx.sink.skip('tcp-resync');
        const next = findSipStart(buf, p, end);
        if (next < 0) return partialLineStart(buf, p, end);
        p = next;
      }
      const headerEnd = sipHeaderEnd(buf, p, end);
      if (headerEnd < 0) {
        if (end - p <= MAX_HEADER) return p;
        cx.sink.skip('sip-header-too-long');
        return end;
      }
      const len = headerEnd - p + sipContentLength(buf, p, headerEnd);
      if (len > MAX_STREAM_MESSAGE) {
        // Too big to hold, and a hostile or broken Content-Length must not swallow the messages
        // that follow: drop this header and resynchronise on the next start line.
        cx.sink.skip('tcp-message-too-big');
        p = headerEnd;
        continue;
      }
      if (end - p < len) {
        this.need = len;
        return p;
      }
      cx.emit(buf, p, p + len, this.transport);
      p += len;
    }
    return p;
  }
}
