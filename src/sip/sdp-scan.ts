/**
 * The one SDP read of a SIP message at ingest: what the media plane and the SDP facts need of
 * each m= line. What repeats from call to call (media, transport, codecs, payload map, direction)
 * is a shape, shared by every m= line that spells it the same; only port and addresses are the
 * message's own. A byte-level scan reads the body: a shape's text (the m= line without its port,
 * its a=rtpmap lines, its direction) is hashed and compared byte for byte with the shapes known,
 * so a capture of 100k calls runs parseSdp for its few shapes and reads every other SDP without
 * building strings, arrays or maps. What the scan does not read exactly as parseSdp does
 * (non-ASCII or control bytes, ports that are not plain digits, very many lines) goes to parseSdp.
 */
import { parseSdp, type Direction, type RtpMap, type SdpMedia, type SdpSession } from './sdp.js';
import { codecNames } from './sdp-facts.js';
import { flatCopy, memoryView } from './tokens.js';
import { Latin1Cache } from '../decode/latin1-cache.js';

export interface SdpShape {
  /** Distinct per shape (the SDP facts table keys its records by it). */
  readonly id: number;
  /** "audio", "video", "image", … */
  readonly media: string;
  /** m= transport: "RTP/AVP", "RTP/SAVP", "udptl", … */
  readonly proto: string;
  readonly direction: Direction;
  /** codecNames() of the m= line. */
  readonly codecs: readonly string[];
  /** Payload type → a=rtpmap. */
  readonly rtpmap: ReadonlyMap<string, RtpMap>;
  /** The transport is UDPTL (T.38), in any spelling. */
  readonly udptl: boolean;
  /** The transport is SRTP: RTP/SAVP, RTP/SAVPF, UDP/TLS/RTP/SAVP(F). */
  readonly srtp: boolean;
  /**
   * A format of the m= line is T.38 (m=image … t38, or a=rtpmap:N t38/8000 for T.38 over RTP): the
   * fax store looks only at SDP with such a line, so an SDP without one costs it no parse.
   */
  readonly t38: boolean;
}

/** One m= line as a message announced it. */
export interface SdpSection {
  shape: SdpShape;
  port: number;
  /** The m= line's c= address (media level, else session level), '' when none. */
  connection: string;
  /** a=rtcp port, 0 when absent. */
  rtcpPort: number;
  /** a=rtcp address when it names one, else ''. */
  rtcpAddress: string;
  /** a=rtcp-mux. */
  rtcpMux: boolean;
}

/** The SDP bodies of one message: sections[0, count) in order; the first body's are sections[0, firstCount). */
export interface SdpRead {
  /** SDP bodies found; 0: the message has none. */
  readonly bodies: number;
  readonly count: number;
  readonly firstCount: number;
  readonly sections: readonly SdpSection[];
}

export const NO_SDP_READ: SdpRead = { bodies: 0, count: 0, firstCount: 0, sections: [] };

/** Whether an m= line of the read may be T.38 (SdpShape.t38). */
export function readNamesT38(sdp: SdpRead): boolean {
  for (let k = 0; k < sdp.count; k++) if (sdp.sections[k]!.shape.t38) return true;
  return false;
}

/** m= lines a scanned SDP may have, and segments (m= line halves, a=rtpmap lines) in all; more go to parseSdp. */
const MAX_SECTIONS = 16;
const MAX_SEGMENTS = 256;
/** Shapes remembered (by scan text, and by parsed content); past that a shape is built for its message alone. */
const MAX_SHAPES = 4096;
/** Address strings remembered by their bytes: a direct-mapped cache. */
const ADDRESS_BITS = 12;
/** Longer ports than this many digits are not plain (parseSdp's Number() decides). */
const MAX_PORT_DIGITS = 9;
const SEPARATOR = 0x0a;
const END = 0x00;

const DIRECTION_NAMES: readonly Direction[] = ['sendrecv', 'sendonly', 'recvonly', 'inactive'];
const DIRECTION_BYTES = DIRECTION_NAMES.map((d) => Buffer.from(d, 'latin1'));
const RTPMAP = Buffer.from('rtpmap', 'latin1');
const RTCP = Buffer.from('rtcp', 'latin1');
const RTCP_MUX = Buffer.from('rtcp-mux', 'latin1');
const SRTP_PROTO = /SAVP/i;

const HASH_SEED = 0x811c9dc5;
const HASH_PRIME = 0x01000193;

/**
 * What the scan makes of each byte value within a line: the line feed ends it; non-ASCII and control
 * bytes other than tab and CR send the body to parseSdp. One look-up per byte.
 */
const BYTE_PLAIN = 0;
const BYTE_LF = 1;
const BYTE_OTHER = 2;
const LINE_BYTES = Uint8Array.from({ length: 256 }, (_, c) =>
  c === 0x0a ? BYTE_LF : c >= 0x80 || (c < 0x20 && c !== 0x09 && c !== 0x0d) ? BYTE_OTHER : BYTE_PLAIN);

/** Whitespace inside a line as parseSdp's trim() and split(/\s+/) see it (\v and \f send the SDP to parseSdp). */
function isSpace(c: number): boolean {
  return c === 0x20 || c === 0x09 || c === 0x0d;
}

function equalBytes(buf: Buffer, a: number, b: number, word: Buffer): boolean {
  if (b - a !== word.length) return false;
  for (let i = 0; i < word.length; i++) if (buf[a + i] !== word[i]) return false;
  return true;
}

/** Index in DIRECTION_NAMES of the name buf[a, b), -1 when it is none. */
function directionOf(buf: Buffer, a: number, b: number): number {
  for (let d = 0; d < DIRECTION_BYTES.length; d++) if (equalBytes(buf, a, b, DIRECTION_BYTES[d]!)) return d;
  return -1;
}

/** Plain decimal digits buf[a, b) as a number, -1 when they are not that (empty, other bytes, too long). */
function plainPort(buf: Buffer, a: number, b: number): number {
  if (b <= a || b - a > MAX_PORT_DIGITS) return -1;
  let v = 0;
  for (let i = a; i < b; i++) {
    const d = buf[i]! - 0x30;
    if (d < 0 || d > 9) return -1;
    v = v * 10 + d;
  }
  return v;
}

/** Shape ids are distinct across readers, so tables keyed by them never mix two readers' shapes. */
let nextShapeId = 0;

interface CachedShape {
  shape: SdpShape;
  /** The scan text it was found under: segments each followed by SEPARATOR, then END and the direction. */
  key: Buffer;
  hash: number;
}

function newSection(): SdpSection {
  return { shape: undefined as unknown as SdpShape, port: 0, connection: '', rtcpPort: 0, rtcpAddress: '', rtcpMux: false };
}

/**
 * Reads SDP bodies into one reused SdpRead (valid until the next read). One per store: the shapes
 * and addresses it remembers are bounded.
 */
export class SdpReader {
  private readonly sections: SdpSection[] = [];
  private readonly out = { bodies: 0, count: 0, firstCount: 0, sections: this.sections as readonly SdpSection[] };
  /**
   * The cached shapes by scan-text hash: open addressing (linear probing) over (entry + 1, hash)
   * pairs, at most half full, so a look-up compares numbers in one array before it reads a key.
   */
  private readonly slots = new Int32Array(4 * MAX_SHAPES);
  private readonly entries: CachedShape[] = [];
  private readonly byContent = new Map<string, SdpShape>();
  private cachedShapes = 0;
  private readonly addresses = new Latin1Cache(ADDRESS_BITS);
  /** The scan's notes per section: where its segments are, its direction. */
  private readonly segments = new Int32Array(2 * MAX_SEGMENTS);
  private readonly firstSegment = new Int32Array(MAX_SECTIONS + 1);
  private readonly directions = new Uint8Array(MAX_SECTIONS);
  private readonly hashes = new Int32Array(MAX_SECTIONS);

  /** The SDP body buf[start, end). */
  read(buf: Buffer, start: number, end: number): SdpRead {
    const count = this.scan(buf, start, end);
    if (count < 0) return this.readSessions([parseSdp(buf.toString('utf8', start, end))]);
    let missing = false;
    for (let k = 0; k < count; k++) {
      const found = this.cached(buf, k);
      if (found === undefined) missing = true;
      else this.sections[k]!.shape = found;
    }
    if (missing) {
      // A shape not seen before: parseSdp says what it is (once per shape).
      const session = parseSdp(buf.toString('utf8', start, end));
      if (session.media.length !== count) return this.readSessions([session]);
      for (let k = 0; k < count; k++) {
        const s = this.sections[k]!;
        if (s.shape === undefined) s.shape = this.remember(buf, k, session.media[k]!);
      }
    }
    return this.done(1, count, count);
  }

  /** SDP bodies parseSdp read (multipart bodies, and what the scan leaves to it). */
  readSessions(sessions: readonly SdpSession[]): SdpRead {
    let count = 0;
    for (const s of sessions) {
      for (const m of s.media) {
        const sec = this.section(count++);
        sec.shape = this.shapeOf(m);
        sec.port = m.port;
        sec.connection = m.connection;
        sec.rtcpPort = m.rtcpPort;
        sec.rtcpAddress = m.rtcpAddress;
        sec.rtcpMux = m.rtcpMux;
      }
    }
    return this.done(sessions.length, count, sessions.length > 0 ? sessions[0]!.media.length : 0);
  }

  private done(bodies: number, count: number, firstCount: number): SdpRead {
    const out = this.out;
    out.bodies = bodies;
    out.count = count;
    out.firstCount = firstCount;
    return out;
  }

  private section(k: number): SdpSection {
    while (this.sections.length <= k) this.sections.push(newSection());
    return this.sections[k]!;
  }

  /**
   * The byte-level read of buf[start, end) into sections (shapes unset) and segment notes; the
   * number of m= lines, or -1 when the body is not one it reads exactly as parseSdp.
   */
  private scan(buf: Buffer, start: number, end: number): number {
    let k = -1;
    let segs = 0;
    let sessionConnection = '';
    let sessionDirection = 0;
    const segments = this.segments;
    const view = memoryView(buf);
    const base = buf.byteOffset;
    let ls = start;
    while (ls < end) {
      let le = ls;
      // Four bytes at a time while none is below 0x20 or above 0x7f (the LF and the bytes that go
      // to parseSdp are; tab, CR and the line's last bytes are left to the byte loop below).
      for (; le + 4 <= end; le += 4) {
        const x = view.getInt32(base + le, true);
        if (((x | (x - 0x20202020)) & 0x80808080) !== 0) break;
      }
      for (; le < end; le++) {
        const k = LINE_BYTES[buf[le]!]!;
        if (k === BYTE_PLAIN) continue;
        if (k === BYTE_LF) break;
        return -1;
      }
      const next = le + 1;
      if (le > ls && buf[le - 1] === 0x0d) le--;
      if (le - ls >= 2 && buf[ls + 1] === 0x3d) {
        const type = buf[ls];
        let vs = ls + 2;
        if (type === 0x6d) {
          // m=<media> <port>[/<count>] <proto> <fmt> …
          if (k + 1 >= MAX_SECTIONS || segs + 2 > MAX_SEGMENTS) return -1;
          let ms = vs;
          while (ms < le && isSpace(buf[ms]!)) ms++;
          let me = ms;
          while (me < le && !isSpace(buf[me]!)) me++;
          let ps = me;
          while (ps < le && isSpace(buf[ps]!)) ps++;
          let pe = ps;
          while (pe < le && !isSpace(buf[pe]!)) pe++;
          let slash = ps;
          while (slash < pe && buf[slash] !== 0x2f) slash++;
          let protoAt = pe;
          while (protoAt < le && isSpace(buf[protoAt]!)) protoAt++;
          const port = plainPort(buf, ps, slash);
          if (me === ms || port < 0 || protoAt === le) return -1;
          k++;
          const sec = this.section(k);
          sec.shape = undefined as unknown as SdpShape;
          sec.port = port;
          sec.connection = sessionConnection;
          sec.rtcpPort = 0;
          sec.rtcpAddress = '';
          sec.rtcpMux = false;
          this.directions[k] = sessionDirection;
          this.firstSegment[k] = segs;
          segments[2 * segs] = vs;
          segments[2 * segs + 1] = ps;
          segments[2 * segs + 2] = pe;
          segments[2 * segs + 3] = le;
          segs += 2;
        } else if (type === 0x63) {
          // c=<nettype> <addrtype> <address>[/ttl…]: the third word up to a slash.
          while (vs < le && isSpace(buf[vs]!)) vs++;
          let word = 0;
          let as = -1;
          let ae = -1;
          for (let i = vs; i < le && word < 3;) {
            let j = i;
            while (j < le && !isSpace(buf[j]!)) j++;
            if (word === 2) {
              as = i;
              ae = i;
              while (ae < j && buf[ae] !== 0x2f) ae++;
            }
            word++;
            i = j;
            while (i < le && isSpace(buf[i]!)) i++;
          }
          const address = as < 0 ? '' : this.address(buf, as, ae);
          if (k >= 0) this.sections[k]!.connection = address;
          else sessionConnection = address;
        } else if (type === 0x61) {
          let colon = vs;
          while (colon < le && buf[colon] !== 0x3a) colon++;
          let ns = vs;
          let ne = colon;
          while (ns < ne && isSpace(buf[ns]!)) ns++;
          while (ne > ns && isSpace(buf[ne - 1]!)) ne--;
          let vStart = colon < le ? colon + 1 : le;
          let vEnd = le;
          while (vStart < vEnd && isSpace(buf[vStart]!)) vStart++;
          while (vEnd > vStart && isSpace(buf[vEnd - 1]!)) vEnd--;
          const direction = directionOf(buf, ns, ne);
          if (k < 0) {
            if (direction >= 0) sessionDirection = direction;
          } else if (direction >= 0) {
            this.directions[k] = direction;
          } else if (equalBytes(buf, ns, ne, RTPMAP)) {
            if (segs >= MAX_SEGMENTS) return -1;
            segments[2 * segs] = vStart;
            segments[2 * segs + 1] = vEnd;
            segs++;
          } else if (equalBytes(buf, ns, ne, RTCP_MUX)) {
            this.sections[k]!.rtcpMux = true;
          } else if (equalBytes(buf, ns, ne, RTCP)) {
            // a=rtcp:<port> [<nettype> <addrtype> <address>]
            let pe = vStart;
            while (pe < vEnd && !isSpace(buf[pe]!)) pe++;
            const port = pe === vStart ? 0 : plainPort(buf, vStart, pe);
            if (port < 0) return -1;
            let word = 0;
            let address = '';
            for (let i = vStart; i < vEnd;) {
              let j = i;
              while (j < vEnd && !isSpace(buf[j]!)) j++;
              if (word === 3) address = this.address(buf, i, j);
              word++;
              i = j;
              while (i < vEnd && isSpace(buf[i]!)) i++;
            }
            const sec = this.sections[k]!;
            sec.rtcpPort = port;
            sec.rtcpAddress = address;
          }
        }
      }
      ls = next;
    }
    this.firstSegment[k + 1] = segs;
    for (let s = 0; s <= k; s++) this.hashes[s] = this.keyHash(buf, s);
    return k + 1;
  }

  private keyHash(buf: Buffer, k: number): number {
    let h = HASH_SEED;
    const segments = this.segments;
    for (let s = this.firstSegment[k]!; s < this.firstSegment[k + 1]!; s++) {
      for (let i = segments[2 * s]!; i < segments[2 * s + 1]!; i++) h = Math.imul(h ^ buf[i]!, HASH_PRIME);
      h = Math.imul(h ^ SEPARATOR, HASH_PRIME);
    }
    h = Math.imul(h ^ END, HASH_PRIME);
    return Math.imul(h ^ this.directions[k]!, HASH_PRIME);
  }

  /** Whether `key` is the scan text of section k. */
  private sameKey(buf: Buffer, k: number, key: Buffer): boolean {
    const segments = this.segments;
    let at = 0;
    for (let s = this.firstSegment[k]!; s < this.firstSegment[k + 1]!; s++) {
      const a = segments[2 * s]!;
      const b = segments[2 * s + 1]!;
      if (at + (b - a) + 1 > key.length) return false;
      for (let i = a; i < b; i++) if (key[at++] !== buf[i]) return false;
      if (key[at++] !== SEPARATOR) return false;
    }
    return at + 2 === key.length && key[at] === END && key[at + 1] === this.directions[k];
  }

  private cached(buf: Buffer, k: number): SdpShape | undefined {
    const h = this.hashes[k]!;
    const slots = this.slots;
    const mask = slots.length / 2 - 1;
    for (let at = h & mask; ; at = (at + 1) & mask) {
      const n = slots[2 * at]!;
      if (n === 0) return undefined;
      if (slots[2 * at + 1] === h && this.sameKey(buf, k, this.entries[n - 1]!.key)) return this.entries[n - 1]!.shape;
    }
  }

  /** The shape of parsed m= line m, remembered under section k's scan text while there is room. */
  private remember(buf: Buffer, k: number, m: SdpMedia): SdpShape {
    const shape = this.shapeOf(m);
    if (this.cachedShapes >= MAX_SHAPES) return shape;
    const segments = this.segments;
    const bytes: number[] = [];
    for (let s = this.firstSegment[k]!; s < this.firstSegment[k + 1]!; s++) {
      for (let i = segments[2 * s]!; i < segments[2 * s + 1]!; i++) bytes.push(buf[i]!);
      bytes.push(SEPARATOR);
    }
    bytes.push(END, this.directions[k]!);
    const hash = this.hashes[k]!;
    const entry: CachedShape = { shape, key: Buffer.from(bytes), hash };
    const slots = this.slots;
    const mask = slots.length / 2 - 1;
    let at = hash & mask;
    while (slots[2 * at] !== 0) at = (at + 1) & mask;
    this.entries.push(entry);
    slots[2 * at] = this.entries.length;
    slots[2 * at + 1] = hash;
    this.cachedShapes++;
    return shape;
  }

  /** The shape of a parsed m= line: shared by content while there is room. */
  private shapeOf(m: SdpMedia): SdpShape {
    let key = `${m.media.length}:${m.media}${m.proto.length}:${m.proto}${m.direction}${m.formats.length};`;
    for (const f of m.formats) key += `${f.length}:${f}`;
    for (const [pt, map] of m.rtpmap) key += `${pt.length}:${pt}${map.encoding.length}:${map.encoding}${map.clockRate}/${map.params.length}:${map.params}`;
    const known = this.byContent.get(key);
    if (known !== undefined) return known;
    const shape: SdpShape = {
      id: nextShapeId++,
      media: m.media,
      proto: m.proto,
      direction: m.direction,
      codecs: codecNames(m),
      rtpmap: m.rtpmap,
      udptl: m.proto.toLowerCase() === 'udptl',
      srtp: SRTP_PROTO.test(m.proto),
      t38: m.formats.some((f) => f.toLowerCase() === 't38' || m.rtpmap.get(f)?.encoding.toLowerCase() === 't38'),
    };
    // Kept flat: the key is a concatenation of ~40 parts (big100k: 140k string nodes, 6 MB for 3.6k shapes).
    if (this.byContent.size < MAX_SHAPES) this.byContent.set(flatCopy(key), shape);
    return shape;
  }

  /** The string of address bytes buf[a, b) (ASCII: the scan checked), one copy per address while it stays cached. */
  private address(buf: Buffer, a: number, b: number): string {
    return this.addresses.text(buf, a, b);
  }
}
