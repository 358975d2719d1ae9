import type { SkipReason } from '../model/skip.js';
/**
 * HEP (Homer Encapsulation Protocol) v1/v2/v3 reading: one pure parser shared by the decoder
 * (HEP found inside captures) and the -L listener. It fills a caller-owned HepFields with
 * offsets into the packet, so reading allocates nothing; bad bytes give a skip reason.
 */

/** "HEP3" read as one big-endian word. */
const HEP3_MAGIC = 0x48455033;
export const HEP3_HEADER = 6;
const CHUNK_HEADER = 6;
const AF_INET = 2;
const AF_INET6 = 10;
export const PROTO_TCP = 6;
export const PROTO_UDP = 17;
export const PROTO_SCTP = 132;
/** HEPv1/v2: version, header length, family, protocol, source port, destination port. */
const HEP2_HEADER = 8;
/** HEPv2 time header: seconds, microseconds (host order, in practice little-endian), capture id, padding. */
const HEP2_TIME = 12;

/** HEP3 generic chunk types (vendor 0). */
export const enum Chunk {
  Family = 1,
  Protocol = 2,
  Ip4Src = 3,
  Ip4Dst = 4,
  Ip6Src = 5,
  Ip6Dst = 6,
  SrcPort = 7,
  DstPort = 8,
  Seconds = 9,
  Micros = 10,
  PayloadType = 11,
  CaptureId = 12,
  KeepAlive = 13,
  AuthKey = 14,
  Payload = 15,
  CompressedPayload = 16,
  CorrelationId = 17,
  /** Group ID in the specification; heplify and HOMER use it for the agent's node name. */
  NodeName = 19,
}

/** HEP3 protocol types (chunk 11) sipscope reads; others are counted and skipped. */
export const PAYLOAD_SIP = 1;
export const PAYLOAD_RTP = 4;

/** What one HEP packet says; offsets are into the buffer given to parseHep. -1 marks an absent field. */
export interface HepFields {
  version: number;
  /** IP protocol of the carried packet (6 TCP, 17 UDP, 132 SCTP). */
  proto: number;
  /** 0 when the packet has no addresses. */
  ipVersion: 0 | 4 | 6;
  srcOff: number;
  dstOff: number;
  sport: number;
  dport: number;
  /** Capture time; seconds is -1 when the packet has none. */
  seconds: number;
  micros: number;
  /** Protocol type chunk (1 SIP); -1 when absent (v2, or an agent that omits it). */
  payloadType: number;
  captureId: number;
  authOff: number;
  authLen: number;
  correlationOff: number;
  correlationLen: number;
  nodeNameOff: number;
  nodeNameLen: number;
  payOff: number;
  payEnd: number;
  /** Chunk 16: the payload is gzip/zlib compressed. */
  compressed: boolean;
}

export function newHepFields(): HepFields {
  return {
    version: 0, proto: PROTO_UDP, ipVersion: 0, srcOff: -1, dstOff: -1, sport: 0, dport: 0, seconds: -1, micros: 0,
    payloadType: -1, captureId: -1, authOff: -1, authLen: 0, correlationOff: -1, correlationLen: 0,
    nodeNameOff: -1, nodeNameLen: 0, payOff: -1, payEnd: -1, compressed: false,
  };
}

function reset(h: HepFields): void {
  h.proto = PROTO_UDP;
  h.ipVersion = 0;
  h.srcOff = h.dstOff = -1;
  h.sport = h.dport = 0;
  h.seconds = -1;
  h.micros = 0;
  h.payloadType = h.captureId = -1;
  h.authOff = h.correlationOff = h.nodeNameOff = -1;
  h.authLen = h.correlationLen = h.nodeNameLen = 0;
  h.payOff = h.payEnd = -1;
  h.compressed = false;
}

/** True when buf[off, end) starts like a HEP packet: the HEP3 magic, or a plausible HEPv1/v2 header. */
export function looksLikeHep(buf: Buffer, off: number, end: number): boolean {
  const len = end - off;
  if (len < HEP2_HEADER) return false;
  const b0 = buf[off];
  if (b0 === 0x48) return buf.readUInt32BE(off) === HEP3_MAGIC;
  if (b0 !== 1 && b0 !== 2) return false;
  return len > hep2HeaderLength(buf, off) && isHepProtocol(buf[off + 3]);
}

/** Length of a HEP3 packet starting at buf[off] (needs 6 bytes). */
export function hep3Length(buf: Buffer, off: number): number {
  return (buf[off + 4] << 8) | buf[off + 5];
}

export function isHep3Start(buf: Buffer, off: number, end: number): boolean {
  return end - off >= HEP3_HEADER && buf.readUInt32BE(off) === HEP3_MAGIC;
}

/** Reads one HEP packet in buf[off, end) into h; a skip reason when it is malformed. */
export function parseHep(buf: Buffer, off: number, end: number, h: HepFields): SkipReason | undefined {
  reset(h);
  if (buf[off] === 0x48) return isHep3Start(buf, off, end) ? parseHep3(buf, off, end, h) : 'hep-truncated';
  if (!looksLikeHep(buf, off, end)) return 'hep-bad-header';
  return parseHep2(buf, off, end, h);
}

function parseHep3(buf: Buffer, off: number, end: number, h: HepFields): SkipReason | undefined {
  const total = hep3Length(buf, off);
  if (total < HEP3_HEADER || total > end - off) return 'hep-truncated';
  h.version = 3;
  const stop = off + total;
  for (let p = off + HEP3_HEADER; p + CHUNK_HEADER <= stop; ) {
    const vendor = (buf[p] << 8) | buf[p + 1];
    const type = (buf[p + 2] << 8) | buf[p + 3];
    const len = (buf[p + 4] << 8) | buf[p + 5];
    if (len < CHUNK_HEADER || len > stop - p) return 'hep-bad-chunk';
    const d = p + CHUNK_HEADER;
    const dlen = len - CHUNK_HEADER;
    p += len;
    if (vendor !== 0) continue;
    switch (type) {
      case Chunk.Protocol: if (dlen >= 1) h.proto = buf[d]; break;
      case Chunk.Ip4Src: if (dlen >= 4 && h.ipVersion !== 6) { h.ipVersion = 4; h.srcOff = d; } break;
      case Chunk.Ip4Dst: if (dlen >= 4 && h.ipVersion !== 6) { h.ipVersion = 4; h.dstOff = d; } break;
      case Chunk.Ip6Src: if (dlen >= 16) { h.ipVersion = 6; h.srcOff = d; } break;
      case Chunk.Ip6Dst: if (dlen >= 16) { h.ipVersion = 6; h.dstOff = d; } break;
      case Chunk.SrcPort: if (dlen >= 2) h.sport = (buf[d] << 8) | buf[d + 1]; break;
      case Chunk.DstPort: if (dlen >= 2) h.dport = (buf[d] << 8) | buf[d + 1]; break;
      case Chunk.Seconds: if (dlen >= 4) h.seconds = buf.readUInt32BE(d); break;
      case Chunk.Micros: if (dlen >= 4) h.micros = buf.readUInt32BE(d); break;
      case Chunk.PayloadType: if (dlen >= 1) h.payloadType = buf[d]; break;
      case Chunk.CaptureId:
        if (dlen >= 4) h.captureId = buf.readUInt32BE(d);
        else if (dlen >= 2) h.captureId = (buf[d] << 8) | buf[d + 1];
        break;
      case Chunk.AuthKey: h.authOff = d; h.authLen = dlen; break;
      case Chunk.CorrelationId: h.correlationOff = d; h.correlationLen = dlen; break;
      case Chunk.NodeName: h.nodeNameOff = d; h.nodeNameLen = dlen; break;
      case Chunk.Payload:
      case Chunk.CompressedPayload:
        h.payOff = d;
        h.payEnd = d + dlen;
        h.compressed = type === Chunk.CompressedPayload;
        break;
    }
  }
  // A source without a destination (or the reverse) cannot be placed.
  if ((h.srcOff < 0) !== (h.dstOff < 0)) h.ipVersion = 0;
  return h.payOff < 0 ? 'hep-no-payload' : undefined;
}

function parseHep2(buf: Buffer, off: number, end: number, h: HepFields): SkipReason | undefined {
  const header = hep2HeaderLength(buf, off);
  if (end - off <= header) return 'hep-truncated';
  const v6 = buf[off + 2] === AF_INET6;
  const a = off + HEP2_HEADER;
  h.version = buf[off];
  h.proto = buf[off + 3];
  h.ipVersion = v6 ? 6 : 4;
  h.srcOff = a;
  h.dstOff = a + (v6 ? 16 : 4);
  h.sport = (buf[off + 4] << 8) | buf[off + 5];
  h.dport = (buf[off + 6] << 8) | buf[off + 7];
  if (buf[off] === 2) {
    const t = a + (v6 ? 32 : 8);
    h.seconds = buf.readUInt32LE(t);
    h.micros = buf.readUInt32LE(t + 4);
    h.captureId = buf.readUInt16LE(t + 8);
  }
  h.payOff = off + header;
  h.payEnd = end;
  return undefined;
}

function hep2HeaderLength(buf: Buffer, off: number): number {
  const family = buf[off + 2];
  if (family !== AF_INET && family !== AF_INET6) return Infinity;
  return HEP2_HEADER + (family === AF_INET ? 8 : 32) + (buf[off] === 2 ? HEP2_TIME : 0);
}

function isHepProtocol(p: number): boolean {
  return p === PROTO_UDP || p === PROTO_TCP || p === PROTO_SCTP;
}

/** gzip magic, or a zlib header (deflate method, check bits valid): some agents send compressed data in chunk 15. */
export function looksCompressed(buf: Buffer, off: number, end: number): boolean {
  if (end - off < 2) return false;
  const b0 = buf[off];
  const b1 = buf[off + 1];
  if (b0 === 0x1f && b1 === 0x8b) return true;
  return (b0 & 0x0f) === 8 && (b0 >> 4) <= 7 && ((b0 << 8) | b1) % 31 === 0;
}

/** RTCP: raw, or the JSON reports heplify, rtpagent and FreeSWITCH send; logs (text, with the call's correlation ID). */
export const PAYLOAD_RTCP = 5;
export const PAYLOAD_LOG = 100;

const RTCP_SR = 200;
const RTCP_RR = 201;
/** A report lists at most 31 blocks (5-bit count). */
const MAX_BLOCKS = 31;

/** A JSON number or numeric string as an unsigned 32-bit value, else undefined. */
function u32(v: unknown): number | undefined {
  const n = typeof v === 'string' && v.trim() !== '' ? Number(v) : v;
  return typeof n === 'number' && Number.isFinite(n) && n >= 0 && n <= 0xffffffff ? Math.floor(n) : undefined;
}

/**
 * A JSON RTCP report (heplify's form: type 200/201, ssrc, sender_information, report_blocks with
 * source_ssrc, fraction_lost, packets_lost, highest_seq_no, ia_jitter, lsr, dlsr) rebuilt as the
 * binary SR or RR it describes, so it is read like any captured RTCP; undefined when the text is not such a report.
 */
export function rtcpFromJson(text: string): Buffer | undefined {
  let r: unknown;
  try {
    r = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof r !== 'object' || r === null) return undefined;
  const o = r as Record<string, unknown>;
  const ssrc = u32(o.ssrc);
  const type = u32(o.type);
  if (ssrc === undefined || (type !== RTCP_SR && type !== RTCP_RR)) return undefined;
  const info = type === RTCP_SR && typeof o.sender_information === 'object' && o.sender_information !== null
    ? o.sender_information as Record<string, unknown> : undefined;
  if (type === RTCP_SR && info === undefined) return undefined;
  const blocks = (Array.isArray(o.report_blocks) ? o.report_blocks : [])
    .filter((b): b is Record<string, unknown> => typeof b === 'object' && b !== null && u32((b as Record<string, unknown>).source_ssrc) !== undefined)
    .slice(0, MAX_BLOCKS);
  const size = 8 + (info ? 20 : 0) + 24 * blocks.length;
  const out = Buffer.alloc(size);
  out[0] = 0x80 | blocks.length;
  out[1] = type;
  out.writeUInt16BE(size / 4 - 1, 2);
  out.writeUInt32BE(ssrc, 4);
  let p = 8;
  if (info) {
    for (const key of ['ntp_timestamp_sec', 'ntp_timestamp_usec', 'rtp_timestamp', 'packets', 'octets']) {
      out.writeUInt32BE(u32(info[key]) ?? 0, p);
      p += 4;
    }
  }
  for (const b of blocks) {
    out.writeUInt32BE(u32(b.source_ssrc)!, p);
    out[p + 4] = Math.min(u32(b.fraction_lost) ?? 0, 255);
    // Cumulative lost is a signed 24-bit count (duplicates can make it negative).
    const lost = Number(b.packets_lost);
    out.writeIntBE(Number.isFinite(lost) ? Math.max(-0x800000, Math.min(0x7fffff, Math.trunc(lost))) : 0, p + 5, 3);
    out.writeUInt32BE(u32(b.highest_seq_no) ?? 0, p + 8);
    out.writeUInt32BE(u32(b.ia_jitter) ?? 0, p + 12);
    out.writeUInt32BE(u32(b.lsr) ?? 0, p + 16);
    out.writeUInt32BE(u32(b.dlsr) ?? 0, p + 20);
    p += 24;
  }
  return out;
}

/**
 * What a HEP packet of protocol type `type` carries, for the decoder and the listener alike: a
 * packet to read ('packet': SIP, RTP, untyped), RTCP ('rtcp'), or a skip reason (a log message, another protocol).
 */
export function carriedKind(type: number): 'packet' | 'rtcp' | SkipReason {
  if (type < 0 || type === PAYLOAD_SIP || type === PAYLOAD_RTP) return 'packet';
  if (type === PAYLOAD_RTCP) return 'rtcp';
  return type === PAYLOAD_LOG ? 'hep-log' : 'hep-not-sip';
}

/** The HEP capture time in ns, or fallback when the packet has none. */
export function hepTime(h: HepFields, fallback: bigint): bigint {
  return h.seconds >= 0 ? BigInt(h.seconds) * 1_000_000_000n + BigInt(h.micros) * 1000n : fallback;
}
