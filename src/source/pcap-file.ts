import { setImmediate as yieldToLoop } from 'node:timers/promises';
import { InputError } from '../model/errors.js';
import type { FrameSink, SourceEnd } from '../model/frame.js';
import type { ByteWindow } from './byte-reader.js';
import { captureFormat, ERF_SNIFF_LENGTH, MAGIC_LENGTH, SNIFF_LENGTH, unknownFormatError } from './format.js';
import { ClassicPcap } from './pcap-classic.js';
import { Pcapng } from './pcapng.js';
import { FrameClock, type TimeParts } from './frame-time.js';
import { FileFrame } from './file-frame.js';

/**
 * How long one read() may keep the event loop (decoding included) before it pauses, so a key
 * pressed while a big or hostile file loads waits at most about this long before its frame is
 * drawn (the screen's key→frame budget is 20 ms). Checked every FRAMES_PER_CLOCK_CHECK + 1
 * frames (about 0.3 ms of work); a pause costs one turn of the event loop (microseconds).
 */
const SLICE_MS = 4;
const FRAMES_PER_CLOCK_CHECK = 0x3f;

/** Where a record format hands the frames it finds. */
export interface FrameOut {
  /** A frame of bytes buf[start, end) captured at sec + nsec (nsec below 10^9; sec may lie outside the range FrameClock checks). */
  emit(sec: number, nsec: number, linktype: number, buf: Buffer, start: number, end: number, origLen: number, fileOffset: number): void;
  /** Set once the time slice is used up: the format stops after the current record (and resumes on the next parse). */
  readonly paused: boolean;
  /** A pcapng Decryption Secrets Block: its secrets type and data (valid during the call). */
  secrets(type: number, data: Buffer): void;
}

/** The record layer of one capture file format, fed whatever bytes have arrived. */
export interface RecordFormat {
  /**
   * Emits every complete record in buf[pos, end) (buf[i] is at input position base + i)
   * and returns the position after the last one. Stops early at a corrupt record, leaving
   * the reason in `corrupt` and returning that record's position.
   */
  parse(buf: Buffer, pos: number, end: number, base: number, out: FrameOut): number;
  /** Total bytes the record at buf[pos] needs; while its header is incomplete, the header's size. */
  recordSize(buf: Buffer, pos: number, end: number): number;
  /** Why parsing stopped, when a record was corrupt. */
  readonly corrupt: string | undefined;
}

/**
 * The incremental capture parser shared by file and stream sources: push bytes into a
 * ByteWindow, call read(), get frames. It picks pcap or pcapng by magic, numbers frames
 * and turns corrupt or cut-off records into one-line messages naming the input and offset.
 */
export class CaptureReader implements FrameOut {
  frames = 0;
  /** Set once a corrupt record stopped reading; the caller stops feeding. */
  stopped: string | undefined;
  private format: RecordFormat | undefined;
  private readonly clock = new FrameClock();
  /** The one frame record handed to the sink, refilled for every frame. */
  private readonly record = new FileFrame();
  private readonly time: TimeParts = { sec: 0, nsec: 0 };
  paused = false;
  private sliceEnd = 0;
  /** An output's backlog seen at the last check: read() paused for it. */
  private held: Promise<void> | undefined;

  constructor(
    private readonly name: string,
    private readonly sink: FrameSink,
    /** Whether input positions are file offsets (else frames get fileOffset -1). */
    private readonly seekable: boolean,
  ) {}

  emit(sec: number, nsec: number, linktype: number, buf: Buffer, start: number, end: number, origLen: number, fileOffset: number): void {
    if ((this.frames & FRAMES_PER_CLOCK_CHECK) === 0) {
      if (performance.now() > this.sliceEnd) this.paused = true;
      const backlog = this.sink.backlog?.();
      if (backlog !== undefined) {
        this.held = backlog;
        this.paused = true;
      }
    }
    const t = this.time;
    t.sec = sec;
    t.nsec = nsec;
    this.clock.check(t);
    this.record.fill(++this.frames, t.sec, t.nsec, linktype, buf, start, end, origLen, this.seekable ? fileOffset : -1);
    this.sink.frame(this.record);
  }

  secrets(type: number, data: Buffer): void {
    this.sink.secrets?.(type, data);
  }

  /**
   * Delivers the complete records in the window (for one time slice) and consumes them.
   * Returns true when it stopped because the slice was used up: yield to the event loop, then
   * call read() again before adding bytes. Throws InputError when the input is not a capture
   * this reads, or is corrupt from the start.
   */
  read(win: ByteWindow): boolean {
    if (!this.format) {
      this.format = this.detect(win);
      if (!this.format) return false;
      this.sink.opened?.();
    }
    this.paused = false;
    this.sliceEnd = performance.now() + SLICE_MS;
    win.consume(this.format.parse(win.buf, win.start, win.end, win.base, this));
    if (this.format.corrupt) {
      this.stopped = this.fail(`${this.name}: corrupt record at offset ${win.offset} (${this.format.corrupt}); reading stopped there`);
    }
    return this.paused && !this.stopped;
  }

  /** What to await after read() paused: an output's backlog, else one turn of the event loop. */
  resume(): Promise<unknown> {
    const held = this.held;
    this.held = undefined;
    return held ?? yieldToLoop();
  }

  /** Bytes the window must hold at once for the next record to be readable. */
  need(win: ByteWindow): number {
    return this.format ? this.format.recordSize(win.buf, win.start, win.end) : SNIFF_LENGTH;
  }

  /** The result once the input has ended, naming a record the end cut off. */
  finish(win: ByteWindow): SourceEnd {
    if (!this.format) throw this.formatError(win);
    if (this.stopped) return this.ended(this.stopped);
    if (win.length === 0) return this.ended();
    const size = this.format.recordSize(win.buf, win.start, win.end);
    const truncated = `${this.name}: last record at offset ${win.offset} is truncated (${win.length} of ${size} bytes)`;
    return this.ended(this.fail(truncated));
  }

  /** The result when reading ended here (stopped, or cut off with `truncated`), with what the frames' times needed. */
  ended(truncated?: string): SourceEnd {
    const clamped = this.clock.warning(this.name);
    return { frames: this.frames, ...(truncated !== undefined && { truncated }), ...(clamped !== undefined && { warnings: [clamped] }) };
  }

  private detect(win: ByteWindow): RecordFormat | undefined {
    if (win.length < MAGIC_LENGTH) return undefined;
    const format = captureFormat(win.buf.subarray(win.start, win.start + MAGIC_LENGTH));
    if (format === 'pcap') return new ClassicPcap();
    if (format === 'pcapng') return new Pcapng();
    if (win.length >= SNIFF_LENGTH) throw this.formatError(win);
    return undefined;
  }

  private formatError(win: ByteWindow): InputError {
    if (win.length === 0 && win.offset === 0) return new InputError(`${this.name}: no data`);
    return unknownFormatError(this.name, win.buf.subarray(win.start, win.start + Math.min(win.length, ERF_SNIFF_LENGTH)));
  }

  /** A problem before the first frame leaves nothing to show: that is an input error, not a warning. */
  private fail(message: string): string {
    if (this.frames === 0) throw new InputError(message);
    return message;
  }
}
