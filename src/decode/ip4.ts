import type { DecodeContext, Skip } from './context.js';

const MIN_HEADER = 20;
const MORE_FRAGMENTS = 0x2000;
const OFFSET_MASK = 0x1fff;

/** IPv4 (options skipped via IHL); fragments go to reassembly and the whole datagram is decoded once complete. */
export function decodeIp4(cx: DecodeContext, buf: Buffer, off: number, end: number): Skip {
  if (end - off < MIN_HEADER) return 'ip4-truncated';
  const vihl = buf[off];
  if (vihl >> 4 !== 4) return 'ip4-bad-version';
  const headerLen = (vihl & 0x0f) * 4;
  let total = (buf[off + 2] << 8) | buf[off + 3];
  // Segmentation offload hands the capture packets whose total length is still 0.
  if (total === 0) total = end - off;
  if (headerLen < MIN_HEADER || total < headerLen) return 'ip4-bad-header';
  if (total > end - off) return 'ip4-truncated';
  if (!cx.enter()) return 'tunnel-too-deep';
  cx.src = cx.names.ip4(buf, off + 12);
  cx.dst = cx.names.ip4(buf, off + 16);
  const proto = buf[off + 9];
  const frag = (buf[off + 6] << 8) | buf[off + 7];
  if ((frag & (MORE_FRAGMENTS | OFFSET_MASK)) === 0) return cx.ipProtocol(proto, buf, off + headerLen, off + total);

  const id = (buf[off + 4] << 8) | buf[off + 5];
  const key = `4 ${cx.src} ${cx.dst} ${id} ${proto}`;
  const r = cx.fragments.add(key, cx.frame.ts, (frag & OFFSET_MASK) * 8, (frag & MORE_FRAGMENTS) !== 0, buf, off + headerLen, off + total, cx.currentRefs());
  if (r === undefined || typeof r === 'string') return r;
  return cx.decodeAssembled((c, b, o, e) => c.ipProtocol(proto, b, o, e), r.data, r.frames);
}
