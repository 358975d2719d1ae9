import { memoryView } from '../sip/tokens.js';

/**
 * A cheap 30-bit hash of payload bytes (murmur-style mixing, two 4-byte lanes per step through a
 * DataView, which V8 compiles to plain unaligned loads). Used with the length to spot identical
 * copies: retransmissions and HEP duplicates.
 */
export function payloadHash(b: Buffer): number {
  const n = b.length;
  const v = memoryView(b);
  const base = b.byteOffset;
  const steps = n & ~7;
  let h = 0x811c9dc5 ^ n;
  let g = 0x1b873593;
  let i = 0;
  for (; i < steps; i += 8) {
    h = Math.imul(h ^ v.getInt32(base + i, true), 0x5bd1e995);
    h ^= h >>> 15;
    g = Math.imul(g ^ v.getInt32(base + i + 4, true), 0xcc9e2d51);
    g ^= g >>> 13;
  }
  for (; i < n; i++) h = Math.imul(h ^ b[i], 0x01000193);
  h ^= Math.imul(g ^ (g >>> 16), 0x85ebca6b);
  // 30 bits: a small integer (Smi) to V8, so passing one on is never a boxed number.
  return (h ^ (h >>> 13)) & 0x3fffffff;
}
