import type { DecodeContext, Skip } from './context.js';

const LABEL = 4;
const BOTTOM_OF_STACK = 0x01;

/** MPLS label stack; the payload type is not signalled, so only IP (by version nibble) is tried. */
export function decodeMpls(cx: DecodeContext, buf: Buffer, off: number, end: number): Skip {
  let p = off;
  for (;;) {
    if (end - p < LABEL) return 'mpls-short';
    const last = (buf[p + 2] & BOTTOM_OF_STACK) !== 0;
    p += LABEL;
    if (last) return cx.rawIp(buf, p, end);
  }
}
