import * as fs from 'node:fs';
import { InputError } from '../model/errors.js';
import { describeIoError } from '../source/byte-reader.js';
import { MAX_CAPLEN } from '../source/pcap-classic.js';
import { convertLink } from './link-convert.js';

/** What a capture writer stores of a frame; a Frame fits. */
export interface WritableFrame {
  ts: bigint;
  data: Buffer;
  origLen: number;
  /** LINKTYPE_* of data; when absent, the link type the file was opened with. */
  linktype?: number;
}

/** The common face of PcapWriter and PcapngWriter, for callers that pick one by option. */
export interface CaptureWriter {
  readonly path: string;
  /** Frames written so far. */
  readonly packets: number;
  /** Set on the first write failure ("cannot write out.pcap: no space left on device"); nothing is written after it. */
  readonly error?: string;
  write(frame: WritableFrame): void;
  /** Closes the file; later writes are ignored. */
  close(): void;
}

/**
 * An append-only file that every record reaches in one synchronous write, so a reader
 * (or a crash) never sees half a record. A failed write is cut back off the file, then
 * remembered as a one-line message; writing stops there and never throws.
 */
export class CaptureFileOutput {
  error: string | undefined;
  private fd: number;
  private size = 0;

  /** Throws InputError when the file cannot be created or its header not written. */
  constructor(readonly path: string, header: Buffer) {
    try {
      this.fd = fs.openSync(path, 'w');
    } catch (err) {
      throw new InputError(`cannot write ${path}: ${describeIoError(err)}`);
    }
    if (!this.append(header)) {
      this.close();
      throw new InputError(this.error!);
    }
  }

  /** Appends bytes whole; false when they were not written (after an error or close). */
  append(bytes: Buffer): boolean {
    if (this.error || this.fd < 0) return false;
    try {
      for (let done = 0; done < bytes.length; ) done += fs.writeSync(this.fd, bytes, done, bytes.length - done);
      this.size += bytes.length;
      return true;
    } catch (err) {
      this.error = `cannot write ${this.path}: ${describeIoError(err)}`;
      this.cutBack();
      return false;
    }
  }

  close(): void {
    if (this.fd < 0) return;
    fs.closeSync(this.fd);
    this.fd = -1;
  }

  /** Drops a partly written record so the file stays valid up to the last whole one. */
  private cutBack(): void {
    try {
      fs.ftruncateSync(this.fd, this.size);
    } catch {
      // The disk already refused us; what is there is all we can keep.
    }
  }
}

const PCAP_MAGIC_MICRO = 0xa1b2c3d4;
const PCAP_MAGIC_NANO = 0xa1b23c4d;
const RECORD_HEADER = 16;
const MAX_U32 = 0xffffffff;

/**
 * Writes a classic (little-endian) pcap file. pcap holds one link type per file: a frame of
 * another link type that carries plain IP is converted (Ethernet, cooked capture and raw IP
 * convert into each other); any other is not written but counted in `refused`, by link type.
 * PcapngWriter keeps mixed link types as they are.
 */
export class PcapWriter implements CaptureWriter {
  private written = 0;
  private mismatched = 0;
  private converted = 0;
  /** Link type → frames of it refused. */
  readonly refusedByLinktype = new Map<number, number>();

  private constructor(
    private readonly out: CaptureFileOutput,
    readonly linktype: number,
    private readonly nanosecond: boolean,
    private readonly snaplen: number,
  ) {}

  /** Creates (or truncates) path and writes the file header. Throws InputError when that fails. */
  static open(path: string, linktype: number, opts: { nanosecond?: boolean; snaplen?: number } = {}): PcapWriter {
    const nanosecond = opts.nanosecond ?? false;
    const snaplen = opts.snaplen ?? MAX_CAPLEN;
    const header = Buffer.alloc(24);
    header.writeUInt32LE(nanosecond ? PCAP_MAGIC_NANO : PCAP_MAGIC_MICRO, 0);
    header.writeUInt16LE(2, 4);
    header.writeUInt16LE(4, 6);
    header.writeUInt32LE(snaplen, 16);
    header.writeUInt32LE(linktype, 20);
    return new PcapWriter(new CaptureFileOutput(path, header), linktype, nanosecond, snaplen);
  }

  get path(): string {
    return this.out.path;
  }

  get packets(): number {
    return this.written;
  }

  /** Frames not written because their link type is not the file's and could not be converted. */
  get refused(): number {
    return this.mismatched;
  }

  /** Frames of another link type written after converting their link header. */
  get convertedFrames(): number {
    return this.converted;
  }

  get error(): string | undefined {
    return this.out.error;
  }

  write(frame: WritableFrame): void {
    let data = frame.data;
    let origLen = frame.origLen;
    if (frame.linktype !== undefined && frame.linktype !== this.linktype) {
      const as = convertLink(data, frame.linktype, this.linktype);
      if (as === undefined) {
        this.mismatched++;
        this.refusedByLinktype.set(frame.linktype, (this.refusedByLinktype.get(frame.linktype) ?? 0) + 1);
        return;
      }
      origLen += as.length - data.length;
      data = as;
      this.converted++;
    }
    const caplen = Math.min(data.length, this.snaplen);
    const record = Buffer.allocUnsafe(RECORD_HEADER + caplen);
    const ts = frame.ts < 0n ? 0n : frame.ts;
    const fraction = Number(ts % 1_000_000_000n);
    record.writeUInt32LE(Math.min(Number(ts / 1_000_000_000n), MAX_U32), 0);
    record.writeUInt32LE(this.nanosecond ? fraction : Math.floor(fraction / 1000), 4);
    record.writeUInt32LE(caplen, 8);
    record.writeUInt32LE(origLen, 12);
    data.copy(record, RECORD_HEADER, 0, caplen);
    if (this.out.append(record)) this.written++;
  }

  close(): void {
    this.out.close();
  }
}
