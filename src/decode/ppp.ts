import type { DecodeContext, Skip } from './context.js';

const PPPOE_HEADER = 6;
const PPPOE_VER_TYPE = 0x11;
const PPP_IP4 = 0x0021;
const PPP_IP6 = 0x0057;
const ETHERTYPE_IP4 = 0x0800;
const ETHERTYPE_IP6 = 0x86dd;
const HDLC_ADDRESS = 0xff;
const HDLC_CONTROL = 0x03;

/** PPP protocol number → network layer. */
export function decodePppProtocol(cx: DecodeContext, proto: number, buf: Buffer, off: number, end: number): Skip {
  if (proto === PPP_IP4) return cx.etherType(ETHERTYPE_IP4, buf, off, end);
  if (proto === PPP_IP6) return cx.etherType(ETHERTYPE_IP6, buf, off, end);
  return cx.unsupported('ppp-proto-unsupported', `0x${proto.toString(16).padStart(4, '0')}`);
}

/**
 * A PPP frame as GRE (PPTP) and LINKTYPE_PPP carry it: optional HDLC address/control bytes,
 * then a protocol field that is one byte when compressed (odd first byte, RFC 1661 §6.5).
 */
export function decodePpp(cx: DecodeContext, buf: Buffer, off: number, end: number): Skip {
  let p = off;
  if (end - p >= 2 && buf[p] === HDLC_ADDRESS && buf[p + 1] === HDLC_CONTROL) p += 2;
  if (p >= end) return 'ppp-short';
  if ((buf[p] & 1) === 1) return decodePppProtocol(cx, buf[p], buf, p + 1, end);
  if (end - p < 2) return 'ppp-short';
  return decodePppProtocol(cx, (buf[p] << 8) | buf[p + 1], buf, p + 2, end);
}

/** PPPoE session stage (ethertype 0x8864): 6-byte header, then a 2-byte PPP protocol. */
export function decodePppoeSession(cx: DecodeContext, buf: Buffer, off: number, end: number): Skip {
  if (end - off < PPPOE_HEADER + 2) return 'pppoe-short';
  if (buf[off] !== PPPOE_VER_TYPE) return 'pppoe-bad-header';
  const length = (buf[off + 4] << 8) | buf[off + 5];
  const stop = Math.min(end, off + PPPOE_HEADER + length);
  const proto = (buf[off + PPPOE_HEADER] << 8) | buf[off + PPPOE_HEADER + 1];
  return decodePppProtocol(cx, proto, buf, off + PPPOE_HEADER + 2, stop);
}
