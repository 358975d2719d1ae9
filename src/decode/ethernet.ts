import type { DecodeContext, Skip } from './context.js';

const ETH_HEADER = 14;

/** Ethernet II (LINKTYPE 1, and the inner frame of GRE transparent bridging / ERSPAN / TZSP). */
export function decodeEthernet(cx: DecodeContext, buf: Buffer, off: number, end: number): Skip {
  if (end - off < ETH_HEADER) return 'eth-short';
  return cx.etherType((buf[off + 12] << 8) | buf[off + 13], buf, off + ETH_HEADER, end);
}
