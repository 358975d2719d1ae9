/** Bytes per chunk: big enough that a call's packets share few chunks, small enough to waste little. */
const CHUNK = 1 << 20;

/** Where arena bytes were put; pass it back to read them. */
export interface ArenaSlot {
  chunk: number;
  offset: number;
  length: number;
}

/**
 * Append-only byte storage in large chunks, so keeping many small packets costs a few
 * Buffers instead of one per packet. A piece never straddles two chunks.
 */
export class FrameArena {
  private readonly chunks: Buffer[] = [];
  private used = CHUNK;

  /** Copies bytes in. */
  append(bytes: Buffer): ArenaSlot {
    if (this.used + bytes.length > CHUNK || this.chunks.length === 0) {
      this.chunks.push(Buffer.allocUnsafe(Math.max(CHUNK, bytes.length)));
      this.used = 0;
    }
    const chunk = this.chunks.length - 1;
    const offset = this.used;
    bytes.copy(this.chunks[chunk]!, offset);
    this.used += bytes.length;
    return { chunk, offset, length: bytes.length };
  }

  /** A view of stored bytes (valid as long as the arena lives). */
  read(slot: ArenaSlot): Buffer {
    return this.chunks[slot.chunk]!.subarray(slot.offset, slot.offset + slot.length);
  }
}
