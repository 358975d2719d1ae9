import type { Frame, RawFrame } from '../model/frame.js';

const NS_PER_S = 1_000_000_000n;
const EMPTY = Buffer.alloc(0);

/**
 * The one frame record a capture reader refills for every record (issue 10: per-packet work
 * allocates nothing). Index, link type and lengths are plain fields; the bytes are kept as where
 * they lie and the time as seconds + nanoseconds (`raw`), and the Buffer view (`data`) and the
 * BigInt (`ts`) are made only when a consumer reads them, once per frame: a SIP message, a save,
 * a reassembler. RTP read through `raw` builds neither.
 */
export class FileFrame implements Frame, RawFrame {
  index = 0;
  linktype = 0;
  origLen = 0;
  fileOffset = -1;
  bytes: Buffer = EMPTY;
  start = 0;
  end = 0;
  sec = 0;
  nsec = 0;
  private view: Buffer | undefined = undefined;
  private time: bigint | undefined = undefined;

  /** Refills the record for the next frame. */
  fill(index: number, sec: number, nsec: number, linktype: number, bytes: Buffer, start: number, end: number, origLen: number, fileOffset: number): void {
    this.index = index;
    this.sec = sec;
    this.nsec = nsec;
    this.linktype = linktype;
    this.bytes = bytes;
    this.start = start;
    this.end = end;
    this.origLen = origLen;
    this.fileOffset = fileOffset;
    this.view = undefined;
    this.time = undefined;
  }

  get raw(): RawFrame {
    return this;
  }

  get data(): Buffer {
    return (this.view ??= this.bytes.subarray(this.start, this.end));
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
