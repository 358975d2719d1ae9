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
import type { ParsedSip } from '../sip/message.js';
import { RULES } from './registry.js';
import { DEFAULT_THRESHOLDS, type DialogEvidence, type DiagnoseThresholds } from './rule.js';
import { transactionsOf } from './transactions.js';

/** Messages of one dialog the rules read; the rest of a dialog of thousands of NOTIFYs adds nothing they look for. */
export const MAX_MESSAGES = 512;

/** What the engine needs of the store. */
export interface DiagnoseTarget {
  readonly firstId: DialogId;
  dialogCount(): number;
  dialog(id: DialogId): Dialog | undefined;
  message(id: MessageId): SipMessage;
  parsed(id: MessageId): ParsedSip;
  headerMask(id: DialogId): number;
  setFindings(id: DialogId, list: readonly Finding[]): void;
  onDialogChange(fn: ((id: DialogId) => void) | undefined): void;
}

export class Diagnosis {
  private dirty = new Set<DialogId>();
  private now = 0n;
  private ended = false;
  /** Distinct response codes per diagnosed dialog, for the triage counts. */
  private readonly responses = new Map<DialogId, readonly number[]>();

  constructor(
    private readonly store: DiagnoseTarget,
    private readonly thresholds: DiagnoseThresholds = DEFAULT_THRESHOLDS,
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
   * (no ACK, no response) now allowed to conclude.
   */
  finish(): void {
    this.ended = true;
    this.dirty.clear();
    const first = this.store.firstId;
    const count = this.store.dialogCount();
    for (let k = 0; k < count; k++) {
      const d = this.store.dialog((first + k) as DialogId);
      if (d && d.end > this.now) this.now = d.end;
    }
    for (let k = 0; k < count; k++) this.diagnose((first + k) as DialogId);
  }

  /** Stops listening to the store. */
  close(): void {
    this.store.onDialogChange(undefined);
  }

  /** Distinct response codes of a held dialog, as of its last look. */
  responseCodes(id: DialogId): readonly number[] {
    return this.responses.get(id) ?? [];
  }

  private diagnose(id: DialogId): void {
    const dialog = this.store.dialog(id);
    if (!dialog) {
      this.responses.delete(id);
      return;
    }
    if (dialog.end > this.now) this.now = dialog.end;
    const ids = dialog.messages;
    const n = Math.min(ids.length, MAX_MESSAGES);
    const messages: SipMessage[] = new Array(n);
    let codes: number[] | undefined;
    for (let k = 0; k < n; k++) {
      const m = (messages[k] = this.store.message(ids[k]));
      if (m.status !== 0 && !m.retrans && !(codes ??= []).includes(m.status)) codes.push(m.status);
    }
    if (codes) this.responses.set(id, codes);
    const store = this.store;
    const evidence: DialogEvidence = {
      dialog,
      messages,
      transactions: transactionsOf(messages),
      headerMask: store.headerMask(id),
      parsed: (m) => store.parsed(m),
      now: this.now,
      ended: this.ended,
      thresholds: this.thresholds,
    };
    const found: Finding[] = [];
    for (const rule of RULES) found.push(...rule.check(evidence));
    this.store.setFindings(id, found);
  }
}
