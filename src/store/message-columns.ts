/**
 * Per-message fields in growable typed arrays: ~60 bytes a message instead of a ~220-byte object
 * graph, so 680k messages fit the memory budget. SipMessage objects are built on demand.
 */

type Column = Int32Array | Uint32Array | Uint16Array | Uint8Array | Float64Array | BigInt64Array;

export const FLAG_SDP = 1;
export const FLAG_RETRANS = 2;
export const FLAG_IN_FILE = 4;

export class MessageColumns {
  count = 0;
  private capacity = 0;
  dialog = new Int32Array(0);
  frame = new Uint32Array(0);
  ts = new BigInt64Array(0);
  /** String-table ids of addresses and methods. */
  src = new Uint32Array(0);
  dst = new Uint32Array(0);
  method = new Uint32Array(0);
  cseqMethod = new Uint32Array(0);
  sport = new Uint16Array(0);
  dport = new Uint16Array(0);
  status = new Uint16Array(0);
  transport = new Uint8Array(0);
  flags = new Uint8Array(0);
  cseq = new Uint32Array(0);
  refOffset = new Float64Array(0);
  refLength = new Uint32Array(0);
  hash = new Int32Array(0);

  /** Reserves the next row and returns its index. */
  push(): number {
    if (this.count === this.capacity) this.grow(Math.max(1024, Math.ceil(this.capacity * 1.5)));
    return this.count++;
  }

  private grow(capacity: number): void {
    const widen = <T extends Column>(a: T): T => {
      const b = new (a.constructor as new (n: number) => T)(capacity);
      b.set(a as never);
      return b;
    };
    this.dialog = widen(this.dialog);
    this.frame = widen(this.frame);
    this.ts = widen(this.ts);
    this.src = widen(this.src);
    this.dst = widen(this.dst);
    this.method = widen(this.method);
    this.cseqMethod = widen(this.cseqMethod);
    this.sport = widen(this.sport);
    this.dport = widen(this.dport);
    this.status = widen(this.status);
    this.transport = widen(this.transport);
    this.flags = widen(this.flags);
    this.cseq = widen(this.cseq);
    this.refOffset = widen(this.refOffset);
    this.refLength = widen(this.refLength);
    this.hash = widen(this.hash);
    this.capacity = capacity;
  }
}
