/**
 * Runs the rules over dialogs as they change and hands the findings back to the store. The store
 * only says which dialog a message joined; the engine marks it and looks again when asked
 * (runPending, from the TUI's timer or the headless end of input), so a dialog costs one pass per
 * look however many messages arrived in between, and a very long dialog is read only up to
 * MAX_MESSAGES.
 */
import type { Finding } from '../model/finding.js';
import type { DialogId, MessageId } from '../model/ids.js';
import type { Dialog, SipMessage } from '../model/sip.js';
import type { RtpStreamInfo } from '../model/media.js';
import type { FaxFinding } from '../media/fax-store.js';
import type { ParsedSip } from '../sip/message.js';
import type { SdpFacts } from '../sip/sdp-facts.js';
import { RULES } from './registry.js';
import { DEFAULT_THRESHOLDS, type DialogEvidence, type DiagnoseThresholds } from './rule.js';
import { transactionsOf } from './transactions.js';

/** Messages of one dialog the rules read; the rest of a dialog of thousands of NOTIFYs adds nothing they look for. */
export const MAX_MESSAGES = 512;

/** finish(until) looks at the clock every this + 1 dialogs (a look costs ~15 µs). */
const FINISH_CLOCK_EVERY = 0xf;

/** Media addresses remembered for no-media; past this the capture is big enough that any host counts as seen. */
const MAX_MEDIA_HOSTS = 65_536;

/** What the engine needs of the store. */
export interface DiagnoseTarget {
  readonly firstId: DialogId;
  dialogCount(): number;
  dialog(id: DialogId): Dialog | undefined;
  message(id: MessageId): SipMessage;
  parsed(id: MessageId): ParsedSip;
  sdpFacts(id: MessageId): SdpFacts | undefined;
  viaMayHaveReceived(id: MessageId): boolean;
  messageHeaderMask(id: MessageId): number;
  reasonPhrase(id: MessageId): string;
  headerMask(id: DialogId): number;
  streamCount(id: DialogId): number;
  streams(id: DialogId): readonly RtpStreamInfo[];
  setFindings(id: DialogId, list: readonly Finding[]): void;
  onDialogChange(fn: ((id: DialogId) => void) | undefined): void;
}

export class Diagnosis {
  private dirty = new Set<DialogId>();
  private now = 0n;
  private ended = false;
  /** How far a finish() that ran out of time got: dialogs below `scanned` were scanned, below `looked` looked at. */
  private finishing: { scanned: number; looked: number } | undefined;
  private readonly mediaHosts = new Set<string>();
  /** The evidence's reads of single messages, made once rather than per dialog. */
  private readonly parsed = (id: MessageId): ParsedSip => this.store.parsed(id);
  private readonly sdp = (id: MessageId): SdpFacts | undefined => this.store.sdpFacts(id);
  private readonly viaMayHaveReceived = (id: MessageId): boolean => this.store.viaMayHaveReceived(id);
  private readonly headerMaskOf = (id: MessageId): number => this.store.messageHeaderMask(id);
  private readonly reasonPhrase = (id: MessageId): string => this.store.reasonPhrase(id);

  constructor(
    private readonly store: DiagnoseTarget,
    private readonly thresholds: DiagnoseThresholds = DEFAULT_THRESHOLDS,
    /** The fax store's findings of a dialog (T.38 switch, T.30 outcome), when there is one. */
    private readonly faxFindings: (id: DialogId) => readonly FaxFinding[] = () => [],
  ) {
    store.onDialogChange((id) => this.dirty.add(id));
  }

  /** Dialogs waiting for a look. */
  get pending(): number {
    return this.dirty.size;
  }

  /** Looks at up to `max` changed dialogs (oldest change first); returns how many it looked at. */
  runPending(max = Infinity): number {
    let n = 0;
    for (const id of this.dirty) {
      if (n >= max) break;
      this.dirty.delete(id);
      this.diagnose(id);
      n++;
    }
    return n;
  }

  /**
   * The input is over: every held dialog gets a last look, with rules that wait for a silence
   * (no ACK, no response) now allowed to conclude. With `until` (a performance.now() time) it
   * stops once that time has passed and returns false; calling it again goes on where it stopped,
   * so a screen stays answerable while a million dialogs get their look (about 15 s).
   */
  finish(until = Infinity): boolean {
    if (!this.ended) {
      this.ended = true;
      this.dirty.clear();
      this.finishing = { scanned: this.store.firstId, looked: this.store.firstId };
    }
    const f = this.finishing;
    if (f === undefined) return true;
    const end = this.store.firstId + this.store.dialogCount();
    // The latest time and every media host first: the looks below compare against both.
    for (let id = Math.max(f.scanned, this.store.firstId); id < end; id++) {
      const d = this.store.dialog(id as DialogId);
      if (d && d.end > this.now) this.now = d.end;
      if (this.store.streamCount(id as DialogId) > 0) this.noteHosts(this.store.streams(id as DialogId));
      f.scanned = id + 1;
      if ((id & FINISH_CLOCK_EVERY) === 0 && performance.now() > until) return false;
    }
    for (let id = Math.max(f.looked, this.store.firstId); id < end; id++) {
      this.diagnose(id as DialogId);
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
      const m = this.store.message(ids[k]!);
      if (m.status !== 0 && !m.retrans && !codes.includes(m.status)) codes.push(m.status);
    }
    return codes;
  }

  private noteHosts(streams: readonly RtpStreamInfo[]): void {
    for (const s of streams) {
      if (this.mediaHosts.size >= MAX_MEDIA_HOSTS) return;
      this.mediaHosts.add(s.src);
      this.mediaHosts.add(s.dst);
    }
  }

  private diagnose(id: DialogId): void {
    const dialog = this.store.dialog(id);
    if (!dialog) return;
    if (dialog.end > this.now) this.now = dialog.end;
    const ids = dialog.messages;
    const n = Math.min(ids.length, MAX_MESSAGES);
    const messages: SipMessage[] = new Array(n);
    for (let k = 0; k < n; k++) messages[k] = this.store.message(ids[k]);
    const store = this.store;
    const streams = store.streamCount(id) > 0 ? store.streams(id) : [];
    this.noteHosts(streams);
    const evidence: DialogEvidence = {
      dialog,
      messages,
      transactions: transactionsOf(messages),
      headerMask: store.headerMask(id),
      parsed: this.parsed,
      sdp: this.sdp,
      viaMayHaveReceived: this.viaMayHaveReceived,
      headerMaskOf: this.headerMaskOf,
      reasonPhrase: this.reasonPhrase,
      streams,
      mediaHosts: this.mediaHosts,
      fax: this.faxFindings(id),
      now: this.now,
      ended: this.ended,
      thresholds: this.thresholds,
    };
    const found: Finding[] = [];
    for (const rule of RULES) found.push(...rule.check(evidence));
    this.store.setFindings(id, found);
  }
}
