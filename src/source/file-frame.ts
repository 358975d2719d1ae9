import type { Frame, RawFrame } from '../model/frame.js';

const NS_PER_S = 1_000_000_000n;
const EMPTY = Buffer.alloc(0);

/**
 * A frame whose bytes are kept as where they lie (a chunk of the file, a slot of the decoding
 * ring) and whose Buffer view is made only when a consumer reads `data`, once per frame: a SIP
 * message, a save, a reassembler. RTP read through `raw` builds none (issue 10: per-packet work
 * allocates nothing). The capture reader and the ring reader each refill one of these per record.
 */
export abstract class LazyViewFrame implements Frame, RawFrame {
  index = 0;
  linktype = 0;
  origLen = 0;
  fileOffset = -1;
  bytes: Buffer = EMPTY;
  start = 0;
  end = 0;
  private view: Buffer | undefined = undefined;

  abstract readonly ts: bigint;
  abstract readonly sec: number;
  abstract readonly nsec: number;

  /** Points the record at the next frame's bytes and drops the view of the last one. */
  protected place(index: number, linktype: number, bytes: Buffer, start: number, end: number, origLen: number, fileOffset: number): void {
    this.index = index;
    this.linktype = linktype;
    this.bytes = bytes;
    this.start = start;
    this.end = end;
    this.origLen = origLen;
    this.fileOffset = fileOffset;
    this.view = undefined;
  }

  get raw(): RawFrame {
    return this;
  }

  get data(): Buffer {
    return (this.view ??= this.bytes.subarray(this.start, this.end));
  }
}

/**
 * The one frame record a capture reader refills for every record. The time is kept as seconds +
 * nanoseconds (`raw`); its BigInt (`ts`) is made only when read.
 */
export class FileFrame extends LazyViewFrame {
  sec = 0;
  nsec = 0;
  private time: bigint | undefined = undefined;

  /** Refills the record for the next frame. */
  fill(index: number, sec: number, nsec: number, linktype: number, bytes: Buffer, start: number, end: number, origLen: number, fileOffset: number): void {
    this.place(index, linktype, bytes, start, end, origLen, fileOffset);
    this.sec = sec;
    this.nsec = nsec;
    this.time = undefined;
  }

  get ts(): bigint {
    return (this.time ??= BigInt(this.sec) * NS_PER_S + BigInt(this.nsec));
  }
}

/** A frame as a plain object of its own, to keep past the callback (with `data` a copy, or the bytes given). */
export function keptFrame(f: Frame, data: Buffer = Buffer.from(f.data)): Frame {
  return {
    index: f.index, ts: f.ts, linktype: f.linktype, data, origLen: f.origLen, fileOffset: f.fileOffset,
    ...(f.node !== undefined && { node: f.node }), ...(f.rtcp !== undefined && { rtcp: f.rtcp }),
  };
}
