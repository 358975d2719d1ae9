/**
 * One writer, one reader: datagrams handed from the thread that reads a UDP socket to the one that
 * decodes them, in a SharedArrayBuffer. The kernel's receive buffer is capped by net.core.rmem_max
 * (often 4 MiB: ~0.1 s of HEP at 50k messages/s), and the decoding thread stops for garbage
 * collection and screen frames; a reader thread that only copies datagrams here keeps the socket
 * drained meanwhile, and the ring is as large as asked. What does not fit is counted, not blocked.
 *
 * A record is [u32 length][u32 agent length][AGENT_ROOM bytes: agent address, latin1][payload],
 * padded to 4 bytes; a length of WRAP means "continue at 0".
 */

const HEAD = 8;
/** Room for the sender's address text (an IPv6 address with a zone fits). */
export const AGENT_ROOM = 56;
const WRAP = 0xffffffff;
/** Control words: write and read offsets, the reader asleep (1), datagrams dropped for want of room. */
const WRITE = 0;
const READ = 1;
const ASLEEP = 2;
const DROPPED = 3;
const CONTROL_BYTES = 16;

export interface RingBuffers {
  control: SharedArrayBuffer;
  data: SharedArrayBuffer;
}

export function newRing(bytes: number): RingBuffers {
  return { control: new SharedArrayBuffer(CONTROL_BYTES), data: new SharedArrayBuffer(bytes & ~3) };
}

const recordSize = (len: number): number => (HEAD + AGENT_ROOM + len + 3) & ~3;

/** The socket thread's end. */
export class RingWriter {
  private readonly ctl: Int32Array;
  private readonly buf: Buffer;
  private readonly size: number;

  constructor(r: RingBuffers) {
    this.ctl = new Int32Array(r.control);
    this.buf = Buffer.from(r.data);
    this.size = r.data.byteLength;
  }

  /** Copies a datagram in; false (and counted) when the reader is too far behind. True when the reader sleeps and must be woken. */
  put(msg: Buffer, agent: string): { kept: boolean; wake: boolean } {
    const need = recordSize(msg.length);
    let w = Atomics.load(this.ctl, WRITE);
    const r = Atomics.load(this.ctl, READ);
    let fits: boolean;
    if (r > w) fits = w + need < r;
    else if (w + need <= this.size) fits = w + need < this.size || r > 0;
    else fits = need < r;
    if (!fits) {
      Atomics.add(this.ctl, DROPPED, 1);
      return { kept: false, wake: false };
    }
    if (w + need > this.size) {
      this.buf.writeUInt32LE(WRAP, w);
      w = 0;
    }
    this.buf.writeUInt32LE(msg.length, w);
    this.buf.writeUInt32LE(this.buf.write(agent, w + HEAD, AGENT_ROOM, 'latin1'), w + 4);
    msg.copy(this.buf, w + HEAD + AGENT_ROOM);
    const next = w + need;
    Atomics.store(this.ctl, WRITE, next === this.size ? 0 : next);
    return { kept: true, wake: Atomics.compareExchange(this.ctl, ASLEEP, 1, 0) === 1 };
  }
}

/** The decoding thread's end. */
export class RingReader {
  private readonly ctl: Int32Array;
  readonly buf: Buffer;
  private readonly size: number;
  /** Where the record being handled keeps its agent's address. */
  private agentAt = 0;

  constructor(r: RingBuffers) {
    this.ctl = new Int32Array(r.control);
    this.buf = Buffer.from(r.data);
    this.size = r.data.byteLength;
  }

  /** The address the datagram being handled came from (read only when needed: bad packets, agents without a capture ID). */
  readonly agent = (): string => this.buf.toString('latin1', this.agentAt + HEAD, this.agentAt + HEAD + this.buf.readUInt32LE(this.agentAt + 4));

  /**
   * Hands up to `max` datagrams to `each` (payload at buf[off, end)), each released once handled;
   * the number handled.
   */
  drain(max: number, each: (buf: Buffer, off: number, end: number) => void): number {
    let r = Atomics.load(this.ctl, READ);
    let n = 0;
    while (n < max) {
      if (r === Atomics.load(this.ctl, WRITE)) break;
      let len = this.buf.readUInt32LE(r);
      if (len === WRAP) {
        r = 0;
        Atomics.store(this.ctl, READ, 0);
        continue;
      }
      this.agentAt = r;
      const off = r + HEAD + AGENT_ROOM;
      each(this.buf, off, off + len);
      n++;
      len = recordSize(len);
      r = r + len === this.size ? 0 : r + len;
      Atomics.store(this.ctl, READ, r);
    }
    return n;
  }

  /** Marks the reader asleep; false when something arrived meanwhile (drain again instead of waiting to be woken). */
  sleep(): boolean {
    Atomics.store(this.ctl, ASLEEP, 1);
    if (Atomics.load(this.ctl, READ) === Atomics.load(this.ctl, WRITE)) return true;
    Atomics.store(this.ctl, ASLEEP, 0);
    return false;
  }

  /** Datagrams the writer had no room for. */
  dropped(): number {
    return Atomics.load(this.ctl, DROPPED);
  }
}
