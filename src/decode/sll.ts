import type { DecodeContext, Skip } from './context.js';

const SLL_HEADER = 16;
const SLL2_HEADER = 20;

/** Linux cooked capture v1 (LINKTYPE 113): the protocol field is an ethertype. */
export function decodeSll(cx: DecodeContext, buf: Buffer, off: number, end: number): Skip {
  if (end - off < SLL_HEADER) return 'sll-short';
  return cx.etherType((buf[off + 14] << 8) | buf[off + 15], buf, off + SLL_HEADER, end);
}

/** Linux cooked capture v2 (LINKTYPE 276): the ethertype comes first. */
export function decodeSll2(cx: DecodeContext, buf: Buffer, off: number, end: number): Skip {
  if (end - off < SLL2_HEADER) return 'sll2-short';
  return cx.etherType((buf[off] << 8) | buf[off + 1], buf, off + SLL2_HEADER, end);
}
