import type { SkipReason } from '../model/skip.js';
/** TZSP encapsulation number → pcap LINKTYPE of the carried frame. */
const LINKTYPE_BY_ENCAPSULATION = new Map<number, number>([
  [1, 1], // Ethernet
  [18, 105], // IEEE 802.11
  [119, 119], // 802.11 with Prism header
  [127, 163], // 802.11 with AVS header
]);

const VERSION = 1;
const TYPE_RECEIVED = 0;
const TYPE_TRANSMITTED = 1;
const TAG_PADDING = 0;
const TAG_END = 1;
const HEADER = 4;

/**
 * Strips a TZSP header (as sent by MikroTik sniffers) from a UDP payload: version, type,
 * encapsulation, then tagged fields up to the END tag. Returns the carried frame as a
 * subarray of buf (no copy), or a short reason when buf is not a TZSP packet frame.
 */
export function decodeTzsp(buf: Buffer): { linktype: number; data: Buffer } | SkipReason {
  if (buf.length < HEADER + 1) return 'tzsp-short';
  if (buf[0] !== VERSION) return 'tzsp-bad-version';
  if (buf[1] !== TYPE_RECEIVED && buf[1] !== TYPE_TRANSMITTED) return 'tzsp-not-packet';
  const encapsulation = buf.readUInt16BE(2);
  const linktype = LINKTYPE_BY_ENCAPSULATION.get(encapsulation);
  if (linktype === undefined) return 'tzsp-encapsulation-unsupported';
  let p = HEADER;
  while (p < buf.length) {
    const tag = buf[p];
    if (tag === TAG_END) return { linktype, data: buf.subarray(p + 1) };
    if (tag === TAG_PADDING) {
      p++;
      continue;
    }
    if (p + 1 >= buf.length) break;
    p += 2 + buf[p + 1];
  }
  return 'tzsp-truncated';
}
