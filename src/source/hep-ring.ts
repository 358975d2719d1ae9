/**
 * Datagrams handed from the thread that reads a UDP socket to the one that decodes them, in a
 * ring (ring.ts). The kernel's receive buffer is capped by net.core.rmem_max (often 4 MiB: ~0.1 s
 * of HEP at 50k messages/s), and the decoding thread stops for garbage collection and screen
 * frames; a reader thread that only copies datagrams here keeps the socket drained meanwhile, and
 * the ring is as large as asked. What does not fit is counted, not blocked.
 *
 * A record's body is [u32 agent length][AGENT_ROOM bytes: agent address, latin1][payload].
 */
import { RingReader as Reader, RingWriter as Writer, type RingBuffers } from './ring.js';

export { newRing, type RingBuffers } from './ring.js';

/** Room for the sender's address text (an IPv6 address with a zone fits). */
export const AGENT_ROOM = 56;
const AGENT = 4 + AGENT_ROOM;

/** The socket thread's end. */
export class RingWriter {
  private readonly ring: Writer;

  constructor(r: RingBuffers) {
    this.ring = new Writer(r);
  }

  /** Copies a datagram in; false (and counted) when the reader is too far behind. True when the reader sleeps and must be woken. */
  put(msg: Buffer, agent: string): { kept: boolean; wake: boolean } {
    const at = this.ring.reserve(AGENT + msg.length);
    if (at < 0) {
      this.ring.drop();
      return { kept: false, wake: false };
    }
    const buf = this.ring.buf;
    buf.writeUInt32LE(buf.write(agent, at + 4, AGENT_ROOM, 'latin1'), at);
    msg.copy(buf, at + AGENT);
    return { kept: true, wake: this.ring.commit(AGENT + msg.length) };
  }
}

/** The decoding thread's end. */
export class RingReader {
  private readonly ring: Reader;
  readonly buf: Buffer;
  /** Where the record being handled keeps its agent's address. */
  private agentAt = 0;
  private each: (buf: Buffer, off: number, end: number) => void = () => {};
  private readonly record = (buf: Buffer, off: number, end: number): void => {
    this.agentAt = off;
    this.each(buf, off + AGENT, end);
  };

  constructor(r: RingBuffers) {
    this.ring = new Reader(r);
    this.buf = this.ring.buf;
  }

  /** The address the datagram being handled came from (read only when needed: bad packets, agents without a capture ID). */
  readonly agent = (): string => this.buf.toString('latin1', this.agentAt + 4, this.agentAt + 4 + this.buf.readUInt32LE(this.agentAt));

  /**
   * Hands up to `max` datagrams to `each` (payload at buf[off, end)), each released once handled;
   * the number handled.
   */
  drain(max: number, each: (buf: Buffer, off: number, end: number) => void): number {
    this.each = each;
    return this.ring.drain(max, this.record);
  }

  /** Marks the reader asleep; false when something arrived meanwhile (drain again instead of waiting to be woken). */
  sleep(): boolean {
    return this.ring.sleep();
  }

  /** Datagrams the writer had no room for. */
  dropped(): number {
    return this.ring.dropped();
  }
}
