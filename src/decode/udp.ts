import type { DecodeContext, Skip } from './context.js';

const HEADER = 8;

/** UDP: sets the ports and hands the payload on (HEP, tunnels by port, else a datagram). */
export function decodeUdp(cx: DecodeContext, buf: Buffer, off: number, end: number): Skip {
  if (end - off < HEADER) return 'udp-truncated';
  let len = (buf[off + 4] << 8) | buf[off + 5];
  // 0 appears with IPv6 jumbograms and offloaded packets: the IP length is authoritative then.
  if (len === 0) len = end - off;
  if (len < HEADER) return 'udp-bad-length';
  if (len > end - off) return 'udp-truncated';
  cx.sport = (buf[off] << 8) | buf[off + 1];
  cx.dport = (buf[off + 2] << 8) | buf[off + 3];
  return cx.udpPayload(buf, off + HEADER, off + len);
}
