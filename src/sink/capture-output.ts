import { closeSync, openSync } from 'node:fs';
import { InputError } from '../model/errors.js';
import type { Frame } from '../model/frame.js';
import type { OutputCounters } from '../model/status.js';
import { describeIoError } from '../source/byte-reader.js';
import { TLS_KEY_LOG } from '../source/pcapng.js';
import { PcapngWriter } from './pcapng-writer.js';
import type { OutputSink } from './output.js';
import { PcapWriter, type CaptureWriter } from './pcap-writer.js';

const LINKTYPE_ETHERNET = 1;

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

  /** Fails at start, not at the first packet, when the file cannot be written. */
  constructor(
    private readonly path: string,
    private readonly opts: { pcapng: boolean; secrets?: () => string | undefined },
    private readonly warn: (text: string) => void,
  ) {
    try {
      closeSync(openSync(path, 'a'));
    } catch (err) {
      throw new InputError(`cannot write ${path}: ${describeIoError(err)}`);
    }
  }

  frame(f: Frame): void {
    if (this.failed || this.closed) return;
    const writer = this.writer ?? this.open(f.linktype);
    if (!writer) return;
    const before = writer.error;
    const secrets = writer instanceof PcapngWriter ? this.opts.secrets?.() : undefined;
    // Before the frame that needed them, so Wireshark decrypts the file as it reads it.
    if (secrets !== undefined) (writer as PcapngWriter).writeSecrets(TLS_KEY_LOG, secrets);
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
    try {
      this.writer = this.opts.pcapng ? PcapngWriter.open(this.path, linktype) : PcapWriter.open(this.path, linktype, { nanosecond: true });
      return this.writer;
    } catch (err) {
      if (!(err instanceof InputError)) throw err;
      this.warn(err.message);
      this.failed = true;
      return undefined;
    }
  }

  status(): OutputCounters {
    const errors = (this.failed || this.writer?.error ? 1 : 0) + (this.writer instanceof PcapWriter ? this.writer.refused : 0);
    return { label: `-O ${this.path}`, written: this.writer?.packets ?? 0, errors };
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
