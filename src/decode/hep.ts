import { unzipSync } from 'node:zlib';
import type { Transport } from '../model/datagram.js';
import {
  carriedKind, hep3Length, hepTime, isHep3Start, looksCompressed, newHepFields, parseHep, PROTO_SCTP, PROTO_TCP, HEP3_HEADER, rtcpFromJson,
  type HepFields,
} from '../source/hep-codec.js';
import type { DecodeContext, Skip } from './context.js';
import type { StreamParser } from './stream-parser.js';

export { looksLikeHep, isHep3Start } from '../source/hep-codec.js';

/** Inflated payloads larger than this are not SIP and would only cost memory. */
export const MAX_INFLATED = 1 << 20;

/** One parse result reused for every packet (decoding is synchronous). */
const fields = newHepFields();

/** Decodes one HEP packet in buf[off, end) and emits its payload with the HEP addresses and time. */
export function decodeHep(cx: DecodeContext, buf: Buffer, off: number, end: number): Skip {
  const skip = parseHep(buf, off, end, fields);
  return skip ?? emitHep(cx, buf, fields);
}

function emitHep(cx: DecodeContext, buf: Buffer, h: HepFields): Skip {
  const kind = carriedKind(h.payloadType);
  if (kind !== 'packet' && kind !== 'rtcp') return kind;
  let src = cx.src;
  let dst = cx.dst;
  if (h.ipVersion === 4) {
    src = cx.names.ip4(buf, h.srcOff);
    dst = cx.names.ip4(buf, h.dstOff);
  } else if (h.ipVersion === 6) {
    src = cx.names.ip6(buf, h.srcOff);
    dst = cx.names.ip6(buf, h.dstOff);
  }
  const sport = h.version === 3 && h.sport === 0 ? cx.sport : h.sport;
  const dport = h.version === 3 && h.dport === 0 ? cx.dport : h.dport;
  let payload = buf.subarray(h.payOff, h.payEnd);
  let fileOffset = cx.fileOffsetOf(buf, h.payOff);
  if (h.compressed || looksCompressed(buf, h.payOff, h.payEnd)) {
    try {
      payload = unzipSync(payload, { maxOutputLength: MAX_INFLATED });
    } catch {
      return 'hep-compressed';
    }
    fileOffset = -1;
  }
  if (kind === 'rtcp' && payload[0] === 0x7b) {
    const report = rtcpFromJson(payload.toString('utf8'));
    if (report === undefined) return 'hep-rtcp-bad';
    payload = report;
    fileOffset = -1;
  }
  cx.emitDatagram({
    frame: cx.frame.index, ts: hepTime(h, cx.frame.ts), src, sport, dst, dport, transport: transportOf(h.proto),
    payload, fileOffset, viaHep: true, node: cx.frame.node ?? hepNode(h, buf), rtcp: kind === 'rtcp',
  });
  return undefined;
}

/** The node a HEP packet names: its node name chunk, else its capture ID; undefined when it gives neither. */
export function hepNode(h: HepFields, buf: Buffer): string | undefined {
  if (h.nodeNameOff >= 0 && h.nodeNameLen > 0) return buf.toString('latin1', h.nodeNameOff, h.nodeNameOff + h.nodeNameLen);
  return h.captureId >= 0 ? String(h.captureId) : undefined;
}

export function transportOf(proto: number): Transport {
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
      const skip = decodeHep(cx, buf, p, p + len);
      if (skip !== undefined) cx.sink.skip(skip);
      p += len;
    }
    return p;
  }
}
