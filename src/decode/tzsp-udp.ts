import { decodeTzsp } from '../source/tzsp.js';
import type { DecodeContext, Skip } from './context.js';

/** TZSP on its UDP port: the carried frame is decoded from its link layer up. false: not TZSP. */
export function decodeTzspPayload(cx: DecodeContext, buf: Buffer, off: number, end: number): Skip | false {
  const r = decodeTzsp(buf.subarray(off, end));
  if (typeof r === 'string') return false;
  return cx.link(r.linktype, r.data, 0, r.data.length);
}
