/** SDP (RFC 4566) bodies: what media was offered, where, with which codecs, fax and crypto settings. */

export type Direction = 'sendrecv' | 'sendonly' | 'recvonly' | 'inactive';

export interface SdpOrigin {
  username: string;
  sessionId: string;
  sessionVersion: string;
  netType: string;
  addrType: string;
  address: string;
}

export interface RtpMap {
  encoding: string;
  clockRate: number;
  /** Encoding parameters (audio channels), '' when absent. */
  params: string;
}

export interface SdpMedia {
  /** "audio", "video", "image", "application", … */
  media: string;
  port: number;
  /** Number of ports from "port/count", 1 when absent. */
  portCount: number;
  proto: string;
  formats: string[];
  /** Address of the media-level c= line, else the session one, '' when neither exists. */
  connection: string;
  /** Payload type → a=rtpmap. */
  rtpmap: Map<string, RtpMap>;
  /** Payload type → a=fmtp parameters text. */
  fmtp: Map<string, string>;
  /** Media-level direction attribute, else the session one, else sendrecv. */
  direction: Direction;
  /** T.38 attributes (T38FaxVersion, T38FaxRateManagement, T38FaxUdpEC, …) by name; valueless ones map to ''. */
  t38: Record<string, string>;
  /** Carries SDES a=crypto lines (SRTP). */
  crypto: boolean;
  /** a=rtcp port (RFC 3605), 0 when absent (RTCP then uses port + 1). */
  rtcpPort: number;
  /** a=rtcp address when it names one, else ''. */
  rtcpAddress: string;
  /** a=rtcp-mux (RFC 5761): RTCP shares the RTP port. */
  rtcpMux: boolean;
}

export interface SdpSession {
  origin?: SdpOrigin;
  sessionName: string;
  /** Address of the session-level c= line, '' when absent. */
  connection: string;
  direction: Direction;
  media: SdpMedia[];
}

const DIRECTIONS = new Set<string>(['sendrecv', 'sendonly', 'recvonly', 'inactive']);

/** JavaScript's \s: what trim() and split(/\s+/) take for space. */
function isSpace(c: number): boolean {
  return c === 0x20 || (c >= 0x09 && c <= 0x0d) || c === 0xa0 || c === 0x1680 || (c >= 0x2000 && c <= 0x200a) ||
    c === 0x2028 || c === 0x2029 || c === 0x202f || c === 0x205f || c === 0x3000 || c === 0xfeff;
}

/**
 * The words of s[a, b), as s.slice(a, b).trim().split(/\s+/) has them, but [] rather than [''] when
 * there are none (callers destructure with '' defaults): no regex split and no line copy per SDP line.
 */
function words(s: string, a: number, b: number): string[] {
  const out: string[] = [];
  for (let i = a; i < b;) {
    while (i < b && isSpace(s.charCodeAt(i))) i++;
    if (i >= b) break;
    const start = i;
    while (i < b && !isSpace(s.charCodeAt(i))) i++;
    out.push(s.slice(start, i));
  }
  return out;
}

/** The text of s up to its first c, all of s without one ("a/b".split(c)[0]). */
function before(s: string, c: string): string {
  const at = s.indexOf(c);
  return at < 0 ? s : s.slice(0, at);
}

/** The piece of s between its first and second c, undefined without a first ("a/b/c".split(c)[1]). */
function second(s: string, c: string): string | undefined {
  const at = s.indexOf(c);
  return at < 0 ? undefined : before(s.slice(at + 1), c);
}

/** Address from "IN IP4 192.0.2.1" in s[a, b) (a multicast "/ttl" suffix dropped). */
function connectionAddress(s: string, a: number, b: number): string {
  return before(words(s, a, b)[2] ?? '', '/');
}

function parseMediaLine(s: string, a: number, b: number, sessionConnection: string, sessionDirection: Direction): SdpMedia {
  const [media = '', portSpec = '', proto = '', ...formats] = words(s, a, b);
  return {
    media,
    port: Number(before(portSpec, '/')) || 0,
    portCount: Number(second(portSpec, '/')) || 1,
    proto,
    formats,
    connection: sessionConnection,
    rtpmap: new Map(),
    fmtp: new Map(),
    direction: sessionDirection,
    t38: {},
    crypto: false,
    rtcpPort: 0,
    rtcpAddress: '',
    rtcpMux: false,
  };
}

function applyMediaAttribute(m: SdpMedia, name: string, value: string): void {
  if (name === 'rtpmap') {
    const sp = value.indexOf(' ');
    if (sp < 0) return;
    // "<encoding>/<clock rate>[/<params>]"
    const spec = value.slice(sp + 1).trim();
    const rest = second(spec, '/');
    const params = rest === undefined ? '' : second(spec.slice(spec.indexOf('/') + 1), '/') ?? '';
    m.rtpmap.set(value.slice(0, sp), { encoding: before(spec, '/'), clockRate: Number(rest ?? '') || 0, params });
  } else if (name === 'fmtp') {
    const sp = value.indexOf(' ');
    if (sp > 0) m.fmtp.set(value.slice(0, sp), value.slice(sp + 1).trim());
  } else if (name === 'crypto') {
    m.crypto = true;
  } else if (name === 'rtcp') {
    // "port [nettype addrtype address]"
    const [port = '', , , address = ''] = words(value, 0, value.length);
    m.rtcpPort = Number(port) || 0;
    m.rtcpAddress = address;
  } else if (name === 'rtcp-mux') {
    m.rtcpMux = true;
  } else if (DIRECTIONS.has(name)) {
    m.direction = name as Direction;
  } else if (/^t38/i.test(name)) {
    m.t38[name] = value;
  }
}

/** Parses an SDP body; unknown or malformed lines are ignored, never fatal. */
export function parseSdp(body: string | Buffer): SdpSession {
  const text = typeof body === 'string' ? body : body.toString('utf8');
  const session: SdpSession = { sessionName: '', connection: '', direction: 'sendrecv', media: [] };
  let current: SdpMedia | undefined;
  // Lines are read in place, [ls, le) without the line break: only what is kept becomes a string
  // (every SDP message of a capture is parsed once at ingest).
  for (let ls = 0, nl = 0; ls < text.length; ls = nl + 1) {
    nl = text.indexOf('\n', ls);
    if (nl < 0) nl = text.length;
    const le = nl > ls && text.charCodeAt(nl - 1) === 0x0d ? nl - 1 : nl;
    if (le - ls < 2 || text.charCodeAt(ls + 1) !== 0x3d) continue;
    switch (text.charCodeAt(ls)) {
      case 0x6f: { // o=
        const [username = '', sessionId = '', sessionVersion = '', netType = '', addrType = '', address = ''] = words(text, ls + 2, le);
        session.origin = { username, sessionId, sessionVersion, netType, addrType, address };
        break;
      }
      case 0x73: // s=
        if (!current) session.sessionName = text.slice(ls + 2, le);
        break;
      case 0x63: // c=
        if (current) current.connection = connectionAddress(text, ls + 2, le);
        else session.connection = connectionAddress(text, ls + 2, le);
        break;
      case 0x6d: // m=
        current = parseMediaLine(text, ls + 2, le, session.connection, session.direction);
        session.media.push(current);
        break;
      case 0x61: { // a=
        // A bounded search: indexOf would run on through the rest of the body for every a= line without a colon.
        let colon = ls + 2;
        while (colon < le && text.charCodeAt(colon) !== 0x3a) colon++;
        const name = text.slice(ls + 2, colon).trim();
        if (current) applyMediaAttribute(current, name, colon < le ? text.slice(colon + 1, le).trim() : '');
        else if (DIRECTIONS.has(name)) session.direction = name as Direction;
        break;
      }
    }
  }
  return session;
}
