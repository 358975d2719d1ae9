// Builders for link-layer frames, so decode tests state their input byte by byte.
import type { Datagram } from '../../src/model/datagram.js';
import type { Frame } from '../../src/model/frame.js';
import { Decoder } from '../../src/decode/decoder.js';

export const cat = (...parts: (Buffer | number[])[]): Buffer => Buffer.concat(parts.map((p) => (Buffer.isBuffer(p) ? p : Buffer.from(p))));
const u16 = (n: number): number[] => [(n >> 8) & 0xff, n & 0xff];
const u32 = (n: number): number[] => [(n >>> 24) & 0xff, (n >> 16) & 0xff, (n >> 8) & 0xff, n & 0xff];

export function ip4Bytes(a: string): number[] {
  return a.split('.').map(Number);
}

export function ip6Bytes(a: string): number[] {
  const [head, tail] = a.split('::');
  const groups = (s: string | undefined): number[] => (s ? s.split(':').map((g) => parseInt(g, 16)) : []);
  const h = groups(head);
  const t = tail === undefined ? [] : groups(tail);
  const all = [...h, ...new Array<number>(8 - h.length - t.length).fill(0), ...t];
  return all.flatMap(u16);
}

export function ethernet(type: number, payload: Buffer): Buffer {
  return cat([2, 0, 0, 0, 0, 1, 2, 0, 0, 0, 0, 2], u16(type), payload);
}

export function vlan(tag: number, type: number, payload: Buffer): Buffer {
  return cat(u16(tag), u16(type), payload);
}

export interface Ip4Options {
  id?: number;
  fragOffset?: number;
  more?: boolean;
  options?: number[];
}

export function ip4(src: string, dst: string, proto: number, payload: Buffer, o: Ip4Options = {}): Buffer {
  const opts = o.options ?? [];
  const hl = 20 + opts.length;
  const frag = ((o.more ? 0x2000 : 0) | ((o.fragOffset ?? 0) / 8)) & 0xffff;
  return cat([0x40 | (hl / 4), 0], u16(hl + payload.length), u16(o.id ?? 1), u16(frag), [64, proto, 0, 0], ip4Bytes(src), ip4Bytes(dst), opts, payload);
}

/** IPv6 with extension headers given as [type, body] (body padded to the 8-byte rule by the caller). */
export function ip6(src: string, dst: string, proto: number, payload: Buffer, ext: [number, Buffer][] = []): Buffer {
  let next = proto;
  let chain = payload;
  for (let i = ext.length - 1; i >= 0; i--) {
    const [type, body] = ext[i];
    chain = cat([next], body, chain);
    next = type;
  }
  return cat([0x60, 0, 0, 0], u16(chain.length), [next, 64], ip6Bytes(src), ip6Bytes(dst), chain);
}

/** A hop-by-hop / destination options body of 8 bytes (length byte 0, PadN). */
export const OPTIONS_8 = Buffer.from([0, 1, 4, 0, 0, 0, 0]);

/** A fragment extension header body (after its next-header byte). */
export function ip6Fragment(offset: number, more: boolean, id: number): Buffer {
  return cat([0], u16(offset | (more ? 1 : 0)), u32(id));
}

export function udp(sport: number, dport: number, payload: Buffer): Buffer {
  return cat(u16(sport), u16(dport), u16(8 + payload.length), [0, 0], payload);
}

export const TCP_SYN = 0x02;
export const TCP_ACK = 0x10;
export const TCP_PSH_ACK = 0x18;
export const TCP_FIN_ACK = 0x11;

export function tcp(sport: number, dport: number, seq: number, payload: Buffer, flags = TCP_PSH_ACK): Buffer {
  return cat(u16(sport), u16(dport), u32(seq), u32(0), [0x50, flags], u16(65535), [0, 0, 0, 0], payload);
}

export function sctpData(tsn: number, stream: number, flags: number, data: Buffer): Buffer {
  const len = 16 + data.length;
  const pad = (4 - (len % 4)) % 4;
  return cat([0, flags], u16(len), u32(tsn), u16(stream), u16(0), u32(0), data, new Array<number>(pad).fill(0));
}

export function sctp(sport: number, dport: number, ...chunks: Buffer[]): Buffer {
  return cat(u16(sport), u16(dport), u32(0x1234), u32(0), ...chunks);
}

export function gre(flags: number, proto: number, payload: Buffer, optional: number[] = []): Buffer {
  return cat(u16(flags), u16(proto), optional, payload);
}

export function hep3Chunk(type: number, data: Buffer | number[]): Buffer {
  const d = Buffer.isBuffer(data) ? data : Buffer.from(data);
  return cat([0, 0], u16(type), u16(6 + d.length), d);
}

export function hep3(...chunks: Buffer[]): Buffer {
  const body = Buffer.concat(chunks);
  return cat(Buffer.from('HEP3'), u16(6 + body.length), body);
}

export { u16, u32 };

/** A minimal SIP message; body is sent with a matching Content-Length. */
export function sip(startLine: string, body = '', lengthHeader = 'Content-Length'): Buffer {
  return Buffer.from(`${startLine}\r\nCall-ID: abc\r\nCSeq: 1 INVITE\r\n${lengthHeader}: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
}

export const INVITE = 'INVITE sip:bob@example.com SIP/2.0';
export const OK = 'SIP/2.0 200 OK';

/** Runs frames through a Decoder and collects what comes out (payloads copied, as a real sink must). */
export class Collector {
  readonly datagrams: Datagram[] = [];
  readonly skipped = new Map<string, number>();
  /** Every detail reported with a skip, as "reason=detail". */
  readonly details: string[] = [];
  readonly decoder = new Decoder({
    datagram: (d) => this.datagrams.push({ ...d, payload: Buffer.from(d.payload) }),
    skip: (r, detail) => {
      this.skipped.set(r, (this.skipped.get(r) ?? 0) + 1);
      if (detail !== undefined) this.details.push(`${r}=${detail}`);
    },
  });
  private index = 0;

  push(linktype: number, data: Buffer, fileOffset = -1, ts = 1_000_000_000n): this {
    const frame: Frame = { index: ++this.index, ts, linktype, data, origLen: data.length, fileOffset };
    this.decoder.push(frame);
    return this;
  }

  flush(): this {
    this.decoder.flush();
    return this;
  }

  get payloads(): string[] {
    return this.datagrams.map((d) => d.payload.toString('latin1'));
  }

  skips(): Record<string, number> {
    return Object.fromEntries(this.skipped);
  }
}

/** Ethernet + IPv4 + UDP around a payload. */
export function ethUdp(payload: Buffer, src = '10.0.0.1', dst = '10.0.0.2', sport = 5060, dport = 5060): Buffer {
  return ethernet(0x0800, ip4(src, dst, 17, udp(sport, dport, payload)));
}

/** Ethernet + IPv4 + TCP segment. */
export function ethTcp(seq: number, payload: Buffer, flags = TCP_PSH_ACK, src = '10.0.0.1', dst = '10.0.0.2', sport = 40000, dport = 5060): Buffer {
  return ethernet(0x0800, ip4(src, dst, 6, tcp(sport, dport, seq, payload, flags)));
}
