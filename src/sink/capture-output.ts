import { closeSync, openSync, rmSync } from 'node:fs';
import { extname } from 'node:path';
import { InputError } from '../model/errors.js';
import type { Frame } from '../model/frame.js';
import type { OutputCounters } from '../model/status.js';
import { describeIoError } from '../source/byte-reader.js';
import { TLS_KEY_LOG } from '../source/pcapng.js';
import { PcapngWriter } from './pcapng-writer.js';
import type { OutputSink } from './output.js';
import { PcapWriter, type CaptureWriter } from './pcap-writer.js';

const LINKTYPE_ETHERNET = 1;
/** Bytes a pcap record adds to its frame (the record header), and the file header. */
const RECORD_HEADER = 16;
const FILE_HEADER = 24;

/**
 * -O rotation: start the next file past a size or an age, keep the last `files` (0: all). The age is
 * wall time for live input (a HEP agent's or a paced file's packet times say nothing about when to
 * start the next file) and capture time for files (`-I day.pcap -O hour.pcap --rotate-time 1h` cuts
 * the day into capture hours). A file is started with the first packet past the interval.
 */
export interface Rotation {
  sizeBytes: number;
  intervalNs: bigint;
  files: number;
}

/** The n-th file of a rotating -O PATH: `capture.pcap` → `capture.1.pcap`, `capture.2.pcap` … */
export function rotatedPath(path: string, n: number): string {
  const ext = extname(path);
  return ext === '' ? `${path}.${n}` : `${path.slice(0, -ext.length)}.${n}${ext}`;
}

/**
 * -O: every frame read goes to a pcap (nanosecond) or pcapng file. pcap needs the link type in
 * its header, so the file is written once the source names it (a live capture, at open) or from
 * the first frame on; a capture that saw nothing still leaves a valid, empty file. A pcap file
 * converts frames of another link type that carry IP, and names the ones it could not keep. Failing to write (disk full, permission lost) warns once and the
 * capture goes on.
 */
export class CaptureOutput implements OutputSink {
  private writer: CaptureWriter | undefined;
  /** The file could not even be started; nothing more is tried. */
  private failed = false;
  private closed = false;
  private refusedWarned = false;
  /** Rotation: the file's number (0 without rotation), its first frame's time, its bytes so far, the files kept. */
  private index = 0;
  private fileStart: bigint | undefined;
  private bytes = 0;
  private readonly kept: string[] = [];
  private linktype = LINKTYPE_ETHERNET;
  /** Frames in files already closed. */
  private writtenBefore = 0;
  /** TLS key log lines already in the current file: each new file (rotation, SIGUSR1) gets them all again. */
  private secretsWritten = 0;

  /** Fails at start, not at the first packet, when the file cannot be written. */
  constructor(
    private readonly path: string,
    private readonly opts: { pcapng: boolean; secrets?: () => readonly string[]; rotation?: Rotation; clock?: () => bigint },
    private readonly warn: (text: string) => void,
  ) {
    if (opts.rotation) this.index = 1;
    const first = this.currentPath();
    try {
      closeSync(openSync(first, 'a'));
    } catch (err) {
      throw new InputError(`cannot write ${first}: ${describeIoError(err)}`);
    }
  }

  private currentPath(): string {
    return this.index === 0 ? this.path : rotatedPath(this.path, this.index);
  }

  /** Time for the next file: this frame would pass the size, or the file is older than the interval. */
  private due(f: Frame): boolean {
    const r = this.opts.rotation;
    if (!r || !this.writer || this.writer.packets === 0) return false;
    if (r.sizeBytes > 0 && this.bytes + f.data.length + RECORD_HEADER > r.sizeBytes) return true;
    return r.intervalNs > 0n && this.fileStart !== undefined && this.now(f) - this.fileStart >= r.intervalNs;
  }

  /** What --rotate-time measures a file's age in: the clock given (wall time, live), else the frame's capture time. */
  private now(f: Frame): bigint {
    return this.opts.clock?.() ?? f.ts;
  }

  /**
   * SIGUSR1 (logrotate): closes the file and starts a new one: the same path again (the old file was
   * moved away), or with rotation the next numbered file.
   */
  reopen(): void {
    if (this.closed || this.failed) return;
    this.next();
  }

  private next(): void {
    if (this.writer) {
      this.writtenBefore += this.writer.packets;
      this.writer.close();
      this.writer = undefined;
    }
    if (this.opts.rotation) this.index++;
    this.open(this.linktype);
  }

  frame(f: Frame): void {
    if (this.failed || this.closed) return;
    if (this.due(f)) this.next();
    const writer = this.writer ?? this.open(f.linktype);
    if (!writer) return;
    this.fileStart ??= this.now(f);
    this.bytes += f.data.length + RECORD_HEADER;
    const before = writer.error;
    const secrets = writer instanceof PcapngWriter ? this.opts.secrets?.() : undefined;
    // Before the frame that needed them, so Wireshark decrypts the file as it reads it; each file on its own.
    if (secrets !== undefined && secrets.length > this.secretsWritten) {
      (writer as PcapngWriter).writeSecrets(TLS_KEY_LOG, `${secrets.slice(this.secretsWritten).join('\n')}\n`);
      this.secretsWritten = secrets.length;
    }
    writer.write(f);
    if (!before && writer.error) this.warn(writer.error);
    if (!this.refusedWarned && writer instanceof PcapWriter && writer.refused > 0) {
      // -d any with -L mixes link types (SLL and raw IP); what carries IP is converted, the rest one pcap file cannot hold.
      this.refusedWarned = true;
      this.warn(`${this.path}: frames of a second link type that carry no IP are not written to pcap (use --pcapng)`);
    }
  }

  /** The source's link type is known before its first frame: the file and its header are written now. */
  opened(linktype: number): void {
    if (!this.writer && !this.failed && !this.closed) this.open(linktype);
  }

  private open(linktype: number): CaptureWriter | undefined {
    const path = this.currentPath();
    try {
      this.linktype = linktype;
      this.writer = this.opts.pcapng ? PcapngWriter.open(path, linktype) : PcapWriter.open(path, linktype, { nanosecond: true });
      this.fileStart = undefined;
      this.bytes = FILE_HEADER;
      this.secretsWritten = 0;
      this.keep(path);
      return this.writer;
    } catch (err) {
      if (!(err instanceof InputError)) throw err;
      this.warn(err.message);
      this.failed = true;
      return undefined;
    }
  }

  /** --rotate-files N: the oldest numbered file goes when a new one would make N + 1. */
  private keep(path: string): void {
    const limit = this.opts.rotation?.files ?? 0;
    if (this.kept[this.kept.length - 1] !== path) this.kept.push(path);
    while (limit > 0 && this.kept.length > limit) rmSync(this.kept.shift()!, { force: true });
  }

  status(): OutputCounters {
    const errors = (this.failed || this.writer?.error ? 1 : 0) + (this.writer instanceof PcapWriter ? this.writer.refused : 0);
    return { label: `-O ${this.path}`, written: this.writtenBefore + (this.writer?.packets ?? 0), errors };
  }

  close(): void {
    if (this.closed) return;
    if (!this.writer && !this.failed) this.open(LINKTYPE_ETHERNET);
    this.closed = true;
    this.writer?.close();
    const w = this.writer;
    if (w instanceof PcapWriter && w.refused > 0) {
      const kinds = [...w.refusedByLinktype].map(([lt, n]) => `${n} of link type ${lt}`).join(', ');
      this.warn(`${this.path}: ${w.refused} frame${w.refused === 1 ? '' : 's'} not written (${kinds}): a pcap file holds only link type ${w.linktype}; use --pcapng to keep every frame`);
    }
  }
}
