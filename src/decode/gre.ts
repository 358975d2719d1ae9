import type { DecodeContext, Skip } from './context.js';

const HEADER = 4;
const FLAG_CHECKSUM = 0x8000;
const FLAG_ROUTING = 0x4000;
const FLAG_KEY = 0x2000;
const FLAG_SEQ = 0x1000;
const FLAG_ACK = 0x0080;
const VERSION_MASK = 0x0007;
/** Transparent Ethernet bridging: ERSPAN carries whole Ethernet frames. */
const ETHERTYPE_TEB = 0x6558;
const PROTO_ERSPAN_2 = 0x88be;
const PROTO_ERSPAN_3 = 0x22eb;
const ERSPAN_2_HEADER = 8;
const ERSPAN_3_HEADER = 12;
const ERSPAN_3_SUBHEADER = 8;
const ERSPAN_3_OPTIONAL = 0x01;

/**
 * GRE (RFC 2784/2890, and PPTP's enhanced version 1): skips the optional checksum, key,
 * sequence and acknowledgement words, then hands the payload to its ethertype — including
 * transparent Ethernet bridging (0x6558), PPP (0x880B) and ERSPAN II/III mirrors.
 */
export function decodeGre(cx: DecodeContext, buf: Buffer, off: number, end: number): Skip {
  if (end - off < HEADER) return 'gre-short';
  const flags = (buf[off] << 8) | buf[off + 1];
  const proto = (buf[off + 2] << 8) | buf[off + 3];
  const version = flags & VERSION_MASK;
  if (version > 1) return 'gre-bad-version';
  if ((flags & FLAG_ROUTING) !== 0) return 'gre-source-routing';
  let p = off + HEADER;
  if ((flags & FLAG_CHECKSUM) !== 0) p += 4;
  if ((flags & FLAG_KEY) !== 0) p += 4;
  if ((flags & FLAG_SEQ) !== 0) p += 4;
  if (version === 1 && (flags & FLAG_ACK) !== 0) p += 4;
  if (p > end) return 'gre-short';
  switch (proto) {
    case PROTO_ERSPAN_2:
      return end - p < ERSPAN_2_HEADER ? 'erspan-short' : cx.etherType(ETHERTYPE_TEB, buf, p + ERSPAN_2_HEADER, end);
    case PROTO_ERSPAN_3: {
      if (end - p < ERSPAN_3_HEADER) return 'erspan-short';
      const sub = (buf[p + 11] & ERSPAN_3_OPTIONAL) !== 0 ? ERSPAN_3_SUBHEADER : 0;
      return cx.etherType(ETHERTYPE_TEB, buf, Math.min(end, p + ERSPAN_3_HEADER + sub), end);
    }
    default:
      return cx.etherType(proto, buf, p, end);
  }
}
