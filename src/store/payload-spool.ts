/**
 * Append-only arena for message bytes that do not lie in a seekable file (stdin, live capture,
 * reassembled TCP). Large blocks instead of one Buffer per message: 100k messages cost a few dozen
 * allocations, and Buffers handed out are views, not copies.
 */

const BLOCK_SIZE = 8 * 1024 * 1024;
/** Offsets encode block * SPAN + position, so a single payload may not exceed SPAN bytes. */
const SPAN = 2 ** 28;
export const SPOOL_MAX_PAYLOAD = SPAN;

export class PayloadSpool {
  private readonly blocks: Buffer[] = [];
  /** Index of the block small payloads are currently appended to, and how much of it is used. */
  private shared = -1;
  private used = BLOCK_SIZE;

  /** Copies bytes (at most SPOOL_MAX_PAYLOAD of them) in and returns the offset to read them back with. */
  append(bytes: Buffer): number {
    const n = bytes.length;
    if (n > BLOCK_SIZE / 4) {
      // Big payloads get their own block so they do not waste the tail of a shared one.
      this.blocks.push(Buffer.from(bytes));
      return (this.blocks.length - 1) * SPAN;
    }
    if (this.used + n > BLOCK_SIZE) this.newBlock();
    const index = this.shared;
    bytes.copy(this.blocks[index], this.used);
    const offset = index * SPAN + this.used;
    this.used += n;
    return offset;
  }

  private newBlock(): void {
    this.blocks.push(Buffer.allocUnsafe(BLOCK_SIZE));
    this.shared = this.blocks.length - 1;
    this.used = 0;
  }

  /** A view of bytes previously appended (valid for the life of the spool). */
  read(offset: number, length: number): Buffer {
    const block = this.blocks[Math.floor(offset / SPAN)];
    const at = offset % SPAN;
    return block.subarray(at, at + length);
  }

  /** Bytes held, for memory reporting. */
  get size(): number {
    let total = 0;
    for (const b of this.blocks) total += b.length;
    return total;
  }
}
