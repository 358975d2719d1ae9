/**
 * A sliding window over an input read in chunks: bytes not yet consumed stay at
 * buf[start, end), and `offset` is the input position of buf[start]. A record cut by a
 * chunk boundary is carried over by moving it to the front, so one buffer is reused for
 * the whole input and only grows when a single record is larger than it.
 */
export class ByteWindow {
  buf: Buffer;
  start = 0;
  end = 0;
  offset = 0;

  constructor(capacity: number) {
    this.buf = Buffer.allocUnsafe(capacity);
  }

  get length(): number {
    return this.end - this.start;
  }

  /** Input position of buf[0]: add a buffer index to get an input position. */
  get base(): number {
    return this.offset - this.start;
  }

  consume(upTo: number): void {
    this.offset += upTo - this.start;
    this.start = upTo;
  }

  /** Moves the unconsumed bytes to the front and makes room for at least `free` more. */
  makeRoom(free: number): void {
    if (this.start > 0) {
      this.buf.copy(this.buf, 0, this.start, this.end);
      this.end -= this.start;
      this.start = 0;
    }
    if (this.buf.length - this.end < free) {
      const grown = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.end + free));
      this.buf.copy(grown, 0, 0, this.end);
      this.buf = grown;
    }
  }

  append(chunk: Buffer): void {
    if (this.buf.length - this.end < chunk.length) this.makeRoom(chunk.length);
    chunk.copy(this.buf, this.end);
    this.end += chunk.length;
  }
}

/** The system's words for an I/O failure ("permission denied"), without Node's code prefix and syscall suffix. */
export function describeIoError(err: unknown): string {
  const message = err instanceof Error ? err.message : String(err);
  return /^E[A-Z0-9]+: ([^,]+)/.exec(message)?.[1] ?? message;
}
