import type { MessageId } from '../model/ids.js';
import { closeSync, openSync } from 'node:fs';
import type { Frame, FrameSource, SourceEnd } from '../model/frame.js';
import { InputError } from '../model/errors.js';
import type { CaptureStatus } from '../model/status.js';
import { Decoder } from '../decode/decoder.js';
import { Store } from '../store/store.js';
import { MediaStore } from '../media/media-store.js';
import { Diagnosis } from '../diagnose/engine.js';
import type { Datagram } from '../model/datagram.js';
import { compileMatch } from '../store/filter-match.js';
import { PcapWriter } from '../sink/pcap-writer.js';
import { PcapngWriter } from '../sink/pcapng-writer.js';
import type { LiveSource } from '../source/live-pcap.js';
import { describeIoError } from '../source/byte-reader.js';
import type { Options } from './options.js';
import { openTlsSecrets, TLS_KEY_LOG } from './tls-secrets.js';
import type { TlsSecrets } from '../decode/tls-keys.js';

type Writer = PcapWriter | PcapngWriter;

/**
 * source → decode → store, with the -O writer beside the decoder. One instance per run;
 * both the headless runner and the TUI read it.
 */
export class Pipeline {
  readonly store: Store;
  /** RTP and other media of the dialogs, kept only with -r. */
  readonly media: MediaStore | undefined;
  /** The rules, fed by the store's dialog changes; findings go back into the store. */
  readonly diagnosis: Diagnosis;
  private readonly decoder: Decoder;
  private readonly tls: TlsSecrets;
  /** TLS secrets sessions used (key log lines), and how many of them -O has written. */
  private readonly tlsUsed = new Set<string>();
  private tlsWritten = 0;
  private writer: Writer | undefined;
  private readonly warnings: string[] = [];
  private bytesRead = 0;
  private bytesTotal = 0;
  private frames = 0;
  private done = false;
  private closed = false;
  /** The -O file could not even be started; nothing more is tried. */
  private outputFailed = false;
  private rate = { at: Date.now(), frames: 0, perSecond: 0 };
  /** The frame being decoded: media keeping needs it in the datagram callback. */
  private current: Frame | undefined;

  constructor(
    readonly source: FrameSource,
    private readonly opts: Options,
  ) {
    this.store = new Store({
      readAt: source.readAt?.bind(source),
      limit: opts.limit || undefined,
      rotate: opts.rotate,
      invitesOnly: opts.invitesOnly,
      match: opts.match ? compileMatch(opts.match, { ignoreCase: opts.matchIgnoreCase, invert: opts.matchInvert }) : undefined,
    });
    this.diagnosis = new Diagnosis(this.store, opts.diag);
    if (opts.output) checkWritable(opts.output);
    this.media = opts.rtp ? new MediaStore() : undefined;
    this.tls = openTlsSecrets(opts.keys, opts.keylog, (line) => this.tlsUsed.add(line));
    this.decoder = new Decoder({
      datagram: this.media ? (d) => this.keepMedia(d, this.media!) : (d) => this.store.addDatagram(d),
      skip: (reason) => this.store.skip(reason),
    }, this.tls);
  }

  /** Reads the source to its end (or until stop()); resolves with what the source reported. */
  async run(): Promise<SourceEnd> {
    const end = await this.source.start({
      frame: (f) => this.frame(f),
      secrets: (type, data) => {
        if (type === TLS_KEY_LOG) this.tls.addAll(data.toString('latin1'));
      },
      progress: (read, total) => {
        this.bytesRead = read;
        this.bytesTotal = total;
      },
    });
    this.decoder.flush();
    this.done = true;
    if (end.truncated) this.warnings.push(end.truncated);
    return end;
  }

  private frame(f: Frame): void {
    this.frames++;
    this.store.countFrame();
    this.current = f;
    this.decoder.push(f);
    this.current = undefined;
    if (this.opts.output) this.save(f);
  }

  /** -r: SDP teaches the media store its endpoints; datagrams that are not SIP are offered to it. */
  private keepMedia(d: Datagram, media: MediaStore): void {
    const before = this.store.messageCount();
    this.store.addDatagram(d);
    if (this.store.messageCount() > before) {
      const m = this.store.message(before as MessageId);
      if (m.hasSdp) media.learn(m.dialog, d.payload);
    } else if (this.current) {
      // Datagrams completed by flush() have no current frame; they are stream tails, not RTP.
      media.offer(d, this.current);
    }
  }

  private save(f: Frame): void {
    if (this.outputFailed) return;
    let writer = this.writer;
    if (!writer) {
      try {
        writer = this.writer = this.openWriter(f.linktype);
      } catch (err) {
        // Disk full or permission lost since start: say so and keep capturing, as for a later write error.
        if (!(err instanceof InputError)) throw err;
        this.warnings.push(err.message);
        this.outputFailed = true;
        return;
      }
    }
    const before = writer.error;
    if (writer instanceof PcapngWriter && this.tlsUsed.size > this.tlsWritten && !this.opts.stripSecrets) {
      // Before the frame that needed them, so Wireshark decrypts the file as it reads it.
      writer.writeSecrets(TLS_KEY_LOG, `${[...this.tlsUsed].slice(this.tlsWritten).join('\n')}\n`);
      this.tlsWritten = this.tlsUsed.size;
    }
    writer.write(f);
    if (!before && writer.error) this.warnings.push(writer.error);
  }

  /** pcap needs the link type in its header, so the -O file is written from the first frame on. */
  private openWriter(linktype: number): Writer {
    return this.opts.pcapng
      ? PcapngWriter.open(this.opts.output, linktype)
      : PcapWriter.open(this.opts.output, linktype, { nanosecond: true });
  }

  status(): CaptureStatus {
    const now = Date.now();
    if (now - this.rate.at >= 1000) {
      this.rate = { at: now, frames: this.frames, perSecond: Math.round(((this.frames - this.rate.frames) * 1000) / (now - this.rate.at)) };
    }
    return {
      mode: this.source.live ? 'Online' : 'Offline',
      input: this.source.name,
      bpf: this.opts.bpf,
      match: this.opts.match,
      bytesRead: this.bytesRead,
      bytesTotal: this.bytesTotal,
      frames: this.frames,
      framesPerSecond: this.rate.perSecond,
      dropped: this.dropped(),
      done: this.done,
      warnings: this.warnings,
    };
  }

  /** libpcap's drop counter, for live captures. */
  private dropped(): number | undefined {
    const counters = (this.source as Partial<LiveSource>).stats?.();
    return counters ? counters.dropped + counters.ifDropped : undefined;
  }

  /** Stops the source and closes the -O file; safe to call more than once. */
  close(): void {
    this.source.stop();
    // Nothing captured yet: still leave a valid, empty capture file behind.
    if (this.opts.output && !this.writer && !this.closed && !this.outputFailed) this.writer = this.openWriter(LINKTYPE_ETHERNET);
    this.closed = true;
    this.writer?.close();
  }
}

const LINKTYPE_ETHERNET = 1;

/** Fails at start, not at the first packet, when -O cannot be written. */
function checkWritable(path: string): void {
  try {
    closeSync(openSync(path, 'a'));
  } catch (err) {
    throw new InputError(`cannot write ${path}: ${describeIoError(err)}`);
  }
}
