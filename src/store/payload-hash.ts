/**
 * A cheap 32-bit hash of payload bytes (murmur-style mixing of 4-byte words). Used with the length
 * to spot identical copies: retransmissions and HEP duplicates.
 */
export function payloadHash(b: Buffer): number {
  const n = b.length;
  const words = n & ~3;
  let h = 0x811c9dc5 ^ n;
  let i = 0;
  for (; i < words; i += 4) {
    const w = b[i] | (b[i + 1] << 8) | (b[i + 2] << 16) | (b[i + 3] << 24);
    h = Math.imul(h ^ w, 0x5bd1e995);
    h ^= h >>> 15;
  }
  for (; i < n; i++) h = Math.imul(h ^ b[i], 0x01000193);
  h ^= h >>> 13;
  h = Math.imul(h, 0x5bd1e995);
  return (h ^ (h >>> 15)) | 0;
}
