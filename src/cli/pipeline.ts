import type { MessageId } from '../model/ids.js';
import type { Frame, FrameSource, SourceEnd } from '../model/frame.js';
import type { CaptureStatus } from '../model/status.js';
import { Decoder } from '../decode/decoder.js';
import { Store } from '../store/store.js';
import { MediaStore } from '../media/media-store.js';
import { Diagnosis } from '../diagnose/engine.js';
import { RULES } from '../diagnose/registry.js';
import { MediaPlane } from '../media/media-plane.js';
import { FaxStore } from '../media/fax-store.js';
import type { Datagram, UdpView } from '../model/datagram.js';
import { isSipPort, maySipStart, scanPlaces, type HeaderNames, type ScanPlaces, type SipScan, type SipScanSkip } from '../sip/message.js';
import type { SipMessage } from '../model/sip.js';
import { compileMatch } from '../store/filter-match.js';
import type { OutputSink } from '../sink/output.js';
import type { Options } from './options.js';
import { openSinks } from './sinks.js';
import { openTlsSecrets, TLS_KEY_LOG } from './tls-secrets.js';
import type { TlsSecrets } from '../decode/tls-keys.js';
import { HepLogs } from '../store/hep-logs.js';
import { NO_TEXT_KEYS, type TextKeys } from '../store/string-table.js';
import type { DecodedSink } from './decoded-records.js';
import { DecodeThread, decodesOffThread } from './decode-thread.js';
import { localInput } from './open-input.js';

/** Warnings kept for the header and the exit; a long-running capture must not grow them without end. */
const MAX_WARNINGS = 100;
/** Frames a file's lead-in decodes here before the decoding thread may take over: enough to tell SIP from media. */
const LEAD_SAMPLE_FRAMES = 2048;
/** What a decoding thread found of a payload (Store.addScanned). */
interface Scanned {
  scan: SipScan | SipScanSkip;
  names: HeaderNames;
  places: ScanPlaces;
  hash: number;
  keys: Readonly<TextKeys>;
}

/** Stands for the frame being decoded when another thread decodes it: only whether there is one matters then. */
const ELSEWHERE: Frame = { index: 0, ts: 0n, linktype: 0, data: Buffer.alloc(0), origLen: 0, fileOffset: -1 };

/**
 * source → decode → store, with the output sinks (-O, -H) fed beside the decoder. One instance
 * per run; both the headless runner and the TUI read it.
 */
export class Pipeline {
  readonly store: Store;
  /** RTP/RTCP streams and their statistics, always. */
  readonly plane: MediaPlane;
  /** RTP and other media of the dialogs, kept only with -r. */
  readonly media: MediaStore | undefined;
  /** The rules, fed by the store's dialog changes; findings go back into the store. */
  readonly diagnosis: Diagnosis;
  /** T.38 sessions and the switch to T.38, always followed (cheap: only SDP-announced ports are looked at). */
  readonly fax: FaxStore;
  /** Log messages HEP agents sent for calls (type 100), by Call-ID. */
  readonly logs = new HepLogs();
  private readonly decoder: Decoder;
  /** Reading and decoding on a second thread, when the options let it (decode-thread.ts); else both here. */
  private readonly thread: DecodeThread | undefined;
  private readonly sinks: OutputSink[];
  /** The sinks that want stored SIP messages, and those that may hold the source back, looked up once. */
  private readonly messageSinks: OutputSink[];
  private readonly backedUp: OutputSink[];
  private readonly tls: TlsSecrets;
  /** TLS secrets sessions used (key log lines), once each, in the order first used. */
  private readonly tlsUsed = new Set<string>();
  private readonly tlsLines: string[] = [];
  private readonly warnings: string[] = [];
  private bytesRead = 0;
  private bytesTotal = 0;
  private frames = 0;
  private done = false;
  private rate = { at: Date.now(), frames: 0, perSecond: 0 };
  /** The frame being decoded: media keeping needs it in the datagram callback. */
  private current: Frame | undefined;
  /** The decoding thread took over from the frames decoded here first (leadsIn): what this thread's source still reads is not used. */
  private handedOver = false;
  /** A file's lead-in found mostly media: this thread decodes it all, and the decoding thread was stopped. */
  private keptHere = false;
  /** The source of those first frames while it is read (close() stops it too). */
  private lead: FrameSource | undefined;
  private closed = false;
  private markOpened!: () => void;
  /**
   * Resolves once the input has proved readable: a file's first frame, a live source's open
   * device, socket or stream header. Until then a failure of run() is a refusal of the input.
   */
  readonly opened = new Promise<void>((resolve) => (this.markOpened = resolve));

  /**
   * tuning.handOverAt (tests): the decoding thread is used for a file of any size, and takes over
   * after exactly this many frames, not when it is ready.
   */
  constructor(
    readonly source: FrameSource,
    private readonly opts: Options,
    private readonly tuning: { handOverAt?: number } = {},
  ) {
    this.plane = new MediaPlane((reason) => this.store.skip(reason));
    this.fax = new FaxStore((reason) => this.store.skip(reason));
    this.store = new Store({
      media: this.plane,
      fax: this.fax,
      readAt: source.readAt?.bind(source),
      limit: opts.limit || undefined,
      rotate: opts.rotate,
      invitesOnly: opts.invitesOnly,
      match: opts.match ? compileMatch(opts.match, { ignoreCase: opts.matchIgnoreCase, invert: opts.matchInvert }) : undefined,
    });
    // Headless prints findings only at the end: finish() looks at every dialog then, so none is marked before.
    this.diagnosis = new Diagnosis(this.store, opts.diag, (id) => this.fax.findings(id), opts.diagnose ? RULES : [], !opts.headless);
    // A file can wait for a paced -H; live traffic cannot be held back.
    this.sinks = openSinks(opts, { warn: (text) => this.warn(text), secrets: () => this.tlsLines, canWait: !source.live });
    this.messageSinks = this.sinks.filter((s) => s.message);
    this.backedUp = this.sinks.filter((s) => s.backlog);
    const rtcpSinks = this.sinks.filter((s) => s.rtcp);
    if (rtcpSinks.length > 0) {
      this.plane.onRtcp = (u, dialog) => {
        const callId = this.store.dialog(dialog)?.callId;
        if (callId !== undefined) for (const s of rtcpSinks) s.rtcp!(u, callId);
      };
    }
    this.media = opts.rtp ? new MediaStore() : undefined;
    this.tls = openTlsSecrets(opts.keys, opts.keylog, (line) => {
      if (this.tlsUsed.has(line)) return;
      this.tlsUsed.add(line);
      this.tlsLines.push(line);
    });
    this.decoder = new Decoder({
      datagram: (d) => this.ingest(d),
      udp: (u) => this.udp(u),
      skip: (reason, detail) => this.store.skip(reason, detail),
    }, this.tls);
    this.thread = decodesOffThread(opts, tuning.handOverAt !== undefined) ? new DecodeThread(opts) : undefined;
    // The thread loads and reads while the caller still sets up (the screen's first frame does not wait for its start).
    // A file's lead-in starts it once its first frames show SIP (readHere): a capture full of RTP never pays for it.
    if (this.thread !== undefined && (!this.thread.leadsIn || tuning.handOverAt !== undefined)) this.thread.start();
  }

  /** Whether a second thread reads and decodes the input (decode-thread.ts), or this one does (also when a file's lead-in kept it here). */
  get decodesOffThread(): boolean {
    return this.thread !== undefined && !this.keptHere;
  }

  /** Reads the source to its end (or until stop()); resolves with what the source reported. */
  async run(): Promise<SourceEnd> {
    const end = this.thread !== undefined ? await this.readThere(this.thread) : await this.readHere(this.source);
    this.done = true;
    if (end.truncated) this.warn(end.truncated);
    for (const w of end.warnings ?? []) this.warn(w);
    return end;
  }

  /**
   * The decoding thread's run. A file's first frames are decoded here, from a source of their own
   * (this.source serves the store's reads): the first rows do not wait for the thread, and they tell
   * whether to start it at all (readHere). Once it is ready it takes over after the frame decoded
   * last; a small file, or one full of media, ends here.
   */
  private async readThere(thread: DecodeThread): Promise<SourceEnd> {
    if (thread.leadsIn) {
      const lead = (this.lead = localInput(this.opts)!);
      let here: SourceEnd;
      try {
        here = await this.readHere(lead, thread);
      } catch (err) {
        thread.stop();
        throw err;
      } finally {
        // Only the lead-in reads through it: this.source serves the store's reads.
        lead.stop();
        lead.release?.();
        this.lead = undefined;
      }
      // Closed meanwhile (q, a signal): the run ends where this thread got to, as with one thread.
      if (!this.handedOver || this.closed) {
        thread.stop();
        return here;
      }
    }
    return thread.run(this.decoded, this.frames);
  }

  /** Reads `source` to its end, or (with `thread`) until that thread takes over. */
  private async readHere(source: FrameSource, thread?: DecodeThread): Promise<SourceEnd> {
    const at = this.tuning.handOverAt;
    const end = await source.start({
      frame: (f) => {
        if (this.handedOver) return;
        this.frame(f);
        if (thread === undefined || (at !== undefined ? this.frames < at : this.frames < LEAD_SAMPLE_FRAMES)) return;
        if (at === undefined && !thread.forced && !this.mostlySip()) {
          // Media dominates what was decoded here: records of it cost the two threads more than one spends decoding it.
          thread.stop();
          thread = undefined;
          this.keptHere = true;
          return;
        }
        thread.start();
        if (at === undefined && !thread.ready) return;
        this.handedOver = true;
        source.stop();
      },
      // A file has proved itself only with a frame: a good header before a corrupt first record is still bad input.
      // A live capture knows its link type before the first packet: -O writes its header now, so even a SIGKILL leaves a valid file.
      opened: (linktype) => {
        if (this.source.live) this.markOpened();
        if (linktype !== undefined) for (const s of this.sinks) s.opened?.(linktype);
      },
      secrets: (type, data) => {
        if (type === TLS_KEY_LOG && !this.handedOver) this.tls.addAll(data.toString('latin1'));
      },
      progress: (read, total) => {
        if (this.handedOver) return;
        this.bytesRead = read;
        this.bytesTotal = total;
      },
      skip: (reason) => {
        if (!this.handedOver) this.store.skip(reason);
      },
      warn: (text) => {
        if (!this.handedOver) this.warn(text);
      },
      hepLog: (callId, ts, node, text) => this.logs.add(callId, { ts, node, text }),
      backlog: () => {
        for (const s of this.backedUp) {
          const wait = s.backlog!();
          if (wait !== undefined) return wait;
        }
        return undefined;
      },
    });
    // What the decoder holds (stream tails) the thread has too, and flushes at the end.
    if (!this.handedOver) this.decoder.flush();
    return end;
  }

  /** Whether SIP messages are at least a quarter of the frames decoded so far (a signalling capture, not one full of RTP). */
  private mostlySip(): boolean {
    return this.store.messageCount() * 4 >= this.frames;
  }

  /** The one record of what the decoding thread found of a payload, refilled per datagram. */
  private readonly scanned: Scanned = { scan: 'not-sip', names: { mask: 0, others: [], identities: [] }, places: scanPlaces(), hash: 0, keys: NO_TEXT_KEYS };

  /** What the decoding thread found, handed on as the in-thread decoder would (frame(), udp(), ingest()). */
  private readonly decoded: DecodedSink = {
    frames: (n) => {
      if (this.frames === 0) this.markOpened();
      for (; this.frames < n; this.frames++) this.store.countFrame();
    },
    udp: (u, inFrame) => {
      this.current = inFrame ? ELSEWHERE : undefined;
      const taken = this.udp(u);
      this.current = undefined;
      return taken;
    },
    datagram: (d, inFrame, scan, names, places, hash, keys) => {
      const s = this.scanned;
      s.scan = scan;
      s.names = names;
      s.places = places;
      s.hash = hash;
      s.keys = keys;
      this.current = inFrame ? ELSEWHERE : undefined;
      this.ingest(d, s);
      this.current = undefined;
    },
    skip: (reason, detail) => this.store.skip(reason, detail),
    event: (e) => {
      if (e.type === 'progress') {
        this.bytesRead = e.read;
        this.bytesTotal = e.total;
      } else if (e.type === 'warn') this.warn(e.text);
      else if (e.type === 'opened' && this.source.live) this.markOpened();
    },
  };

  private warn(text: string): void {
    if (this.warnings.length >= MAX_WARNINGS) this.warnings.shift();
    this.warnings.push(text);
  }

  private frame(f: Frame): void {
    if (this.frames === 0) this.markOpened();
    this.frames++;
    this.store.countFrame();
    this.current = f;
    this.decoder.push(f);
    this.current = undefined;
    // Indexed: for…of builds an iterator per frame until the optimiser gets to this loop.
    for (let i = 0; i < this.sinks.length; i++) this.sinks[i]!.frame?.(f);
  }

  /**
   * The decoder's lane for plain UDP (without -r, off T.38 ports): media of announced endpoints,
   * and payloads that cannot be SIP off the SIP ports (unannounced RTP, or traffic nobody asked
   * about), go to the plane alone: no Datagram, no payload view, no SIP check for them.
   */
  private udp(u: UdpView): boolean {
    if (this.media !== undefined || this.current === undefined || this.fax.watches(u.sport, u.dport)) return false;
    const plain = !maySipStart(u.buf, u.off, u.end) && !isSipPort(u.sport) && !isSipPort(u.dport);
    return this.plane.offerUdp(u, plain) !== -1 || plain;
  }

  /**
   * Media of announced endpoints goes to the plane without a SIP parse (without a Datagram even,
   * through the decoder's udp() lane, unless -r keeps it or it may be T.38); the rest to the store, and
   * what it kept to the message sinks (-H). SIP messages teach the plane (through the store) and
   * fax their endpoints and hosts; what is neither may still be unannounced RTP, or T.38. A decoding
   * thread hands the payload's scanSip result with it (`scanned`).
   */
  private ingest(d: Datagram, scanned?: Scanned): void {
    const plane = this.plane;
    let dialog = plane.offer(d, true);
    // RTCP from a HEP agent for media no SDP announced: counted, not parsed as SIP.
    if (dialog === -1 && d.rtcp === true) return this.store.skip('hep-rtcp-unmatched');
    if (dialog === -1) {
      const store = this.store;
      const before = store.messageCount() as MessageId;
      const firstId = store.firstId;
      if (scanned === undefined) store.addDatagram(d);
      else store.addScanned(d, scanned.scan, scanned.names, scanned.places, scanned.hash, scanned.keys);
      if (store.messageCount() > before) {
        for (const s of this.messageSinks) s.message!(d);
        if (this.fax.wants(store.messageDialog(before), store.lastSdp())) {
          const m = store.message(before);
          this.fax.sip(m, m.hasSdp ? d.payload : undefined, this.earlierSdp);
        }
        if (store.firstId !== firstId) {
          plane.forgetBefore(store.firstId);
          this.fax.forgetBefore(store.firstId);
        }
        return;
      }
      dialog = plane.offer(d);
    }
    // Datagrams completed by flush() have no current frame; they are stream tails, not media.
    if (!this.current) return;
    this.fax.offer(d);
    if (dialog !== -1 && this.media) this.media.keep(dialog, d, this.current);
  }

  /** The SDP messages of `m`'s dialog before it (bytes from the store; read only when a dialog first offers T.38). */
  private readonly earlierSdp = (m: SipMessage): Buffer[] => {
    const ids = this.store.dialog(m.dialog)?.messages ?? [];
    return ids.filter((id) => id !== m.id && this.store.message(id).hasSdp).map((id) => this.store.messageBytes(id));
  };

  status(): CaptureStatus {
    const now = Date.now();
    if (now - this.rate.at >= 1000) {
      this.rate = { at: now, frames: this.frames, perSecond: Math.round(((this.frames - this.rate.frames) * 1000) / (now - this.rate.at)) };
    }
    const counters = this.source.stats?.();
    return {
      // A stream that ended (tcpdump on stdin exited) is as offline as a file.
      mode: this.source.live && !this.done ? 'Online' : 'Offline',
      input: this.source.name,
      bpf: this.opts.bpf,
      match: this.opts.match,
      bytesRead: this.bytesRead,
      bytesTotal: this.bytesTotal,
      frames: this.frames,
      framesPerSecond: this.rate.perSecond,
      received: counters?.received,
      dropped: counters ? counters.dropped + counters.ifDropped : undefined,
      outputs: this.sinks.map((s) => s.status()),
      done: this.done,
      warnings: this.warnings,
    };
  }

  /** SIGUSR1: the file sinks start their file again (logrotate), the capture goes on. */
  reopenOutputs(): void {
    for (const s of this.sinks) s.reopen?.();
  }

  /**
   * Ends the reading (a signal): run() resolves with what was read so far, and message bytes can
   * still be read back from the file to finish the run; close() follows. Safe to call more than once.
   */
  stop(): void {
    this.closed = true;
    this.source.stop();
    this.lead?.stop();
    this.thread?.stop();
  }

  /** Stops the source, releases the file and closes the output sinks; safe to call more than once. */
  close(): void {
    this.stop();
    this.source.release?.();
    for (const s of this.sinks) s.close();
  }
}
