/**
 * Runs the rules over dialogs as they change and hands the findings back to the store. The store
 * only says which dialog a message joined; the engine marks the dialog and looks again when asked
 * (runPending, from the TUI's timer; finish at the end of input), so a dialog costs one look however
 * many messages arrived in between, and a very long dialog is read only up to MAX_MESSAGES. A look
 * reads the dialog's summary (summary.ts: a few bits from the store's columns) and builds the
 * evidence and runs a rule only when the summary leaves that rule something to find
 * (Rule.mayFire): calls that went well cost no more than their summary.
 */
import type { Finding } from '../model/finding.js';
import type { DialogId, MessageId } from '../model/ids.js';
import type { Dialog, MessageFacts, SipMessage } from '../model/sip.js';
import type { RtpStreamInfo } from '../model/media.js';
import type { FaxFinding } from '../media/fax-store.js';
import type { ParsedSip } from '../sip/message.js';
import type { SdpFacts } from '../sip/sdp-facts.js';
import { RULES } from './registry.js';
import type { Rule } from './rule.js';
import { SummaryPass, SummaryReader, type DialogSummary, type Writable } from './summary.js';
import { PendingMarks } from './pending.js';
import { DEFAULT_THRESHOLDS, type DialogEvidence, type DiagnoseThresholds } from './rule.js';
import { transactionsOf } from './transactions.js';
import type { ListIndexView } from '../store/dialog-columns.js';
import { blankMessage } from '../store/store.js';

/** Messages of one dialog the rules read; the rest of a dialog of thousands of NOTIFYs adds nothing they look for. */
export const MAX_MESSAGES = 512;

/** finish(until) looks at the clock every this + 1 dialogs (a look costs ~15 µs). */
const FINISH_CLOCK_EVERY = 0xf;

/** Media addresses remembered for no-media; past this the capture is big enough that any host counts as seen. */
const MAX_MEDIA_HOSTS = 65_536;

/** The streams of the many dialogs that have none. */
const NO_STREAMS: readonly RtpStreamInfo[] = [];

/** What the engine needs of the store. */
export interface DiagnoseTarget {
  readonly firstId: DialogId;
  dialogCount(): number;
  dialog(id: DialogId): Dialog | undefined;
  dialogEnd(id: DialogId): bigint;
  messageCount(): number;
  messageDialog(id: MessageId): DialogId;
  readonly listIndex: ListIndexView;
  /** Message `id` filled into `out` (the engine reuses its objects from one dialog to the next). */
  messageInto(id: MessageId, out: SipMessage): SipMessage;
  messageFacts(id: MessageId, out: MessageFacts): MessageFacts;
  parsed(id: MessageId): ParsedSip;
  messageBytes(id: MessageId): Buffer;
  sdpFacts(id: MessageId): SdpFacts | undefined;
  sdpCodecKey(id: MessageId): number;
  viaMayHaveReceived(id: MessageId): boolean;
  messageHeaderMask(id: MessageId): number;
  reasonPhrase(id: MessageId): string;
  reasonHeader(id: MessageId): string | undefined;
  headerMask(id: DialogId): number;
  streamCount(id: DialogId): number;
  streams(id: DialogId): readonly RtpStreamInfo[];
  setFindings(id: DialogId, list: readonly Finding[]): void;
  onDialogChange(fn: ((id: DialogId) => void) | undefined): void;
}

export class Diagnosis {
  /** Dialogs waiting for a look, oldest change first, each once (the marks say which are in it). */
  private queue: DialogId[] = [];
  private head = 0;
  private now = 0n;
  private ended = false;
  /**
   * How far a finish() that ran out of time got: dialogs below `scanned` were scanned, `pass` read
   * the summaries (once the scan is done), dialogs below `looked` were looked at.
   */
  private finishing: { scanned: number; pass: SummaryPass | undefined; summed: boolean; looked: number } | undefined;
  private readonly mediaHosts = new Set<string>();
  private readonly marks = new PendingMarks();
  private readonly summaries: SummaryReader;
  /** One object each, refilled per message and per look, so neither allocates. */
  private readonly facts: MessageFacts = { at: 0, src: '', dst: '', method: '', status: 0, cseq: 0, cseqMethod: '', hasSdp: false, retrans: false, viaReceived: false };
  private readonly summary: Writable<DialogSummary> = { flags: 0, failure: 0, headerMask: 0, method: '', streams: 0, faxFindings: 0, mediaHosts: 0 };
  private readonly firing: Rule[] = [];
  /**
   * The evidence's messages: one array and up to MAX_MESSAGES objects, refilled for each dialog
   * looked at (30k on big100k, ~7 messages each): a rule keeps message ids, never the objects.
   */
  private readonly messages: SipMessage[] = [];
  private readonly messagePool: SipMessage[] = [];
  /** Some dialog was handed findings: a look that finds none must clear them. */
  private handedBack = false;
  /** The evidence's reads of single messages, made once rather than per dialog. */
  private readonly parsed = (id: MessageId): ParsedSip => this.store.parsed(id);
  /** The message read last: a rule often reads two headers of one message (Diversion, History-Info). */
  private bytesId = -1;
  private lastBytes: Buffer | undefined;
  private readonly bytes = (id: MessageId): Buffer => {
    if (id !== this.bytesId || this.lastBytes === undefined) {
      this.lastBytes = this.store.messageBytes(id);
      this.bytesId = id;
    }
    return this.lastBytes;
  };
  private readonly sdp = (id: MessageId): SdpFacts | undefined => this.store.sdpFacts(id);
  private readonly viaMayHaveReceived = (id: MessageId): boolean => this.store.viaMayHaveReceived(id);
  private readonly headerMaskOf = (id: MessageId): number => this.store.messageHeaderMask(id);
  private readonly reasonPhrase = (id: MessageId): string => this.store.reasonPhrase(id);
  private readonly reasonHeader = (id: MessageId): string | undefined => this.store.reasonHeader(id);

  constructor(
    private readonly store: DiagnoseTarget,
    private readonly thresholds: DiagnoseThresholds = DEFAULT_THRESHOLDS,
    /** The fax store's findings of a dialog (T.38 switch, T.30 outcome), when there is one. */
    private readonly faxFindings: (id: DialogId) => readonly FaxFinding[] = () => [],
    /** The rules to run: the registry's, or none (--no-diagnose: then the engine does not even follow the messages). */
    private readonly rules: readonly Rule[] = RULES,
    /** False when nothing asks for findings before finish() (headless): no dialog is marked as messages arrive. */
    follow = true,
  ) {
    this.summaries = new SummaryReader(store, BigInt(Math.round(thresholds.setupMs * 1e6)));
    if (rules.length > 0 && follow) store.onDialogChange((id) => this.noteMessage(id));
  }

  /** Dialogs waiting for a look. */
  get pending(): number {
    return this.queue.length - this.head;
  }

  /** Looks at up to `max` changed dialogs (oldest change first); returns how many it looked at. */
  runPending(max = Infinity): number {
    let n = 0;
    while (n < max && this.head < this.queue.length) {
      const id = this.queue[this.head++]!;
      this.marks.unmark(id);
      this.diagnose(id);
      n++;
    }
    if (this.head === this.queue.length) this.dropQueue();
    return n;
  }

  /**
   * The input is over: every held dialog gets a last look, with rules that wait for a silence
   * (no ACK, no response) now allowed to conclude. With `until` (a performance.now() time) it
   * stops once that time has passed and returns false; calling it again goes on where it stopped,
   * so a screen stays answerable while a million dialogs get their look (about 15 s).
   */
  finish(until = Infinity): boolean {
    if (this.rules.length === 0) return true;
    if (!this.ended) {
      this.ended = true;
      for (let k = this.head; k < this.queue.length; k++) this.marks.unmark(this.queue[k]!);
      this.dropQueue();
      this.finishing = { scanned: this.store.firstId, pass: undefined, summed: false, looked: this.store.firstId };
    }
    const f = this.finishing;
    if (f === undefined) return true;
    const end = this.store.firstId + this.store.dialogCount();
    // The latest time and every media host first: the looks below compare against both.
    for (let id = Math.max(f.scanned, this.store.firstId); id < end; id++) {
      const end = this.store.dialogEnd(id as DialogId);
      if (end > this.now) this.now = end;
      if (this.store.streamCount(id as DialogId) > 0) this.noteHosts(this.store.streams(id as DialogId));
      f.scanned = id + 1;
      if ((id & FINISH_CLOCK_EVERY) === 0 && performance.now() > until) return false;
    }
    // Every dialog's summary in one pass over the messages, then a look at each.
    if (!f.summed) {
      f.pass ??= new SummaryPass(this.summaries, this.store, this.store.firstId, this.store.dialogCount(), MAX_MESSAGES);
      if (!f.pass.run(until)) return false;
      f.summed = true;
    }
    for (let id = Math.max(f.looked, this.store.firstId); id < end; id++) {
      this.diagnose(id as DialogId, f.pass);
      f.looked = id + 1;
      if ((id & FINISH_CLOCK_EVERY) === 0 && performance.now() > until) return false;
    }
    this.finishing = undefined;
    return true;
  }

  /** Stops listening to the store. */
  close(): void {
    this.store.onDialogChange(undefined);
  }

  /** Distinct response codes of a held dialog (retransmissions aside), among the messages the rules read. */
  responseCodes(id: DialogId): readonly number[] {
    // Worked out when asked (the triage counts), not kept per dialog: 100k dialogs' lists cost ~15 MB.
    const ids = this.store.dialog(id)?.messages ?? [];
    const codes: number[] = [];
    for (let k = 0; k < Math.min(ids.length, MAX_MESSAGES); k++) {
      const m = this.store.messageFacts(ids[k]!, this.facts);
      if (m.status !== 0 && !m.retrans && !codes.includes(m.status)) codes.push(m.status);
    }
    return codes;
  }

  private dropQueue(): void {
    this.queue = [];
    this.head = 0;
  }

  /** A message joined dialog `id`: the dialog waits for a look. */
  private noteMessage(id: DialogId): void {
    if (this.marks.mark(id, this.store.firstId)) this.queue.push(id);
  }

  private noteHosts(streams: readonly RtpStreamInfo[]): void {
    for (const s of streams) {
      if (this.mediaHosts.size >= MAX_MEDIA_HOSTS) return;
      this.mediaHosts.add(s.src);
      this.mediaHosts.add(s.dst);
    }
  }

  /**
   * Looks at dialog `id`. From finish(), `pass` has its summary already and `now` is the latest
   * time: the dialog object is then read only when a rule may fire, since most dialogs leave none
   * anything to find and a million objects spread over the heap cost a cache miss each.
   */
  private diagnose(id: DialogId, pass?: SummaryPass): void {
    const store = this.store;
    const s = this.summary;
    let dialog: Dialog | undefined;
    let ids: readonly MessageId[] | undefined;
    if (pass === undefined) {
      dialog = store.dialog(id);
      if (!dialog) return;
      if (dialog.end > this.now) this.now = dialog.end;
      s.method = dialog.method;
      ids = dialog.messages;
      this.summaries.summarize(ids, Math.min(ids.length, MAX_MESSAGES), s);
    } else {
      const index = store.listIndex;
      const k = index.slot(id);
      if (k < 0) return;
      s.method = index.str(index.strings('method')[k]!);
      pass.summarize(id, s);
    }
    const streamCount = store.streamCount(id);
    const streams = streamCount > 0 ? store.streams(id) : NO_STREAMS;
    this.noteHosts(streams);
    const fax = this.faxFindings(id);
    s.headerMask = store.headerMask(id);
    s.streams = streamCount;
    s.faxFindings = fax.length;
    s.mediaHosts = this.mediaHosts.size;
    const firing = this.firing;
    firing.length = 0;
    for (const rule of this.rules) if (rule.mayFire(s)) firing.push(rule);
    if (firing.length === 0) {
      // A dialog has findings to drop only once some were handed back.
      if (this.handedBack) store.setFindings(id, []);
      return;
    }
    dialog ??= store.dialog(id)!;
    ids ??= dialog.messages;
    const n = Math.min(ids.length, MAX_MESSAGES);
    const messages = this.messages;
    const pool = this.messagePool;
    messages.length = n;
    for (let k = 0; k < n; k++) {
      pool[k] ??= blankMessage();
      messages[k] = store.messageInto(ids[k]!, pool[k]!);
    }
    const evidence: DialogEvidence = {
      dialog,
      messages,
      transactions: transactionsOf(messages),
      headerMask: s.headerMask,
      parsed: this.parsed,
      bytes: this.bytes,
      sdp: this.sdp,
      viaMayHaveReceived: this.viaMayHaveReceived,
      headerMaskOf: this.headerMaskOf,
      reasonPhrase: this.reasonPhrase,
      reasonHeader: this.reasonHeader,
      streams,
      mediaHosts: this.mediaHosts,
      fax,
      now: this.now,
      ended: this.ended,
      thresholds: this.thresholds,
    };
    const found: Finding[] = [];
    for (const rule of firing) for (const f of rule.check(evidence)) found.push(f);
    if (found.length > 0) this.handedBack = true;
    store.setFindings(id, found);
  }
}
