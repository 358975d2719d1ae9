import type { DecodeContext, Skip } from './context.js';

const MIN_HEADER = 20;

/** TCP header: sets the ports and hands the segment to stream reassembly. */
export function decodeTcp(cx: DecodeContext, buf: Buffer, off: number, end: number): Skip {
  if (end - off < MIN_HEADER) return 'tcp-truncated';
  const headerLen = (buf[off + 12] >> 4) * 4;
  if (headerLen < MIN_HEADER || headerLen > end - off) return 'tcp-bad-header';
  cx.sport = (buf[off] << 8) | buf[off + 1];
  cx.dport = (buf[off + 2] << 8) | buf[off + 3];
  return cx.streams.segment(cx, buf.readUInt32BE(off + 4), buf[off + 13], buf, off + headerLen, end);
}
