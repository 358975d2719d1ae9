/**
 * SIP message parsing on Buffers, in two depths: scanSip (every payload, fast, only what the store
 * keeps) and parseSipMessage (lazy full parse for screens and filters). Neither throws: bad input
 * yields a skip reason or an empty field.
 */
import type { SkipReason } from '../model/skip.js';
import { canonicalHeaderName, isMultiValue, sameHeader, splitHeaderList } from './headers.js';
import { equalsLower, indexOfLower, isTokenByte, isWsp, memoryView, methodAt, phraseAt, startsWithLower } from './tokens.js';

/** What the store needs from every SIP message. */
/** Why a payload is not a SIP message the store can file. */
export type SipScanSkip = Extract<SkipReason, 'not-sip' | 'sip-bad-start-line' | 'sip-no-call-id'>;

export interface SipScan {
  /** Request method, '' for responses. */
  method: string;
  /** Status code of a response, 0 for requests. */
  status: number;
  callId: string;
  /** CSeq number and method; 0 and '' when the header is missing or unreadable. */
  cseq: number;
  cseqMethod: string;
  hasSdp: boolean;
  /** X-Call-ID or X-CID value, '' when absent. */
  xCallId: string;
  /** Value of the first Reason or Warning header, '' when absent. */
  reason: string;
  /** How many Reason and Warning header lines there are: with one, `reason` is all they say. */
  reasons: number;
  /**
   * Some Via may carry a received= other than its sent-by host: false only when every Via line
   * plainly does not (no "received" in it, or one simple value whose received= equals its host),
   * so a rule can skip parsing the message to look.
   */
  viaReceived: boolean;
  /** Reason phrase of a response as parseSipMessage reads it, '' for requests. */
  reasonPhrase: string;
}

const SIP_VERSION = Buffer.from('SIP/2.0', 'latin1');
const SDP_PART = /^(?:content-type|c)[ \t]*:[ \t]*application\/sdp/im;

// Bytes are compared and searched in JS: Buffer.compare and Buffer.indexOf cost a call into C++
// each, more than the few bytes they look at (they were 8 % of scanSip), and a latin1 string of
// the message to search instead costs its copy and its garbage.
function hasSipVersionAt(buf: Buffer, at: number): boolean {
  if (at < 0 || at + 7 > buf.length) return false;
  for (let i = 0; i < 7; i++) if (buf[at + i] !== SIP_VERSION[i]) return false;
  return true;
}

/** Where byte c first is in buf[from, to), -1 when it is not there. */
function indexOfByte(buf: Buffer, c: number, from: number, to: number): number {
  for (let i = from; i < to; i++) if (buf[i] === c) return i;
  return -1;
}

/**
 * Where the line that starts at or goes on from `from` ends: its LF, else the end of buf. Four
 * bytes at a time (whether a word holds a byte 0x0a: the zero-byte test on it xor 0x0a0a0a0a),
 * three times as fast as a byte loop over a line.
 */
function lineEnd(buf: Buffer, from: number): number {
  const n = buf.length;
  const view = memoryView(buf);
  const base = buf.byteOffset;
  let i = from;
  for (; i + 4 <= n; i += 4) {
    const x = view.getInt32(base + i, true) ^ 0x0a0a0a0a;
    if (((x - 0x01010101) & ~x & 0x80808080) !== 0) break;
  }
  while (i < n && buf[i] !== 10) i++;
  return i;
}

/** Whether buf holds CR LF CR LF from `from` on. */
function hasBlankCrlfLine(buf: Buffer, from: number): boolean {
  for (let i = indexOfByte(buf, 13, from, buf.length); i >= 0; i = indexOfByte(buf, 13, i + 1, buf.length)) {
    if (buf[i + 1] === 10 && buf[i + 2] === 13 && buf[i + 3] === 10) return true;
  }
  return false;
}

interface StartLine {
  method: string;
  status: number;
  /** Request-URI range (requests) or reason-phrase range (responses). */
  textStart: number;
  textEnd: number;
  /** Offset of the first header line. */
  next: number;
}

/**
 * Whether buf[off, end) may start a SIP message: shorter payloads, or ones whose first byte is no
 * token character (RTP, whose first byte is 0x80 or more), are what scanSip calls "not-sip" first.
 */
export function maySipStart(buf: Buffer, off: number, end: number): boolean {
  return end - off >= 12 && isTokenByte(buf[off]!);
}

/** The SIP ports, where a payload that is not SIP is worth a count ("not-sip"). */
export function isSipPort(port: number): boolean {
  return port === 5060 || port === 5061;
}

/** Reads a request line or status line at offset 0, or says why the payload is not a usable one. */
function readStartLine(buf: Buffer): StartLine | SipScanSkip {
  if (!maySipStart(buf, 0, buf.length)) return 'not-sip';
  const lf = indexOfByte(buf, 10, 0, buf.length);
  if (lf < 0) return 'not-sip';
  const eol = buf[lf - 1] === 13 ? lf - 1 : lf;
  if (buf[7] === 0x20 && hasSipVersionAt(buf, 0)) {
    const d0 = buf[8] - 0x30, d1 = buf[9] - 0x30, d2 = buf[10] - 0x30;
    const digits = d0 >= 1 && d0 <= 6 && d1 >= 0 && d1 <= 9 && d2 >= 0 && d2 <= 9;
    if (!digits || (eol > 11 && buf[11] !== 0x20) || eol < 11) return 'sip-bad-start-line';
    return { method: '', status: d0 * 100 + d1 * 10 + d2, textStart: Math.min(12, eol), textEnd: eol, next: lf + 1 };
  }
  if (eol < 10 || buf[eol - 8] !== 0x20 || !hasSipVersionAt(buf, eol - 7)) return 'not-sip';
  let sp = 1;
  while (sp < eol && isTokenByte(buf[sp])) sp++;
  const uriEnd = eol - 8;
  if (buf[sp] !== 0x20 || sp + 1 >= uriEnd || indexOfByte(buf, 0x20, sp + 1, uriEnd + 1) !== uriEnd) return 'sip-bad-start-line';
  return { method: methodAt(buf, 0, sp), status: 0, textStart: sp + 1, textEnd: uriEnd, next: lf + 1 };
}

/**
 * In s (a latin1 copy of the message or of its end), where the header block that starts at
 * `from` ends and where the body starts (blank line tolerated as LF LF).
 */
function headerBounds(s: string, from: number, to: number): { end: number; body: number } {
  if (from >= to) return { end: to, body: to };
  // A message without headers has its blank line right after the start line.
  if (s.charCodeAt(from) === 10) return { end: from, body: from + 1 };
  if (s.charCodeAt(from) === 13 && s.charCodeAt(from + 1) === 10) return { end: from, body: from + 2 };
  const crlf = s.indexOf('\r\n\r\n', from);
  if (crlf >= 0 && crlf < to) return { end: crlf + 2, body: crlf + 4 };
  const lflf = s.indexOf('\n\n', from);
  if (lflf >= 0 && lflf < to) return { end: lflf + 1, body: lflf + 2 };
  return { end: to, body: to };
}

/** End of a header value starting on the line ending at e: folded continuation lines belong to it. */
function foldedEnd(buf: Buffer, e: number): number {
  while (e + 1 < buf.length && isWsp(buf[e + 1])) e = lineEnd(buf, e + 1);
  return e;
}

function trimStart(buf: Buffer, a: number, b: number): number {
  while (a < b && (isWsp(buf[a]) || buf[a] === 13 || buf[a] === 10)) a++;
  return a;
}

function trimEnd(buf: Buffer, a: number, b: number): number {
  while (b > a && (isWsp(buf[b - 1]) || buf[b - 1] === 13 || buf[b - 1] === 10)) b--;
  return b;
}

/** A header value as one line: folding (CRLF + whitespace) becomes a single space. */
function unfold(text: string): string {
  return text.includes('\n') ? text.replace(/\r?\n[ \t]+/g, ' ') : text;
}

/** Digits at buf[a, b) as a number, or -1 when there are none or anything else follows them. */
function decimalAt(buf: Buffer, a: number, b: number): number {
  let v = 0;
  let i = a;
  for (; i < b; i++) {
    const d = buf[i] - 0x30;
    if (d < 0 || d > 9) break;
    v = v * 10 + d;
  }
  return i === a || i !== b ? -1 : v;
}

function skipWsp(buf: Buffer, i: number, end: number): number {
  while (i < end && isWsp(buf[i])) i++;
  return i;
}

/**
 * Whether the Via value buf[a, b) may carry a received parameter that differs from its sent-by host.
 * Says false only for a plain value ("SIP/2.0/UDP host[:port];…;received=host;…", one of them, ASCII,
 * no quotes, folding or commas) or one with no "received" at all; anything else may, and is left to a full parse.
 */
function receivedMayDiffer(buf: Buffer, a: number, b: number): boolean {
  const at = indexOfLower(buf, a, b, 'received');
  if (at < 0) return false;
  if (indexOfLower(buf, at + 8, b, 'received') >= 0) return true;
  for (let i = a; i < b; i++) {
    const c = buf[i];
    if (c >= 0x7f || (c < 0x20 && c !== 0x09) || c === 0x2c || c === 0x22) return true;
  }
  // "SIP/<version>/<transport>", then whitespace, then sent-by up to the first ';'.
  if (!startsWithLower(buf, a, 'sip/')) return true;
  let i = a + 4;
  while (i < b && ((buf[i] >= 0x30 && buf[i] <= 0x39) || buf[i] === 0x2e)) i++;
  if (i === a + 4 || buf[i] !== 0x2f) return true;
  const transport = ++i;
  while (i < b && !isWsp(buf[i]) && buf[i] !== 0x3b) i++;
  if (i === transport || i >= b || !isWsp(buf[i])) return true;
  const hostStart = skipWsp(buf, i, b);
  let semi = indexOfByte(buf, 0x3b, hostStart, b);
  if (semi < 0) semi = b;
  if (at < semi) return false; // Not a parameter: the rule reads no received.
  let sentByEnd = semi;
  while (sentByEnd > hostStart && isWsp(buf[sentByEnd - 1])) sentByEnd--;
  for (let k = hostStart; k < sentByEnd; k++) if (isWsp(buf[k])) return true;
  let hostEnd: number;
  if (buf[hostStart] === 0x5b) {
    hostEnd = indexOfByte(buf, 0x5d, hostStart, sentByEnd + 1);
    if (hostEnd < 0) return true;
  } else {
    hostEnd = indexOfByte(buf, 0x3a, hostStart, sentByEnd);
    if (hostEnd < 0) hostEnd = sentByEnd;
  }
  const host = buf[hostStart] === 0x5b ? hostStart + 1 : hostStart;
  // The parameter: ";" and whitespace before the name, whitespace and "=" after it.
  let before = at - 1;
  while (before > semi && isWsp(buf[before])) before--;
  if (buf[before] !== 0x3b) return false; // Part of another parameter's name or value.
  const eq = skipWsp(buf, at + 8, b);
  if (eq >= b || buf[eq] === 0x3b) return false; // Valueless: the rule reads ''.
  if (buf[eq] !== 0x3d) return false; // "receivedx=…": another parameter.
  const vs = skipWsp(buf, eq + 1, b);
  let ve = indexOfByte(buf, 0x3b, vs, b);
  if (ve < 0) ve = b;
  while (ve > vs && isWsp(buf[ve - 1])) ve--;
  if (ve === vs) return false;
  if (ve - vs !== hostEnd - host) return true;
  for (let k = 0; k < ve - vs; k++) if (buf[vs + k] !== buf[host + k]) return true;
  return false;
}

/** What scanSip does with a header it recognises; the roles from From on only note where its value is (ScanPlaces). */
const enum Role { None, CallId, CSeq, ContentType, ContentLength, XCallId, Reason, Identity, Via, From, To, UserAgent, Server }

/**
 * Headers whose presence is one bit of HeaderNames.mask (at most 32): the common ones and the ones
 * people filter on (`has diversion`). Every other header name is kept as a hash.
 */
export const MASKED_HEADERS: readonly string[] = [
  'Via', 'From', 'To', 'Call-ID', 'CSeq', 'Contact', 'Max-Forwards', 'Content-Type', 'Content-Length', 'User-Agent',
  'Server', 'Allow', 'Supported', 'Require', 'Route', 'Record-Route', 'Authorization', 'Proxy-Authorization',
  'WWW-Authenticate', 'Proxy-Authenticate', 'Expires', 'Diversion', 'P-Asserted-Identity', 'P-Preferred-Identity',
  'Privacy', 'Reason', 'Warning', 'X-Call-ID', 'Min-SE', 'Session-Expires', 'History-Info', 'Remote-Party-ID',
];

const ROLES: Readonly<Record<string, Role>> = {
  'call-id': Role.CallId, cseq: Role.CSeq, 'content-type': Role.ContentType, 'content-length': Role.ContentLength,
  'x-call-id': Role.XCallId, 'x-cid': Role.XCallId, reason: Role.Reason, warning: Role.Reason,
  diversion: Role.Identity, 'p-asserted-identity': Role.Identity, 'p-preferred-identity': Role.Identity,
  via: Role.Via, from: Role.From, to: Role.To, 'user-agent': Role.UserAgent, server: Role.Server,
};

const HASH_SEED = 0x811c9dc5 | 0;
const HASH_PRIME = 16777619;

/** FNV-1a of a header name folded with `| 0x20` (lower case for letters; the same fold on both sides). */
function nameHash(s: string, a: number, b: number): number {
  let h = HASH_SEED;
  for (let i = a; i < b; i++) h = Math.imul(h ^ (s.charCodeAt(i) | 0x20), HASH_PRIME);
  return h;
}

interface KnownName {
  /** Lower-case name as written on the wire (long or compact form). */
  lower: string;
  /** Bit in HeaderNames.mask, -1 when the name has none. */
  bit: number;
  /** Hash of the long form, what HeaderNames.others holds for names without a bit. */
  longHash: number;
  role: Role;
}

function knownName(wire: string): KnownName {
  const long = canonicalHeaderName(wire).toLowerCase();
  return {
    lower: wire.toLowerCase(),
    bit: MASKED_HEADERS.findIndex((n) => n.toLowerCase() === long),
    longHash: nameHash(long, 0, long.length),
    role: ROLES[long] ?? Role.None,
  };
}

const COMPACT_FORMS = [...'abcdefghijklmnopqrstuvwxyz'].filter((c) => canonicalHeaderName(c) !== c);
const KNOWN_NAMES = [...new Set([...MASKED_HEADERS, ...Object.keys(ROLES), ...COMPACT_FORMS].map((n) => n.toLowerCase()))]
  .map(knownName);
/** Open-addressed hash → KNOWN_NAMES index, so recognising a name costs one probe or two. */
const SLOTS = 256;
const slotIndex = new Int16Array(SLOTS).fill(-1);
const slotHash = new Int32Array(SLOTS);
KNOWN_NAMES.forEach((k, i) => {
  const h = nameHash(k.lower, 0, k.lower.length);
  let slot = h & (SLOTS - 1);
  while (slotIndex[slot] >= 0) slot = (slot + 1) & (SLOTS - 1);
  slotIndex[slot] = i;
  slotHash[slot] = h;
});

function findKnown(h: number): KnownName | undefined {
  for (let slot = h & (SLOTS - 1); slotIndex[slot] >= 0; slot = (slot + 1) & (SLOTS - 1)) {
    if (slotHash[slot] === h) return KNOWN_NAMES[slotIndex[slot]];
  }
  return undefined;
}

const MASK_BITS = new Map(MASKED_HEADERS.map((n, bit) => [n.toLowerCase(), bit]));

/** The HeaderNames.mask bit of a header (long-form) name, -1 when it has none. */
export function maskBit(name: string): number {
  return MASK_BITS.get(name.toLowerCase()) ?? -1;
}

/** Where a `has NAME` test looks: the presence bit of the name, or (bit -1) its hash among HeaderNames.others. */
export function headerNameKey(name: string): { bit: number; hash: number } {
  const known = findKnown(nameHash(name, 0, name.length));
  if (known && known.lower === name.toLowerCase()) return { bit: known.bit, hash: known.longHash };
  return { bit: -1, hash: nameHash(name, 0, name.length) };
}

/**
 * The header names of one message, filled by scanSip when the caller passes one (the store reuses a
 * single instance). A name outside MASKED_HEADERS is kept as a 32-bit hash: a `has` test may, once in
 * four billion names, see a header that is not there; nothing else depends on it.
 */
/** Header names without a bit recorded per message: more than a dialog keeps facts for is only work. */
export const MAX_OTHER_NAMES = 512;

function noteOther(names: HeaderNames | undefined, hash: number): void {
  if (names !== undefined && names.others.length < MAX_OTHER_NAMES) names.others.push(hash);
}

export interface HeaderNames {
  /** Bit i set: MASKED_HEADERS[i] is present. */
  mask: number;
  /** headerNameKey().hash of each present header without a bit (repeats possible; at most MAX_OTHER_NAMES). */
  others: number[];
  /** Diversion, P-Asserted-Identity and P-Preferred-Identity lines as triples: mask bit, value start, value end. */
  identities: number[];
}

/**
 * Where scanSip found what the store reads of a message beyond SipScan: ranges [start, end) in the
 * payload, -1 when absent, so opening a dialog or reading an SDP body needs no full parse. The
 * store refills one instance per message. Header ranges are those parseSipMessage gives the first
 * header of that name (valueText of them equals headerValue).
 */
export interface ScanPlaces {
  from: number;
  fromEnd: number;
  to: number;
  toEnd: number;
  userAgent: number;
  userAgentEnd: number;
  server: number;
  serverEnd: number;
  /** Request-URI of a request (reason phrase of a response): the start line's text. */
  text: number;
  textEnd: number;
  /**
   * The body as the one SDP sdpSessionsOf would find, when the message plainly has one: hasSdp, a
   * single Content-Type (application/sdp) and at most one Content-Length. -1 otherwise (multipart,
   * repeated headers): the full parse decides then.
   */
  sdp: number;
  sdpEnd: number;
}

/** A ScanPlaces to refill. */
export function scanPlaces(): ScanPlaces {
  return { from: -1, fromEnd: -1, to: -1, toEnd: -1, userAgent: -1, userAgentEnd: -1, server: -1, serverEnd: -1, text: -1, textEnd: -1, sdp: -1, sdpEnd: -1 };
}

/**
 * The end parseHeaderLines gives a value that starts at vs on the line ending at e: that of its
 * last continuation line, trimmed (a value's start stays on its first line).
 */
function parsedValueEnd(buf: Buffer, vs: number, e: number): number {
  let end = trimEnd(buf, vs, e);
  while (e + 1 < buf.length && isWsp(buf[e + 1])) {
    const line = e + 1;
    e = lineEnd(buf, line);
    end = trimEnd(buf, line, e);
  }
  return end;
}

/** Notes the value range of a From, To, User-Agent or Server header unless one came before it. */
function notePlace(places: ScanPlaces, role: Role, buf: Buffer, vs: number, e: number): void {
  if (role === Role.From && places.from < 0) {
    places.from = vs;
    places.fromEnd = parsedValueEnd(buf, vs, e);
  } else if (role === Role.To && places.to < 0) {
    places.to = vs;
    places.toEnd = parsedValueEnd(buf, vs, e);
  } else if (role === Role.UserAgent && places.userAgent < 0) {
    places.userAgent = vs;
    places.userAgentEnd = parsedValueEnd(buf, vs, e);
  } else if (role === Role.Server && places.server < 0) {
    places.server = vs;
    places.serverEnd = parsedValueEnd(buf, vs, e);
  }
}

/**
 * The fast first pass: is this payload a SIP message the store can use, and its key fields.
 * Returns a skip reason ("not-sip", "sip-bad-start-line", "sip-no-call-id") otherwise.
 * With `names`, also records which headers the message carries.
 */
export function scanSip(buf: Buffer, names?: HeaderNames, places?: ScanPlaces): SipScan | SipScanSkip {
  if (!maySipStart(buf, 0, buf.length)) return 'not-sip';
  const start = readStartLine(buf);
  if (typeof start === 'string') return start;
  const from = start.next;
  // The blank line is found on the walk over the lines (where headerBounds would search for it first).
  let end = buf.length;
  let bodyAt = buf.length;
  let callId = '', xCallId = '', reason = '', reasons = 0, cseq = 0, cseqMethod = '';
  let sdp = false, multipart = false, contentLength = -1, viaReceived = false;
  let contentTypes = 0, contentLengths = 0;
  let mask = 0;
  if (places) {
    places.from = places.to = places.userAgent = places.server = places.sdp = -1;
    places.text = start.textStart;
    places.textEnd = start.textEnd;
  }
  if (names && names.others.length > 0) names.others.length = 0;
  if (names && names.identities.length > 0) names.identities.length = 0;
  let p = from;
  while (p < end) {
    const c0 = buf[p];
    if (c0 === 10 || (c0 === 13 && buf[p + 1] === 10)) {
      // headerBounds' answer: a message without headers, the first CRLF CRLF, else the first LF LF
      // (unless a CRLF CRLF comes later: that one wins, and the lines up to it are read as headers).
      if (p === from) {
        end = from;
        bodyAt = from + (c0 === 10 ? 1 : 2);
        break;
      }
      if (c0 === 13 && buf[p - 2] === 13) {
        end = p;
        bodyAt = p + 2;
        break;
      }
      if (c0 === 10 && !hasBlankCrlfLine(buf, p)) {
        end = p;
        bodyAt = p + 1;
        break;
      }
    }
    let e = lineEnd(buf, p);
    // The name is hashed on the way to its colon: one pass over it, whatever header it is.
    let h = HASH_SEED;
    let nameEnd = p;
    for (; nameEnd < e; nameEnd++) {
      const ch = buf[nameEnd];
      if (ch === 0x3a || ch === 0x20 || ch === 0x09) break;
      h = Math.imul(h ^ (ch | 0x20), HASH_PRIME);
    }
    let colon = nameEnd;
    while (colon < e && isWsp(buf[colon])) colon++;
    // Continuation lines start with whitespace (nameEnd === p) and belong to the header before.
    if (nameEnd > p && colon < e && buf[colon] === 0x3a) {
      const known = findKnown(h);
      // Hashes may collide: a header that is read is checked by name.
      const role = known && (known.role === Role.None || equalsLower(buf, p, nameEnd, known.lower)) ? known.role : Role.None;
      if (!known || (role === Role.None && known.role !== Role.None)) noteOther(names, h);
      else if (known.bit >= 0) mask |= 1 << known.bit;
      else noteOther(names, known.longHash);
      // The roles from From on only say where a value is, with the range parseSipMessage gives it.
      if (known && role >= Role.From) {
        if (places) notePlace(places, role, buf, trimStart(buf, colon + 1, e), e);
      } else if (known && role !== Role.None) {
        e = foldedEnd(buf, e);
        const vs = trimStart(buf, colon + 1, e);
        const ve = trimEnd(buf, vs, e);
        switch (role) {
          case Role.CallId:
            if (callId === '' && ve > vs) callId = buf.toString('latin1', vs, ve);
            break;
          case Role.CSeq: {
            let n = vs;
            while (n < ve && buf[n] >= 0x30 && buf[n] <= 0x39) n++;
            cseq = Math.max(0, decimalAt(buf, vs, n));
            const ms = trimStart(buf, n, ve);
            let me = ms;
            while (me < ve && isTokenByte(buf[me])) me++;
            if (me > ms) cseqMethod = methodAt(buf, ms, me);
            break;
          }
          case Role.ContentType:
            contentTypes++;
            sdp = startsWithLower(buf, vs, 'application/sdp');
            multipart = startsWithLower(buf, vs, 'multipart/');
            break;
          case Role.ContentLength:
            contentLengths++;
            contentLength = decimalAt(buf, vs, ve);
            break;
          case Role.XCallId:
            if (xCallId === '' && ve > vs) xCallId = buf.toString('latin1', vs, ve);
            break;
          case Role.Reason:
            reasons++;
            if (reason === '' && ve > vs) reason = unfold(buf.toString('utf8', vs, ve));
            break;
          case Role.Identity:
            names?.identities.push(known.bit, vs, ve);
            break;
          case Role.Via:
            viaReceived ||= receivedMayDiffer(buf, vs, ve);
            break;
        }
      }
    }
    p = e + 1;
  }
  if (names) names.mask = mask;
  if (callId === '') return 'sip-no-call-id';
  const body = bodyAt;
  const bodyEnd = contentLength >= 0 ? Math.min(buf.length, body + contentLength) : buf.length;
  const hasBody = bodyEnd > body;
  const hasSdp = hasBody && (sdp || (multipart && SDP_PART.test(buf.toString('latin1', bodyAt, bodyEnd))));
  const reasonPhrase = start.status !== 0 ? phraseAt(buf, start.textStart, start.textEnd) : '';
  if (places && hasSdp && sdp && contentTypes === 1 && contentLengths <= 1) {
    places.sdp = body;
    places.sdpEnd = bodyEnd;
  }
  return { method: start.method, status: start.status, callId, cseq, cseqMethod, hasSdp, xCallId, reason, reasons, viaReceived, reasonPhrase };
}

/** One header line (with its folded continuations) as byte ranges into the message. */
export interface SipHeader {
  /** Canonical long form ("Call-ID" for "i", "call-id", …). */
  name: string;
  /** The name as written. */
  rawName: string;
  nameStart: number;
  valueStart: number;
  valueEnd: number;
}

/** Headers and body of a message or of one multipart body part. */
export interface SipEntity {
  buf: Buffer;
  headers: SipHeader[];
  bodyStart: number;
  bodyEnd: number;
}

export interface ParsedSip extends SipEntity {
  /** False when the start line is neither a request line nor a status line. */
  valid: boolean;
  /** Request method, '' for responses. */
  method: string;
  /** Request-URI of a request, '' for responses. */
  ruri: string;
  /** Status code and reason phrase of a response; 0 and '' for requests. */
  status: number;
  reasonPhrase: string;
}

/** Parses the header lines of buf[from, to). */
function parseHeaderLines(buf: Buffer, from: number, to: number): SipHeader[] {
  const headers: SipHeader[] = [];
  let p = from;
  while (p < to) {
    let e = indexOfByte(buf, 10, p, to);
    if (e < 0) e = to;
    const colon = indexOfByte(buf, 0x3a, p, e);
    if (isWsp(buf[p]) && headers.length > 0) {
      headers[headers.length - 1].valueEnd = trimEnd(buf, p, e);
    } else if (colon > p) {
      const nameEnd = trimEnd(buf, p, colon);
      const vs = trimStart(buf, colon + 1, e);
      const rawName = buf.toString('latin1', p, nameEnd);
      headers.push({
        name: canonicalHeaderName(rawName),
        rawName,
        nameStart: p,
        valueStart: vs,
        valueEnd: trimEnd(buf, vs, e),
      });
    }
    p = e + 1;
  }
  return headers;
}

const CONTENT_LENGTH = canonicalHeaderName('Content-Length');

/** The first Content-Length's digits (headerValue's header: folding or other bytes in it make it -1 either way). */
function contentLengthOf(entity: { buf: Buffer; headers: SipHeader[] }): number {
  const h = entity.headers.find((x) => sameHeader(CONTENT_LENGTH, x.name));
  return h === undefined ? -1 : decimalAt(entity.buf, h.valueStart, h.valueEnd);
}

/** Full parse: start line, header index, body range. Never throws; garbage gives valid=false. */
export function parseSipMessage(buf: Buffer): ParsedSip {
  const text = buf.toString('latin1');
  const start = readStartLine(buf);
  const ok = typeof start !== 'string';
  const next = ok ? start.next : 0;
  const bounds = headerBounds(text, next, text.length);
  const headers = parseHeaderLines(buf, next, bounds.end);
  const parsed: ParsedSip = {
    buf,
    valid: ok,
    method: ok ? start.method : '',
    ruri: ok && start.status === 0 ? buf.toString('utf8', start.textStart, start.textEnd) : '',
    status: ok ? start.status : 0,
    reasonPhrase: ok && start.status !== 0 ? phraseAt(buf, start.textStart, start.textEnd) : '',
    headers,
    bodyStart: bounds.body,
    bodyEnd: buf.length,
  };
  const cl = contentLengthOf(parsed);
  if (cl >= 0) parsed.bodyEnd = Math.min(buf.length, bounds.body + cl);
  return parsed;
}

/** The text of one header's value, folding collapsed to single spaces. */
export function headerText(buf: Buffer, h: SipHeader): string {
  return valueText(buf, h.valueStart, h.valueEnd);
}

/** The text of the header value at buf[start, end) (a SipHeader's or a ScanPlaces range), as headerText reads it. */
export function valueText(buf: Buffer, start: number, end: number): string {
  return unfold(buf.toString('utf8', start, end));
}

/** The first value of a header (whole line, not split), or undefined. Name matching is case-insensitive and compact-aware. */
export function headerValue(entity: { buf: Buffer; headers: SipHeader[] }, name: string): string | undefined {
  const want = canonicalHeaderName(name);
  for (const h of entity.headers) {
    if (sameHeader(want, h.name)) return headerText(entity.buf, h);
  }
  return undefined;
}

/** All values of a header in order, list headers (Via, Contact, Route, …) split at top-level commas. */
export function headerValues(entity: { buf: Buffer; headers: SipHeader[] }, name: string): string[] {
  const canonical = canonicalHeaderName(name);
  const split = isMultiValue(canonical);
  const out: string[] = [];
  for (const h of entity.headers) {
    if (!sameHeader(canonical, h.name)) continue;
    const text = headerText(entity.buf, h);
    if (split) out.push(...splitHeaderList(text));
    else out.push(text.trim());
  }
  return out;
}

/** The boundary parameter of a multipart Content-Type, or '' when the body is not multipart. */
function multipartBoundary(contentType: string): string {
  if (!/^\s*multipart\//i.test(contentType)) return '';
  const m = /;\s*boundary\s*=\s*(?:"([^"]*)"|([^\s;]+))/i.exec(contentType);
  return m ? (m[1] ?? m[2]) : '';
}

/** Body parts of a multipart message (RFC 2046), each with its own headers and body range; [] otherwise. */
export function bodyParts(entity: SipEntity): SipEntity[] {
  const boundary = multipartBoundary(headerValue(entity, 'Content-Type') ?? '');
  if (boundary === '') return [];
  const { buf, bodyStart, bodyEnd } = entity;
  const text = buf.toString('latin1');
  const body = text.slice(bodyStart, bodyEnd);
  const delimiter = '--' + boundary;
  const parts: SipEntity[] = [];
  let at = body.startsWith(delimiter) ? 0 : body.indexOf('\n' + delimiter);
  while (at >= 0) {
    const open = at === 0 && body.startsWith(delimiter) ? 0 : at + 1;
    const afterDelim = open + delimiter.length;
    if (body.startsWith('--', afterDelim)) break;
    const lineEnd = body.indexOf('\n', afterDelim);
    if (lineEnd < 0) break;
    const nextAt = body.indexOf('\n' + delimiter, lineEnd);
    // The CRLF before a delimiter belongs to the delimiter, not to the part.
    let end = nextAt < 0 ? body.length : nextAt;
    if (nextAt >= 0 && body.charCodeAt(end - 1) === 13) end--;
    const partStart = bodyStart + lineEnd + 1;
    const partEnd = bodyStart + Math.max(lineEnd + 1, end);
    const bounds = headerBounds(text, partStart, partEnd);
    parts.push({ buf, headers: parseHeaderLines(buf, partStart, bounds.end), bodyStart: bounds.body, bodyEnd: partEnd });
    at = nextAt;
  }
  return parts;
}
