import { unzipSync } from 'node:zlib';
import type { Transport } from '../model/datagram.js';
import type { DecodeContext, Skip } from './context.js';
import type { StreamParser } from './stream-parser.js';

/** "HEP3" read as one big-endian word. */
const HEP3_MAGIC = 0x48455033;
const HEP3_HEADER = 6;
const CHUNK_HEADER = 6;
const AF_INET = 2;
const AF_INET6 = 10;
const PROTO_TCP = 6;
const PROTO_UDP = 17;
const PROTO_SCTP = 132;
/** HEPv1/v2: version, header length, family, protocol, source port, destination port. */
const HEP2_HEADER = 8;
/** HEPv2 time header: seconds, microseconds (host order, in practice little-endian), capture id, padding. */
const HEP2_TIME = 12;
/** Inflated payloads larger than this are not SIP and would only cost memory. */
const MAX_INFLATED = 1 << 20;

/** HEP3 generic chunk types used here (the family chunk is redundant: address chunks say which family). */
const enum Chunk {
  Protocol = 2,
  Ip4Src = 3,
  Ip4Dst = 4,
  Ip6Src = 5,
  Ip6Dst = 6,
  SrcPort = 7,
  DstPort = 8,
  Seconds = 9,
  Micros = 10,
  Payload = 15,
  CompressedPayload = 16,
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
function hep3Length(buf: Buffer, off: number): number {
  return (buf[off + 4] << 8) | buf[off + 5];
}

export function isHep3Start(buf: Buffer, off: number, end: number): boolean {
  return end - off >= HEP3_HEADER && buf.readUInt32BE(off) === HEP3_MAGIC;
}

/** Decodes one HEP packet in buf[off, end) and emits its payload with the HEP addresses and time. */
export function decodeHep(cx: DecodeContext, buf: Buffer, off: number, end: number): Skip {
  return buf[off] === 0x48 ? decodeHep3(cx, buf, off, end) : decodeHep2(cx, buf, off, end);
}

function decodeHep3(cx: DecodeContext, buf: Buffer, off: number, end: number): Skip {
  const total = hep3Length(buf, off);
  if (total < HEP3_HEADER || total > end - off) return 'hep-truncated';
  const stop = off + total;
  let proto = PROTO_UDP;
  let src = cx.src;
  let dst = cx.dst;
  let sport = cx.sport;
  let dport = cx.dport;
  let seconds = -1;
  let micros = 0;
  let payOff = -1;
  let payEnd = -1;
  let compressed = false;
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
      case Chunk.Protocol: if (dlen >= 1) proto = buf[d]; break;
      case Chunk.Ip4Src: if (dlen >= 4) src = cx.names.ip4(buf, d); break;
      case Chunk.Ip4Dst: if (dlen >= 4) dst = cx.names.ip4(buf, d); break;
      case Chunk.Ip6Src: if (dlen >= 16) src = cx.names.ip6(buf, d); break;
      case Chunk.Ip6Dst: if (dlen >= 16) dst = cx.names.ip6(buf, d); break;
      case Chunk.SrcPort: if (dlen >= 2) sport = (buf[d] << 8) | buf[d + 1]; break;
      case Chunk.DstPort: if (dlen >= 2) dport = (buf[d] << 8) | buf[d + 1]; break;
      case Chunk.Seconds: if (dlen >= 4) seconds = buf.readUInt32BE(d); break;
      case Chunk.Micros: if (dlen >= 4) micros = buf.readUInt32BE(d); break;
      case Chunk.Payload:
      case Chunk.CompressedPayload:
        payOff = d;
        payEnd = d + dlen;
        compressed = type === Chunk.CompressedPayload;
        break;
    }
  }
  if (payOff < 0) return 'hep-no-payload';
  const ts = seconds >= 0 ? BigInt(seconds) * 1_000_000_000n + BigInt(micros) * 1000n : cx.frame.ts;
  return emitHep(cx, buf, payOff, payEnd, compressed, { src, dst, sport, dport, ts, transport: transportOf(proto) });
}

function decodeHep2(cx: DecodeContext, buf: Buffer, off: number, end: number): Skip {
  const header = hep2HeaderLength(buf, off);
  if (end - off <= header) return 'hep-truncated';
  const v6 = buf[off + 2] === AF_INET6;
  const a = off + HEP2_HEADER;
  const src = v6 ? cx.names.ip6(buf, a) : cx.names.ip4(buf, a);
  const dst = v6 ? cx.names.ip6(buf, a + 16) : cx.names.ip4(buf, a + 4);
  let ts = cx.frame.ts;
  if (buf[off] === 2) {
    const t = a + (v6 ? 32 : 8);
    ts = BigInt(buf.readUInt32LE(t)) * 1_000_000_000n + BigInt(buf.readUInt32LE(t + 4)) * 1000n;
  }
  return emitHep(cx, buf, off + header, end, false, {
    src,
    dst,
    sport: (buf[off + 4] << 8) | buf[off + 5],
    dport: (buf[off + 6] << 8) | buf[off + 7],
    ts,
    transport: transportOf(buf[off + 3]),
  });
}

interface HepEnvelope {
  src: string;
  dst: string;
  sport: number;
  dport: number;
  ts: bigint;
  transport: Transport;
}

function emitHep(cx: DecodeContext, buf: Buffer, off: number, end: number, compressed: boolean, e: HepEnvelope): Skip {
  let payload = buf.subarray(off, end);
  let fileOffset = cx.fileOffsetOf(buf, off);
  if (compressed || looksCompressed(buf, off, end)) {
    try {
      payload = unzipSync(payload, { maxOutputLength: MAX_INFLATED });
    } catch {
      return 'hep-compressed';
    }
    fileOffset = -1;
  }
  cx.emitDatagram({ frame: cx.frame.index, ts: e.ts, src: e.src, sport: e.sport, dst: e.dst, dport: e.dport, transport: e.transport, payload, fileOffset, viaHep: true });
  return undefined;
}

/** gzip magic, or a zlib header (deflate method, check bits valid). */
function looksCompressed(buf: Buffer, off: number, end: number): boolean {
  if (end - off < 2) return false;
  const b0 = buf[off];
  const b1 = buf[off + 1];
  if (b0 === 0x1f && b1 === 0x8b) return true;
  return (b0 & 0x0f) === 8 && (b0 >> 4) <= 7 && ((b0 << 8) | b1) % 31 === 0;
}

function hep2HeaderLength(buf: Buffer, off: number): number {
  const family = buf[off + 2];
  if (family !== AF_INET && family !== AF_INET6) return Infinity;
  return HEP2_HEADER + (family === AF_INET ? 8 : 32) + (buf[off] === 2 ? HEP2_TIME : 0);
}

function isHepProtocol(p: number): boolean {
  return p === PROTO_UDP || p === PROTO_TCP || p === PROTO_SCTP;
}

function transportOf(proto: number): Transport {
  if (proto === PROTO_TCP) return 'TCP';
  if (proto === PROTO_SCTP) return 'SCTP';
  return 'UDP';
}

/** HEP3 packets back to back on a TCP stream (as agents send to a collector). */
export class HepStreamParser implements StreamParser {
  need = 0;

  consume(cx: DecodeContext, buf: Buffer, off: number, end: number): number {
    this.need = 0;
    let p = off;
    while (end - p >= HEP3_HEADER) {
      if (!isHep3Start(buf, p, end)) {
        cx.sink.skip('hep-resync');
        const next = buf.indexOf('HEP3', p + 1, 'latin1');
        if (next < 0 || next >= end) return end;
        p = next;
        continue;
      }
      const len = hep3Length(buf, p);
      if (len < HEP3_HEADER) {
        cx.sink.skip('hep-bad-length');
        p += HEP3_HEADER;
        continue;
      }
      if (end - p < len) {
        this.need = len;
        return p;
      }
      const skip = decodeHep3(cx, buf, p, p + len);
      if (skip !== undefined) cx.sink.skip(skip);
      p += len;
    }
    return p;
  }
}
