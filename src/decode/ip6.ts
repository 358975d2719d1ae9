import type { DecodeContext, Skip } from './context.js';

const HEADER = 40;
const HOP_BY_HOP = 0;
const ROUTING = 43;
const FRAGMENT = 44;
const ESP = 50;
const AH = 51;
const NO_NEXT = 59;
const DEST_OPTIONS = 60;
const MOBILITY = 135;
const FRAGMENT_HEADER = 8;

/** IPv6: walks the extension headers, reassembles fragments, then dispatches on the upper protocol. */
export function decodeIp6(cx: DecodeContext, buf: Buffer, off: number, end: number): Skip {
  if (end - off < HEADER) return 'ip6-truncated';
  if (buf[off] >> 4 !== 6) return 'ip6-bad-version';
  const payloadLen = (buf[off + 4] << 8) | buf[off + 5];
  // 0 means a jumbogram or an offloaded segment: the captured bytes are all there is.
  const stop = payloadLen === 0 ? end : off + HEADER + payloadLen;
  if (stop > end) return 'ip6-truncated';
  if (!cx.enter()) return 'tunnel-too-deep';
  cx.src = cx.names.ip6(buf, off + 8);
  cx.dst = cx.names.ip6(buf, off + 24);
  return walkHeaders(cx, buf[off + 6], buf, off + HEADER, stop, true);
}

/** Follows the next-header chain from `next` at buf[off]; fragments are only reassembled once (`fragmentable`). */
function walkHeaders(cx: DecodeContext, next: number, buf: Buffer, off: number, end: number, fragmentable: boolean): Skip {
  let nh = next;
  let p = off;
  for (;;) {
    switch (nh) {
      case HOP_BY_HOP:
      case ROUTING:
      case DEST_OPTIONS:
      case MOBILITY: {
        if (end - p < 8) return 'ip6-truncated';
        const len = (buf[p + 1] + 1) * 8;
        if (end - p < len) return 'ip6-truncated';
        nh = buf[p];
        p += len;
        break;
      }
      case AH: {
        if (end - p < 8) return 'ip6-truncated';
        const len = (buf[p + 1] + 2) * 4;
        if (end - p < len) return 'ip6-truncated';
        nh = buf[p];
        p += len;
        break;
      }
      case FRAGMENT:
        if (!fragmentable) return 'ip6-nested-fragment';
        return fragment(cx, buf, p, end);
      case NO_NEXT:
        return undefined;
      case ESP:
        return 'esp';
      default:
        return cx.ipProtocol(nh, buf, p, end);
    }
  }
}

function fragment(cx: DecodeContext, buf: Buffer, off: number, end: number): Skip {
  if (end - off < FRAGMENT_HEADER) return 'ip6-truncated';
  const next = buf[off];
  const word = (buf[off + 2] << 8) | buf[off + 3];
  const offset = word & 0xfff8;
  const more = (word & 1) !== 0;
  // An "atomic" fragment (RFC 6946) is a whole datagram.
  if (offset === 0 && !more) return walkHeaders(cx, next, buf, off + FRAGMENT_HEADER, end, false);
  const id = buf.readUInt32BE(off + 4);
  const key = `6 ${cx.src} ${cx.dst} ${id}`;
  const r = cx.fragments.add(key, cx.frame.ts, offset, more, buf, off + FRAGMENT_HEADER, end, cx.currentRefs());
  if (r === undefined || typeof r === 'string') return r;
  return cx.decodeAssembled((c, b, o, e) => walkHeaders(c, next, b, o, e, false), r.data, r.frames);
}
