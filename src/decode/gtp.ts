import type { DecodeContext, Skip } from './context.js';

const HEADER = 8;
const OPTIONAL = 4;
const VERSION_1 = 1;
const PT_GTP = 0x10;
const FLAG_EXT = 0x04;
const FLAG_SEQ = 0x02;
const FLAG_NPDU = 0x01;
const G_PDU = 0xff;

/**
 * GTP-U (UDP 2152): a G-PDU carries one user IP packet after the header, the optional
 * sequence/N-PDU/extension fields and any chain of extension headers. false: not GTP-U.
 */
export function decodeGtpU(cx: DecodeContext, buf: Buffer, off: number, end: number): Skip | false {
  if (end - off < HEADER) return false;
  const flags = buf[off];
  if (flags >> 5 !== VERSION_1 || (flags & PT_GTP) === 0) return false;
  if (buf[off + 1] !== G_PDU) return 'gtp-not-gpdu';
  const stop = Math.min(end, off + HEADER + ((buf[off + 2] << 8) | buf[off + 3]));
  let p = off + HEADER;
  if ((flags & (FLAG_EXT | FLAG_SEQ | FLAG_NPDU)) !== 0) {
    if (stop - p < OPTIONAL) return 'gtp-truncated';
    let nextExt = (flags & FLAG_EXT) !== 0 ? buf[p + 3] : 0;
    p += OPTIONAL;
    while (nextExt !== 0) {
      if (p >= stop) return 'gtp-truncated';
      const len = buf[p] * 4;
      if (len === 0 || stop - p < len) return 'gtp-bad-extension';
      nextExt = buf[p + len - 1];
      p += len;
    }
  }
  return cx.rawIp(buf, p, stop);
}
