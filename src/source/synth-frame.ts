import { isIPv4 } from 'node:net';
import type { Transport } from '../model/datagram.js';

/** One transport payload to wrap in a synthetic packet. */
export interface SynthMessage {
  src: string;
  sport: number;
  dst: string;
  dport: number;
  transport: Transport;
  payload: Buffer;
}

/**
 * LINKTYPE_RAW: every reader and decoder knows it, and the IP version nibble tells v4 from v6,
 * so there is no need for LINKTYPE_IPV4 (228) / LINKTYPE_IPV6 (229).
 */
export const SYNTH_LINKTYPE = 101;

const IP4_HEADER = 20;
const IP6_HEADER = 40;
const UDP_HEADER = 8;
const TCP_HEADER = 20;
const PROTO_TCP = 6;
const PROTO_UDP = 17;
const TCP_PSH_ACK = 0x18;

/**
 * Builds a raw IPv4 or IPv6 packet around a payload, with a UDP header or (for every
 * stream transport) a TCP header with PSH|ACK. Checksums are real, so tools do not flag the
 * packets. seqState keeps the next TCP sequence number per direction of each flow, so
 * consecutive messages of one connection read as one stream.
 */
export function synthFrame(m: SynthMessage, seqState?: Map<string, number>): { linktype: typeof SYNTH_LINKTYPE; data: Buffer } {
  const v4 = isIPv4(m.src);
  const src = v4 ? ip4Bytes(m.src) : ip6Bytes(m.src);
  const dst = v4 ? ip4Bytes(m.dst) : ip6Bytes(m.dst);
  let seq = -1;
  let ack = 0;
  if (m.transport !== 'UDP') {
    const state = seqState ?? new Map<string, number>();
    const key = flowKey(m.src, m.sport, m.dst, m.dport);
    seq = state.get(key) ?? 1;
    state.set(key, (seq + m.payload.length) >>> 0);
    ack = state.get(flowKey(m.dst, m.dport, m.src, m.sport)) ?? 0;
  }
  return { linktype: SYNTH_LINKTYPE, data: synthPacket(src, dst, m.sport, m.dport, seq, ack, m.payload, 0, m.payload.length) };
}

/**
 * The packet itself, from raw address bytes (4 or 16 each): UDP when seq is -1, else TCP with
 * that sequence and acknowledgement number. Written into scratch when it is large enough (the
 * result is then a view of it, valid until the next call), else into a new buffer. Without
 * `checksums` they are left 0 (for a reader that checks none).
 */
export function synthPacket(
  src: Buffer, dst: Buffer, sport: number, dport: number, seq: number, ack: number,
  payload: Buffer, payOff: number, payEnd: number, scratch?: Buffer, checksums = true,
): Buffer {
  const v4 = src.length === 4;
  const udp = seq < 0;
  const payLen = payEnd - payOff;
  const l4len = (udp ? UDP_HEADER : TCP_HEADER) + payLen;
  const iplen = v4 ? IP4_HEADER : IP6_HEADER;
  const size = iplen + l4len;
  let data: Buffer;
  if (scratch !== undefined && scratch.length >= size) {
    data = scratch.subarray(0, size);
    data.fill(0, 0, iplen + (udp ? UDP_HEADER : TCP_HEADER));
  } else {
    data = Buffer.alloc(size);
  }
  const proto = udp ? PROTO_UDP : PROTO_TCP;

  if (v4) writeIp4Header(data, src, dst, proto, l4len, checksums);
  else writeIp6Header(data, src, dst, proto, l4len);

  const l4 = data.subarray(iplen);
  l4.writeUInt16BE(sport, 0);
  l4.writeUInt16BE(dport, 2);
  if (udp) {
    l4.writeUInt16BE(l4len, 4);
  } else {
    l4.writeUInt32BE(seq >>> 0, 4);
    l4.writeUInt32BE(ack >>> 0, 8);
    l4[12] = (TCP_HEADER / 4) << 4;
    l4[13] = TCP_PSH_ACK;
    l4.writeUInt16BE(0xffff, 14);
  }
  payload.copy(l4, udp ? UDP_HEADER : TCP_HEADER, payOff, payEnd);
  if (!checksums) return data;

  const sum = finish(sumBytes(src) + sumBytes(dst) + proto + l4len + sumBytes(l4));
  // UDP transmits a computed zero as all ones (RFC 768); zero would mean "no checksum".
  l4.writeUInt16BE(udp && sum === 0 ? 0xffff : sum, udp ? 6 : 16);
  return data;
}

function flowKey(src: string, sport: number, dst: string, dport: number): string {
  return `${src}|${sport}|${dst}|${dport}`;
}

function writeIp4Header(b: Buffer, src: Buffer, dst: Buffer, proto: number, l4len: number, checksum: boolean): void {
  b[0] = 0x45;
  b.writeUInt16BE(IP4_HEADER + l4len, 2);
  b.writeUInt16BE(0x4000, 6); // DF: these packets were never fragmented
  b[8] = 64;
  b[9] = proto;
  src.copy(b, 12);
  dst.copy(b, 16);
  if (checksum) b.writeUInt16BE(finish(sumBytes(b.subarray(0, IP4_HEADER))), 10);
}

function writeIp6Header(b: Buffer, src: Buffer, dst: Buffer, proto: number, l4len: number): void {
  b[0] = 0x60;
  b.writeUInt16BE(l4len, 4);
  b[6] = proto;
  b[7] = 64;
  src.copy(b, 8);
  dst.copy(b, 24);
}

/** One's-complement sum of big-endian 16-bit words, not yet folded. */
function sumBytes(b: Buffer): number {
  let s = 0;
  const even = b.length & ~1;
  for (let i = 0; i < even; i += 2) s += (b[i]! << 8) | b[i + 1]!;
  if (even < b.length) s += b[even]! << 8;
  return s;
}

function finish(s: number): number {
  while (s > 0xffff) s = (s & 0xffff) + Math.floor(s / 0x10000);
  return ~s & 0xffff;
}

function ip4Bytes(a: string): Buffer {
  return Buffer.from(a.split('.').map(Number));
}

/** Text IPv6 (with "::" and an optional dotted IPv4 tail) to its 16 bytes. Input is assumed valid. */
export function ip6Bytes(a: string): Buffer {
  const out = Buffer.alloc(16);
  const zone = a.indexOf('%');
  const text = zone >= 0 ? a.slice(0, zone) : a;
  const [head = '', tail] = text.split('::');
  const words = (part: string | undefined): number[] => {
    if (!part) return [];
    return part.split(':').flatMap((w) => {
      if (!w.includes('.')) return [parseInt(w, 16)];
      const [p, q, r, s] = w.split('.').map(Number);
      return [(p! << 8) | q!, (r! << 8) | s!];
    });
  };
  const front = words(head);
  const back = words(tail);
  front.forEach((w, i) => out.writeUInt16BE(w, i * 2));
  back.forEach((w, i) => out.writeUInt16BE(w, 16 - (back.length - i) * 2));
  return out;
}
