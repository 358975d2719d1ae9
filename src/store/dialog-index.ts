/**
 * The dialogs held and their ids: Call-ID and X-Call-ID maps, call state, facts, and rotation /
 * F5, which drop dialogs from the front without renumbering anything. Held dialogs are the ids
 * [firstId, firstId + count); an id outside that range answers undefined.
 */
import type { Finding } from '../model/finding.js';
import type { DialogId, MessageId } from '../model/ids.js';
import type { Transport } from '../model/datagram.js';
import type { CallState, Dialog } from '../model/sip.js';
import { advanceCall, type CallProgress } from '../sip/call-state.js';
import type { HeaderNames, SipScan } from '../sip/message.js';
import { DialogColumns, type ListIndexView, type NumberColumn, type StringColumn } from './dialog-columns.js';
import { DialogFactsTable } from './dialog-facts.js';
import type { MessageColumns } from './message-columns.js';

/** What the store fills in when it opens a dialog: everything but its messages. */
export type DialogFields = { -readonly [K in keyof Omit<Dialog, 'findings' | 'messages' | 'messageCount'>]-?: Dialog[K] } & { findings: readonly Finding[] | undefined };

/**
 * The index's own, writable copy of a Dialog; readers get it typed read-only. Its messages are not
 * an array per dialog (a pushed-to array reserves 17 slots: 18 MB on big100k) but a chain through
 * the message columns from the newest back (MessageColumns.prev); `messages` builds the array when asked.
 */
export class HeldDialog implements Dialog {
  readonly id: DialogId;
  readonly callId: string;
  readonly method: string;
  readonly fromUser: string;
  readonly fromHost: string;
  readonly fromDisplay: string;
  readonly toUser: string;
  readonly toHost: string;
  readonly toDisplay: string;
  readonly ruri: string;
  readonly src: string;
  readonly dst: string;
  readonly transport: Transport;
  readonly start: bigint;
  end: bigint;
  state: CallState;
  xCallId: string;
  readonly userAgent: string;
  reason: string;
  nodes: readonly string[];
  findings: readonly Finding[] | undefined;
  /** The newest message, -1 before the first. */
  last = -1;
  messageCount = 0;

  constructor(f: DialogFields, private readonly columns: MessageColumns) {
    this.id = f.id;
    this.callId = f.callId;
    this.method = f.method;
    this.fromUser = f.fromUser;
    this.fromHost = f.fromHost;
    this.fromDisplay = f.fromDisplay;
    this.toUser = f.toUser;
    this.toHost = f.toHost;
    this.toDisplay = f.toDisplay;
    this.ruri = f.ruri;
    this.src = f.src;
    this.dst = f.dst;
    this.transport = f.transport;
    this.start = f.start;
    this.end = f.end;
    this.state = f.state;
    this.xCallId = f.xCallId;
    this.userAgent = f.userAgent;
    this.reason = f.reason;
    this.nodes = f.nodes;
    this.findings = f.findings;
  }

  /** Message ids in arrival order: a new array each time (read it once, not per element). */
  get messages(): MessageId[] {
    const out = new Array<MessageId>(this.messageCount);
    for (let k = this.messageCount - 1, m = this.last; k >= 0; k--) {
      out[k] = m as MessageId;
      m = this.columns.prev(m);
    }
    return out;
  }
}


export class DialogIndex implements ListIndexView {
  /**
   * Held dialogs are dialogs[head…]. A dialog is a call once its state is not '' (its first message
   * was an INVITE); the CSeq of the INVITE its setup waits on is kept alongside, by slot.
   */
  private dialogs: HeldDialog[] = [];
  private inviteCseq = new Float64Array(1024);
  /** advanceCall's input, reused: no progress object per dialog. */
  private readonly progress: CallProgress = { state: '', inviteCseq: 0 };
  /** Facts for filters, by slot (head + position), compacted with the arrays. */
  readonly facts = new DialogFactsTable();
  /** Sort and filter keys by slot, compacted with the arrays. */
  private readonly columns: DialogColumns;
  private head = 0;
  private dropped = 0;
  /** Call-ID → id of the dialog held for it. */
  private readonly byCallId = new Map<string, DialogId>();
  /** X-Call-ID value → ids of the held dialogs carrying it. */
  private readonly byXCallId = new Map<string, DialogId[]>();

  /**
   * `intern` gives the store's shared copy of a string (reasons repeat across dialogs), `strings`
   * its string table (ids for the list index's columns); messages chain through `messageColumns`.
   */
  constructor(
    private readonly intern: (s: string) => string,
    private readonly table: { id(s: string): number; str(id: number): string; readonly size: number },
    private readonly messageColumns: MessageColumns,
  ) {
    this.columns = new DialogColumns((s) => table.id(s));
  }

  strings(column: StringColumn): Int32Array {
    return this.columns.strings(column);
  }

  numbers(column: NumberColumn): Float64Array | Int32Array {
    return this.columns.numbers(column);
  }

  str(sid: number): string {
    return this.table.str(sid);
  }

  get stringCount(): number {
    return this.table.size;
  }

  get firstId(): DialogId {
    return this.dropped as DialogId;
  }

  count(): number {
    return this.dialogs.length - this.head;
  }

  /** Where dialog `id` sits in the arrays (and the facts table), -1 when it is gone or not opened yet. */
  slot(id: DialogId): number {
    const k = id - this.dropped;
    return k >= 0 && k < this.dialogs.length - this.head ? this.head + k : -1;
  }

  dialog(id: DialogId): HeldDialog | undefined {
    const k = this.slot(id);
    return k < 0 ? undefined : this.dialogs[k];
  }

  /** The held dialog of a Call-ID. */
  byCall(callId: string): DialogId | undefined {
    return this.byCallId.get(callId);
  }

  /** The id the next dialog opened gets. */
  get nextId(): DialogId {
    return (this.dropped + this.count()) as DialogId;
  }

  /** Holds a new dialog, given with id nextId. */
  open(fields: DialogFields): DialogId {
    const dialog = new HeldDialog(fields, this.messageColumns);
    this.dialogs.push(dialog);
    const k = this.dialogs.length - 1;
    if (k >= this.inviteCseq.length) {
      const wider = new Float64Array(this.inviteCseq.length * 2);
      wider.set(this.inviteCseq);
      this.inviteCseq = wider;
    }
    this.inviteCseq[k] = 0;
    this.facts.open(k);
    this.columns.open(k, dialog);
    this.byCallId.set(dialog.callId, dialog.id);
    return dialog.id;
  }

  /**
   * Message `message` of dialog `id` arrived: its time, X-Call-ID, reason, call state and facts.
   * False when the dialog's facts are full (the message still joins).
   */
  note(id: DialogId, message: MessageId, ts: bigint, scan: SipScan, payload: Buffer, names: HeaderNames): boolean {
    const k = this.slot(id);
    const dialog = this.dialogs[k]!;
    this.messageColumns.chain(message, dialog.last);
    dialog.last = message;
    dialog.messageCount++;
    if (ts > dialog.end) dialog.end = ts;
    if (dialog.xCallId === '' && scan.xCallId !== '') this.linkXCall(dialog, scan.xCallId);
    this.columns.counted(k, dialog.messageCount);
    if (dialog.reason === '' && scan.reason !== '') {
      dialog.reason = this.intern(scan.reason);
      this.columns.changed(k, 'reason', dialog.reason);
    }
    // Only dialogs opened by an INVITE request are calls (sngrep's call_is_invite).
    if (dialog.state !== '' || (dialog.messageCount === 1 && scan.method === 'INVITE')) {
      const p = this.progress;
      p.state = dialog.state;
      p.inviteCseq = this.inviteCseq[k]!;
      const next = advanceCall(p, scan);
      this.inviteCseq[k] = next.inviteCseq;
      if (dialog.state !== next.state) this.columns.changed(k, 'state', next.state);
      dialog.state = next.state;
    }
    return this.facts.note(k, payload, names);
  }

  private linkXCall(dialog: HeldDialog, xCallId: string): void {
    dialog.xCallId = xCallId;
    const list = this.byXCallId.get(xCallId);
    if (list) list.push(dialog.id);
    else this.byXCallId.set(xCallId, [dialog.id]);
  }

  /** The held dialogs linked to dialog `id` by X-Call-ID / X-CID, in either direction, ascending; [] when it is gone. */
  related(id: DialogId): DialogId[] {
    const d = this.dialog(id);
    if (d === undefined) return [];
    const found = new Set<DialogId>();
    const target = d.xCallId === '' ? undefined : this.byCallId.get(d.xCallId);
    if (target !== undefined) found.add(target);
    for (const other of this.byXCallId.get(d.callId) ?? []) found.add(other);
    found.delete(d.id);
    return [...found].filter((other) => this.slot(other) >= 0).sort((a, b) => a - b);
  }

  /** -l N -R: the oldest dialog leaves; its id answers "gone" from now on. */
  dropOldest(): void {
    const old = this.dialogs[this.head]!;
    if (this.byCallId.get(old.callId) === old.id) this.byCallId.delete(old.callId);
    const linked = this.byXCallId.get(old.xCallId);
    if (linked) {
      const rest = linked.filter((a) => a !== old.id);
      if (rest.length > 0) this.byXCallId.set(old.xCallId, rest);
      else this.byXCallId.delete(old.xCallId);
    }
    this.head++;
    this.dropped++;
    // Compact now and then so the arrays do not keep dropped dialogs alive.
    if (this.head >= 1024 && this.head * 2 >= this.dialogs.length) {
      this.dialogs = this.dialogs.slice(this.head);
      this.inviteCseq.copyWithin(0, this.head, this.head + this.dialogs.length);
      this.facts.compact(this.head, this.dialogs.length);
      this.columns.compact(this.head, this.dialogs.length);
      this.head = 0;
    }
  }

  /** F5: every held dialog leaves, as if rotation had dropped them. */
  clear(): void {
    this.byCallId.clear();
    this.byXCallId.clear();
    this.dropped += this.count();
    this.dialogs = [];
    this.facts.compact(this.head, 0);
    this.columns.compact(this.head, 0);
    this.head = 0;
  }

  /** The dialog's HEP nodes changed: the first is its node column's key. */
  nodesChanged(id: DialogId): void {
    const k = this.slot(id);
    if (k >= 0) this.columns.changed(k, 'node', this.dialogs[k]!.nodes[0] ?? '');
  }
}
