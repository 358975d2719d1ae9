import type { DecodeContext, Skip } from './context.js';

const TAG = 4;

/** One 802.1Q / 802.1ad tag (TCI + inner ethertype); stacked QinQ tags go round the context, which bounds the depth. */
export function decodeVlan(cx: DecodeContext, buf: Buffer, off: number, end: number): Skip {
  if (end - off < TAG) return 'vlan-short';
  return cx.etherType((buf[off + 2] << 8) | buf[off + 3], buf, off + TAG, end);
}
