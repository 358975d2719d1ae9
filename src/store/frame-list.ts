/**
 * The frames of the messages that did not come in exactly one frame holding them unmodified
 * (TCP segments, IP fragments, an unmasked WebSocket payload, a frame the snaplen cut): typed
 * columns, a few bytes a frame, grown by doubling. Messages that came in one frame keep its
 * place in their own columns instead (store.ts), so the common path costs nothing here.
 */
import type { FrameLocation } from '../model/store-view.js';

export class FrameList {
  /** Message ids that have frames here (ascending, as messages are added), and where their frames start. */
  private owners = new Uint32Array(64);
  private firsts = new Uint32Array(64);
  private ownerCount = 0;
  private offset = new Float64Array(64);
  private caplen = new Uint32Array(64);
  private origLen = new Uint32Array(64);
  private ts = new BigInt64Array(64);
  /** Link table index (store.ts) | IN_FILE. */
  private where = new Uint16Array(64);
  private count = 0;

  /** Starts the frame list of message `owner` (larger than every owner before it). */
  begin(owner: number): void {
    if (this.ownerCount === this.owners.length) {
      this.owners = grow(this.owners);
      this.firsts = grow(this.firsts);
    }
    this.owners[this.ownerCount] = owner;
    this.firsts[this.ownerCount++] = this.count;
  }

  /** Adds a frame to the list begun last. */
  push(inFile: boolean, offset: number, caplen: number, origLen: number, ts: bigint, link: number): void {
    if (this.count === this.offset.length) {
      this.offset = grow(this.offset);
      this.caplen = grow(this.caplen);
      this.origLen = grow(this.origLen);
      this.ts = grow(this.ts);
      this.where = grow(this.where);
    }
    const k = this.count++;
    this.offset[k] = offset;
    this.caplen[k] = caplen;
    this.origLen[k] = origLen;
    this.ts[k] = ts;
    this.where[k] = link | (inFile ? IN_FILE : 0);
  }

  /** Drops the list begun last (one of its frames could not be kept). */
  cancel(): void {
    this.count = this.firsts[--this.ownerCount]!;
  }

  /** The frames of message `owner`, in arrival order ([] when it has none here); linktypes from the store's link table. */
  of(owner: number, linktypes: readonly number[]): FrameLocation[] {
    let lo = 0;
    let hi = this.ownerCount;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.owners[mid]! < owner) lo = mid + 1;
      else hi = mid;
    }
    if (lo >= this.ownerCount || this.owners[lo] !== owner) return [];
    const end = lo + 1 < this.ownerCount ? this.firsts[lo + 1]! : this.count;
    const out: FrameLocation[] = [];
    for (let k = this.firsts[lo]!; k < end; k++) {
      const where = this.where[k]!;
      out.push({
        ts: this.ts[k]!, linktype: linktypes[where & ~IN_FILE]!, caplen: this.caplen[k]!, origLen: this.origLen[k]!,
        inFile: (where & IN_FILE) !== 0, offset: this.offset[k]!,
      });
    }
    return out;
  }
}

const IN_FILE = 0x8000;

type Typed = Uint32Array | Uint16Array | Float64Array | BigInt64Array;

function grow<T extends Typed>(a: T): T {
  const wider = new (a.constructor as new (n: number) => T)(a.length * 2);
  wider.set(a as never);
  return wider;
}
