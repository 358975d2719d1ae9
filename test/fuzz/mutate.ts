/**
 * Frame- and file-level mutations of real captures. Each mutator takes a frame's bytes (or a
 * whole capture file) and returns damaged copies; the weights put most damage where decoders
 * read (link / IP / transport headers, length fields, SIP start lines and headers).
 */
import type { Rng } from './rng.js';

/** A frame as the fuzzer handles it: link type and bytes (copies; mutators may change them). */
export interface FuzzFrame {
  linktype: number;
  data: Buffer;
}

/** Where the IP header of a frame starts, for the link types the shared captures use; -1 when unknown. */
export function ipOffset(f: FuzzFrame): number {
  switch (f.linktype) {
    case 1: {
      let at = 12;
      let type = f.data.length >= 14 ? f.data.readUInt16BE(12) : 0;
      while ((type === 0x8100 || type === 0x88a8) && f.data.length >= at + 6) {
        at += 4;
        type = f.data.readUInt16BE(at);
      }
      return type === 0x0800 || type === 0x86dd ? at + 2 : -1;
    }
    case 113:
      return 16;
    case 276:
      return 20;
    case 0:
    case 108:
      return 4;
    case 12:
    case 14:
    case 101:
    case 228:
    case 229:
      return 0;
    default:
      return -1;
  }
}

/** Offsets of the transport header and payload of an IPv4/IPv6 UDP or TCP packet, when the frame holds one. */
export function transportOf(f: FuzzFrame): { ip: number; l4: number; proto: number; payload: number } | undefined {
  const ip = ipOffset(f);
  const d = f.data;
  if (ip < 0 || d.length < ip + 20) return undefined;
  const v = d[ip]! >> 4;
  let l4: number;
  let proto: number;
  if (v === 4) {
    l4 = ip + (d[ip]! & 0x0f) * 4;
    proto = d[ip + 9]!;
  } else if (v === 6 && d.length >= ip + 40) {
    l4 = ip + 40;
    proto = d[ip + 6]!;
  } else return undefined;
  if (proto === 17 && d.length >= l4 + 8) return { ip, l4, proto, payload: l4 + 8 };
  if (proto === 6 && d.length >= l4 + 20) return { ip, l4, proto, payload: l4 + ((d[l4 + 12]! >> 4) * 4) };
  return undefined;
}

const BOUNDARY_16 = [0, 1, 7, 8, 19, 20, 40, 0x7fff, 0x8000, 0xfffe, 0xffff];

/** Flips 1–8 bits, three times in four within the first 64 bytes (the headers). */
export function flipBits(r: Rng, f: FuzzFrame): Buffer {
  const d = Buffer.from(f.data);
  if (d.length === 0) return d;
  const n = 1 + r.below(8);
  for (let i = 0; i < n; i++) {
    const at = r.chance(0.75) ? r.below(Math.min(64, d.length)) : r.below(d.length);
    d[at]! ^= 1 << r.below(8);
  }
  return d;
}

/** Overwrites a length field (IP total / payload length, IHL, UDP length, TCP data offset) with a boundary value. */
export function damageLength(r: Rng, f: FuzzFrame): Buffer {
  const d = Buffer.from(f.data);
  const t = transportOf(f);
  if (!t) return flipBits(r, f);
  const v = d[t.ip]! >> 4;
  const fields = v === 4 ? [t.ip + 2, t.ip + 6] : [t.ip + 4];
  if (t.proto === 17) fields.push(t.l4 + 4);
  const which = r.below(fields.length + 1);
  if (which === fields.length) {
    if (v === 4) d[t.ip] = (d[t.ip]! & 0xf0) | r.below(16);
    else if (t.proto === 6) d[t.l4 + 12] = (r.below(16) << 4) | (d[t.l4 + 12]! & 0x0f);
  } else {
    const value = r.chance(0.5) ? r.pick(BOUNDARY_16) : (d.readUInt16BE(fields[which]!) + r.below(64) - 32) & 0xffff;
    d.writeUInt16BE(value, fields[which]!);
  }
  return d;
}

/** Cuts the frame short, most often inside the headers. */
export function truncate(r: Rng, f: FuzzFrame): Buffer {
  const cut = r.chance(0.5) ? r.below(Math.min(80, f.data.length + 1)) : r.below(f.data.length + 1);
  return Buffer.from(f.data.subarray(0, cut));
}

const SIP_EDITS: [RegExp, () => string][] = [
  [/Content-Length: *\d+/i, () => 'Content-Length: 99999999'],
  [/Content-Length: *\d+/i, () => 'Content-Length: 1048577'],
  [/Content-Length: *\d+/i, () => 'Content-Length: -1'],
  [/Call-ID: */i, () => 'Call-ID: \x1b]0;t\x07\u009b2J'],
  [/\r\n\r\n/, () => '\r\n'],
  [/\r\n/, () => '\n'],
  [/SIP\/2\.0/, () => 'SIP/2.'],
  [/From: */i, () => 'From: \x00\x7f\u0085'],
];

/** One SIP-level edit of the payload (Content-Length, controls in headers, broken line ends and start lines, repeated headers). */
export function editSip(r: Rng, f: FuzzFrame): Buffer {
  const t = transportOf(f);
  if (!t || t.payload >= f.data.length) return flipBits(r, f);
  const head = f.data.subarray(0, t.payload);
  let text = f.data.subarray(t.payload).toString('latin1');
  if (r.chance(0.2)) {
    // Many repeated, distinct header lines (the header-set bounds).
    const extra = Array.from({ length: 50 + r.below(400) }, (_, i) => `X-Fuzz-${i}: ${i}\r\n`).join('');
    text = text.replace('\r\n', `\r\n${extra}`);
  } else {
    const [re, value] = r.pick(SIP_EDITS);
    text = text.replace(re, value());
  }
  return Buffer.concat([head, Buffer.from(text, 'latin1')]);
}

/** The mutators of single frames, with their weights. */
export const FRAME_MUTATORS: [number, (r: Rng, f: FuzzFrame) => Buffer][] = [
  [40, flipBits],
  [20, damageLength],
  [15, truncate],
  [25, editSip],
];

export function mutateFrame(r: Rng, f: FuzzFrame): FuzzFrame {
  let w = r.below(FRAME_MUTATORS.reduce((n, [weight]) => n + weight, 0));
  for (const [weight, m] of FRAME_MUTATORS) {
    if (w < weight) return { linktype: f.linktype, data: m(r, f) };
    w -= weight;
  }
  return f;
}

function ipChecksum(b: Buffer, at: number, len: number): void {
  b.writeUInt16BE(0, at + 10);
  let s = 0;
  for (let i = 0; i < len; i += 2) s += b.readUInt16BE(at + i);
  while (s > 0xffff) s = (s & 0xffff) + (s >>> 16);
  b.writeUInt16BE(~s & 0xffff, at + 10);
}

/** Re-fragments an IPv4 packet into 8-byte-aligned pieces, shuffled and some repeated; the frame itself when it is not IPv4. */
export function refragment(r: Rng, f: FuzzFrame): FuzzFrame[] {
  const ip = ipOffset(f);
  const d = f.data;
  if (ip < 0 || d.length < ip + 28 || d[ip]! >> 4 !== 4) return [f];
  const ihl = (d[ip]! & 0x0f) * 4;
  const payload = d.subarray(ip + ihl);
  const size = 8 * (1 + r.below(32));
  const pieces: FuzzFrame[] = [];
  for (let off = 0; off < payload.length; off += size) {
    const part = payload.subarray(off, off + size);
    const out = Buffer.concat([d.subarray(0, ip + ihl), part]);
    out.writeUInt16BE(ihl + part.length, ip + 2);
    out.writeUInt16BE(((off + size < payload.length ? 0x2000 : 0) | (off / 8)) & 0xffff, ip + 6);
    ipChecksum(out, ip, ihl);
    pieces.push({ linktype: f.linktype, data: out });
  }
  for (let i = pieces.length - 1; i > 0; i--) {
    const j = r.below(i + 1);
    [pieces[i], pieces[j]] = [pieces[j]!, pieces[i]!];
  }
  if (r.chance(0.3) && pieces.length > 0) pieces.push(r.pick(pieces));
  return pieces;
}

/** Re-segments a TCP segment's payload into small segments, some reordered or repeated. */
export function resegment(r: Rng, f: FuzzFrame): FuzzFrame[] {
  const t = transportOf(f);
  if (!t || t.proto !== 6 || t.payload >= f.data.length || (f.data[t.ip]! >> 4) !== 4) return [f];
  const d = f.data;
  const seq = d.readUInt32BE(t.l4 + 4);
  const payload = d.subarray(t.payload);
  const size = 1 + r.below(200);
  const out: FuzzFrame[] = [];
  for (let off = 0; off < payload.length; off += size) {
    const part = payload.subarray(off, off + size);
    const seg = Buffer.concat([d.subarray(0, t.payload), part]);
    seg.writeUInt32BE((seq + off) >>> 0, t.l4 + 4);
    seg.writeUInt16BE(t.payload - t.ip + part.length, t.ip + 2);
    out.push({ linktype: f.linktype, data: seg });
  }
  if (out.length > 1 && r.chance(0.5)) {
    const i = r.below(out.length - 1);
    [out[i], out[i + 1]] = [out[i + 1]!, out[i]!];
  }
  if (r.chance(0.3) && out.length > 0) out.splice(r.below(out.length), 0, r.pick(out));
  return out;
}

/** Damages a classic pcap file's record layer: a record's captured length, original length or time. */
export function damagePcapRecords(r: Rng, file: Buffer): Buffer {
  const d = Buffer.from(file);
  const le = d.readUInt32LE(0) === 0xa1b2c3d4 || d.readUInt32LE(0) === 0xa1b23c4d;
  const records: number[] = [];
  for (let at = 24; at + 16 <= d.length && records.length < 10000; ) {
    records.push(at);
    const caplen = le ? d.readUInt32LE(at + 8) : d.readUInt32BE(at + 8);
    at += 16 + caplen;
  }
  if (records.length === 0) return d.subarray(0, r.below(d.length + 1));
  const at = r.pick(records);
  const field = r.pick([0, 4, 8, 12]);
  const value = r.pick([0, 1, 0xffff, 0x7fffffff, 0xffffffff, r.u32()]);
  if (le) d.writeUInt32LE(value >>> 0, at + field);
  else d.writeUInt32BE(value >>> 0, at + field);
  return r.chance(0.3) ? d.subarray(0, r.below(d.length + 1)) : d;
}

/** Damages a pcapng file's block layer: a block's type, length (start or end), an option, or cuts the file. */
export function damagePcapngBlocks(r: Rng, file: Buffer): Buffer {
  const d = Buffer.from(file);
  const blocks: number[] = [];
  for (let at = 0; at + 12 <= d.length && blocks.length < 10000; ) {
    blocks.push(at);
    const len = d.readUInt32LE(at + 4);
    if (len < 12 || len % 4 !== 0) break;
    at += len;
  }
  if (blocks.length === 0) return d;
  const at = r.pick(blocks);
  const len = d.readUInt32LE(at + 4);
  switch (r.below(5)) {
    case 0:
      d.writeUInt32LE(r.pick([1, 2, 3, 5, 6, 0x0a0d0d0a, r.u32()]) >>> 0, at);
      break;
    case 1:
      d.writeUInt32LE(r.pick([0, 12, 16, 0xfffffffc, len + 4, r.u32() & ~3]) >>> 0, at + 4);
      break;
    case 2:
      if (at + len <= d.length && len >= 12) d.writeUInt32LE(r.u32() >>> 0, at + len - 4);
      break;
    case 3:
      // Options (if_tsresol, if_tsoffset, …) and packet headers sit in the first bytes of the body.
      if (len > 16 && at + len <= d.length) d[at + 8 + r.below(len - 12)] = r.below(256);
      break;
    default:
      return d.subarray(0, r.below(d.length + 1));
  }
  return d;
}
