import type { DecodeContext, Skip } from './context.js';

const FAMILY = 4;
const AF_INET = 2;
const ETHERTYPE_IP4 = 0x0800;
const ETHERTYPE_IP6 = 0x86dd;
/** AF_INET6 differs between BSDs: NetBSD/OpenBSD 24, FreeBSD 28, Darwin 30. */
const AF_INET6 = new Set([24, 28, 30]);

function byFamily(cx: DecodeContext, family: number, buf: Buffer, off: number, end: number): Skip {
  if (family === AF_INET) return cx.etherType(ETHERTYPE_IP4, buf, off + FAMILY, end);
  if (AF_INET6.has(family)) return cx.etherType(ETHERTYPE_IP6, buf, off + FAMILY, end);
  return cx.unsupported('loopback-family-unsupported', String(family));
}

/**
 * BSD loopback (LINKTYPE_NULL 0): the family is in the capturing host's byte order, which the
 * file does not record; families are small numbers, so a big value means the other order.
 */
export function decodeBsdNull(cx: DecodeContext, buf: Buffer, off: number, end: number): Skip {
  if (end - off < FAMILY) return 'loopback-short';
  const le = buf.readUInt32LE(off);
  return byFamily(cx, le > 0xffff ? buf.readUInt32BE(off) : le, buf, off, end);
}

/** OpenBSD loopback (LINKTYPE_LOOP 108): the family is always big-endian. */
export function decodeBsdLoop(cx: DecodeContext, buf: Buffer, off: number, end: number): Skip {
  if (end - off < FAMILY) return 'loopback-short';
  return byFamily(cx, buf.readUInt32BE(off), buf, off, end);
}
