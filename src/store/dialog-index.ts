/**
 * The dialogs held and their ids: Call-ID and X-Call-ID maps, call state, facts, and rotation /
 * F5, which drop dialogs from the front without renumbering anything. Held dialogs are the ids
 * [firstId, firstId + count); an id outside that range answers undefined.
 */
import type { Finding } from '../model/finding.js';
import type { DialogId, MessageId } from '../model/ids.js';
import type { Dialog } from '../model/sip.js';
import { advanceCall, NOT_A_CALL, type CallProgress } from '../sip/call-state.js';
import type { HeaderNames, SipScan } from '../sip/message.js';
import { DialogColumns, type ListIndexView, type NumberColumn, type StringColumn } from './dialog-columns.js';
import { DialogFactsTable } from './dialog-facts.js';

/** The index's own, writable copy of a Dialog; readers get it typed read-only. */
export type HeldDialog = { -readonly [K in keyof Omit<Dialog, 'findings'>]-?: Dialog[K] } & { messages: MessageId[]; findings: readonly Finding[] | undefined };


export class DialogIndex implements ListIndexView {
  /** Held dialogs are dialogs[head…]; progress is kept alongside (NOT_A_CALL for non-INVITE dialogs). */
  private dialogs: HeldDialog[] = [];
  private progress: CallProgress[] = [];
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
   * its string table (ids for the list index's columns).
   */
  constructor(private readonly intern: (s: string) => string, private readonly table: { id(s: string): number; str(id: number): string; readonly size: number }) {
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

  /** Holds a new dialog, built by the caller with id nextId (one object literal: no copy per dialog). */
  open(dialog: HeldDialog): DialogId {
    this.dialogs.push(dialog);
    this.progress.push(NOT_A_CALL);
    this.facts.open(this.dialogs.length - 1);
    this.columns.open(this.dialogs.length - 1, dialog);
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
    dialog.messages.push(message);
    if (ts > dialog.end) dialog.end = ts;
    if (dialog.xCallId === '' && scan.xCallId !== '') this.linkXCall(dialog, scan.xCallId);
    this.columns.counted(k, dialog.messages.length);
    if (dialog.reason === '' && scan.reason !== '') {
      dialog.reason = this.intern(scan.reason);
      this.columns.changed(k, 'reason', dialog.reason);
    }
    let p = this.progress[k]!;
    // Only dialogs opened by an INVITE request are calls (sngrep's call_is_invite).
    if (p !== NOT_A_CALL || (dialog.messages.length === 1 && scan.method === 'INVITE')) {
      p = advanceCall(p, scan);
      this.progress[k] = p;
      if (dialog.state !== p.state) this.columns.changed(k, 'state', p.state);
      dialog.state = p.state;
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
      this.progress = this.progress.slice(this.head);
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
    this.progress = [];
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
