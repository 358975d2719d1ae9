/**
 * One writer thread, one reader thread: variable-length records in a SharedArrayBuffer. The
 * writer copies a record in and publishes it by moving the write offset; the reader hands records
 * out where they lie and releases them by moving the read offset. Nothing is allocated per record.
 *
 * A record is [u32 body length][4 bytes unused][body], padded to 8 bytes (so a body's doubles and
 * 64-bit integers can be read through typed arrays); a length of WRAP means "continue at 0".
 * A writer that must not lose records (a capture file's decoder) waits for room (waitForRoom);
 * one that must not stop (a socket's) counts what did not fit instead.
 *
 * Each side keeps the other's offset as last seen and looks again only when that says "full" or
 * "empty", and publishes its own now and then (every few records, and before it waits or sleeps):
 * the shared words, each on a cache line of its own, are touched a few times per batch, not per record.
 */

const HEAD = 8;
const WRAP = 0xffffffff;
/** Control words (Int32 indexes, 64 bytes apart): write and read offsets, the reader asleep (1), records dropped for want of room, the writer waiting for room (1). */
const WRITE = 0;
const READ = 16;
const ASLEEP = 32;
const DROPPED = 48;
const WAITING = 64;
const CONTROL_BYTES = 68 * 4;
/** A writer waiting for room sleeps at most this long between looks (a reader that went away must not hang it). */
const WAIT_MS = 200;
/** Records between publishing the offsets (the reader's read offset, a batching writer's write offset). */
const PUBLISH_EVERY = 64;

export interface RingBuffers {
  control: SharedArrayBuffer;
  data: SharedArrayBuffer;
}

export function newRing(bytes: number): RingBuffers {
  return { control: new SharedArrayBuffer(CONTROL_BYTES), data: new SharedArrayBuffer(bytes & ~7) };
}

const recordSize = (len: number): number => (HEAD + len + 7) & ~7;

/** The writing thread's end. */
export class RingWriter {
  readonly buf: Buffer;
  private readonly ctl: Int32Array;
  private readonly size: number;
  /** The write offset after the records committed so far (published: written to the control word, or not yet). */
  private w = 0;
  /** The read offset as last seen. */
  private r = 0;
  /** Where the record being written starts (reserve() … commit()). */
  private at = 0;
  private unpublished = 0;

  /** batched: commit() publishes every few records only (call publish() when a pause comes); else every record at once. */
  constructor(r: RingBuffers, private readonly batched = false) {
    this.ctl = new Int32Array(r.control);
    this.buf = Buffer.from(r.data);
    this.size = r.data.byteLength;
  }

  /** The largest body a record may have: one must always fit a ring the reader has emptied. */
  get maxBody(): number {
    return (this.size >> 1) - HEAD - 8;
  }

  /** Room for a record of up to `len` body bytes: the offset of its body in buf, -1 when the reader is too far behind. */
  reserve(len: number): number {
    const need = recordSize(len);
    let w = this.w;
    if (!this.fits(need, w, this.r)) {
      this.r = Atomics.load(this.ctl, READ);
      if (!this.fits(need, w, this.r)) return -1;
    }
    if (w + need > this.size) {
      this.buf.writeUInt32LE(WRAP, w);
      w = 0;
    }
    this.at = w;
    return w + HEAD;
  }

  /** Whether `need` contiguous bytes are free at w (or at 0 after a wrap). The write offset never catches up with the read offset: equal means empty. */
  private fits(need: number, w: number, r: number): boolean {
    if (r > w) return w + need < r;
    if (w + need <= this.size) return w + need < this.size || r > 0;
    return need < r;
  }

  /**
   * Ends the record reserved last, with `len` (at most what was reserved) body bytes; true when it
   * was published and the reader sleeps and must be woken.
   */
  commit(len: number): boolean {
    const w = this.at;
    this.buf.writeUInt32LE(len, w);
    const next = w + recordSize(len);
    this.w = next === this.size ? 0 : next;
    if (this.batched && ++this.unpublished < PUBLISH_EVERY) return false;
    return this.publish();
  }

  /** Makes the records committed so far readable; true when the reader sleeps and must be woken. */
  publish(): boolean {
    this.unpublished = 0;
    Atomics.store(this.ctl, WRITE, this.w);
    return Atomics.load(this.ctl, ASLEEP) === 1 && Atomics.compareExchange(this.ctl, ASLEEP, 1, 0) === 1;
  }

  /** Counts a record given up for want of room. */
  drop(): void {
    Atomics.add(this.ctl, DROPPED, 1);
  }

  /**
   * Blocks this thread until a record of `len` body bytes fits and a quarter of the ring is free
   * (so writer and reader take turns in batches, not per record); false when `len` can never fit.
   * Publishes first: the reader must see what it is waited for.
   */
  waitForRoom(len: number): boolean {
    if (len > this.maxBody) return false;
    const want = Math.max(recordSize(len), this.size >> 2);
    for (;;) {
      const r = Atomics.load(this.ctl, READ);
      this.r = r;
      if (this.fits(want, this.w, r)) return true;
      Atomics.store(this.ctl, WAITING, 1);
      // The reader may have moved on between the look and the flag: look again before sleeping.
      if (Atomics.load(this.ctl, READ) === r) Atomics.wait(this.ctl, READ, r, WAIT_MS);
    }
  }
}

/** The reading thread's end. */
export class RingReader {
  readonly buf: Buffer;
  private readonly ctl: Int32Array;
  private readonly size: number;
  /** The write offset as last seen. */
  private w = 0;

  constructor(r: RingBuffers) {
    this.ctl = new Int32Array(r.control);
    this.buf = Buffer.from(r.data);
    this.size = r.data.byteLength;
  }

  /**
   * Hands up to `max` records to `each` (body at buf[off, end)), released once handled (published
   * every few records and at the end); the number handled. A writer waiting for room is woken at the end.
   */
  drain(max: number, each: (buf: Buffer, off: number, end: number) => void): number {
    let r = Atomics.load(this.ctl, READ);
    let n = 0;
    try {
      while (n < max) {
        if (r === this.w) {
          this.w = Atomics.load(this.ctl, WRITE);
          if (r === this.w) break;
        }
        let len = this.buf.readUInt32LE(r);
        if (len === WRAP) {
          r = 0;
          continue;
        }
        const off = r + HEAD;
        each(this.buf, off, off + len);
        n++;
        len = recordSize(len);
        r = r + len === this.size ? 0 : r + len;
        if ((n & (PUBLISH_EVERY - 1)) === 0) Atomics.store(this.ctl, READ, r);
      }
    } finally {
      Atomics.store(this.ctl, READ, r);
      if (Atomics.load(this.ctl, WAITING) === 1) {
        Atomics.store(this.ctl, WAITING, 0);
        Atomics.notify(this.ctl, READ);
      }
    }
    return n;
  }

  /** Marks the reader asleep; false when something arrived meanwhile (drain again instead of waiting to be woken). */
  sleep(): boolean {
    Atomics.store(this.ctl, ASLEEP, 1);
    this.w = Atomics.load(this.ctl, WRITE);
    if (Atomics.load(this.ctl, READ) === this.w) return true;
    Atomics.store(this.ctl, ASLEEP, 0);
    return false;
  }

  /** Records the writer had no room for. */
  dropped(): number {
    return Atomics.load(this.ctl, DROPPED);
  }
}
