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
import { DialogColumns, type DialogKeys, type ListIndexView, type NumberColumn, type StringColumn } from './dialog-columns.js';
import { DialogFactsTable } from './dialog-facts.js';
import type { MessageColumns } from './message-columns.js';
import { KeyMemo } from './string-table.js';

/** The string columns a HeldDialog reads its fields from (ColumnFields but the times). */
const HELD_COLUMNS = ['method', 'src', 'dst', 'transport', 'userAgent', 'state', 'reason'] as const satisfies readonly StringColumn[];

/** Where a dialog's start and end lie in DialogIndex.times: 2 × slot + START, + END. */
const START = 0;
const END = 1;

/**
 * The fields of a Dialog the list index keeps as columns (dialog-columns.ts): the dialog object
 * reads them from there instead of holding them twice. Its times are a column of the index too
 * (two BigInts a dialog cost 64 bytes of heap).
 */
type ColumnFields = 'method' | 'src' | 'dst' | 'transport' | 'userAgent' | 'state' | 'reason' | 'start' | 'end' | HeldString | 'messageCount' | 'ruri';

/** Fields of a Dialog that repeat across dialogs and no list column keeps: string ids in the index's own columns. */
const HELD_STRINGS = ['fromHost', 'toHost', 'fromDisplay', 'toDisplay'] as const;
type HeldString = (typeof HELD_STRINGS)[number];

/** What the index keeps of a new dialog in columns, and its first request's Request-URI ('' when it began with a response). */
export type OpenKeys = DialogKeys & Record<HeldString, string> & { ruri: string };

/**
 * A Request-URI mostly names the To user at the To host ("sip:" user "@" host, then parameters that
 * repeat across dialogs): kept as the string id of what follows them, it costs no string a dialog
 * (big100k: 100k R-URIs, 6 MB). Undefined when it is not of that form, or its rest is long (likely its own).
 */
function ruriRest(ruri: string, toUser: string, toHost: string): string | undefined {
  const at = 4 + toUser.length;
  const rest = at + 1 + toHost.length;
  if (toUser === '' || ruri.length - rest > MAX_RURI_REST || !ruri.startsWith('sip:') || !ruri.startsWith(toUser, 4) ||
    ruri.charCodeAt(at) !== 0x40 || !ruri.startsWith(toHost, at + 1)) return undefined;
  return ruri.slice(rest);
}

const MAX_RURI_REST = 32;

/** What the store fills in when it opens a dialog besides its DialogKeys and start: everything but its messages. */
export type DialogFields = { -readonly [K in keyof Omit<Dialog, ColumnFields | 'findings' | 'messages'>]-?: Dialog[K] } & {
  findings: readonly Finding[] | undefined;
};

/**
 * The fields a HeldDialog has from its DialogFields: declaration merging, so the class declares none
 * of them again. Its constructor sets each in one order (Object.assign took a slow path: ~1 µs a dialog).
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type, @typescript-eslint/no-unsafe-declaration-merging -- see above
export interface HeldDialog extends DialogFields {}

/**
 * The index's own, writable copy of a Dialog; readers get it typed read-only. Its messages are not
 * an array per dialog (a pushed-to array reserves 17 slots: 18 MB on big100k) but a chain through
 * the message columns from the newest back (MessageColumns.prev); `messages` builds the array when asked.
 */
// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging -- the interface above only names the fields the constructor sets
export class HeldDialog implements Dialog {
  constructor(f: DialogFields, private readonly index: DialogIndex, ownRuri: string) {
    this.id = f.id;
    this.callId = f.callId;
    this.fromUser = f.fromUser;
    this.toUser = f.toUser;
    this.xCallId = f.xCallId;
    this.nodes = f.nodes;
    this.findings = f.findings;
    this.ownRuri = ownRuri;
  }

  /** The Request-URI when the index does not rebuild it from the To user and host (see ruriRest). */
  private readonly ownRuri: string;

  get ruri(): string {
    return this.index.ruriOf(this.id, this.toUser, this.ownRuri);
  }

  get start(): bigint {
    return this.index.time(this.id, START);
  }

  get end(): bigint {
    return this.index.time(this.id, END);
  }

  get method(): string {
    return this.index.key(this.id, 'method');
  }

  get src(): string {
    return this.index.key(this.id, 'src');
  }

  get dst(): string {
    return this.index.key(this.id, 'dst');
  }

  get transport(): Transport {
    return this.index.key(this.id, 'transport') as Transport;
  }

  get userAgent(): string {
    return this.index.key(this.id, 'userAgent');
  }

  get state(): CallState {
    return this.index.key(this.id, 'state') as CallState;
  }

  get reason(): string {
    return this.index.key(this.id, 'reason');
  }

  get fromHost(): string {
    return this.index.heldString(this.id, 'fromHost');
  }

  get toHost(): string {
    return this.index.heldString(this.id, 'toHost');
  }

  get fromDisplay(): string {
    return this.index.heldString(this.id, 'fromDisplay');
  }

  get toDisplay(): string {
    return this.index.heldString(this.id, 'toDisplay');
  }

  /** The newest message, -1 before the first. */
  get last(): number {
    return this.index.lastOf(this.id);
  }

  get messageCount(): number {
    return this.index.countOf(this.id);
  }

  /** Message ids in arrival order: a new array each time (read it once, not per element). */
  get messages(): MessageId[] {
    return this.index.messagesOf(this);
  }
}

export class DialogIndex implements ListIndexView {
  /**
   * Held dialogs are dialogs[head…]. A dialog is a call once its state is not '' (its first message
   * was an INVITE); the CSeq of the INVITE its setup waits on is kept alongside, by slot.
   */
  private dialogs: HeldDialog[] = [];
  private inviteCseq = new Float64Array(1024);
  /** Start and end (ns) of each dialog by slot: times[2k + START], times[2k + END]. */
  private times = new BigInt64Array(2 * 1024);
  /** The newest message of each dialog by slot, -1 before the first. */
  private lasts = new Int32Array(1024);
  /** HELD_STRINGS as string ids by slot. */
  private held = Object.fromEntries(HELD_STRINGS.map((c) => [c, new Int32Array(1024)])) as Record<HeldString, Int32Array>;
  /** By slot: the string id of what follows "sip:" To user "@" To host in the Request-URI, -1 when the dialog holds its own (ruriRest). */
  private ruriRests = new Int32Array(1024);
  /** What advanceCall steps, loaded from and stored back to the columns: no progress object per dialog. */
  private readonly progress: CallProgress = { state: '', inviteCseq: 0 };
  /** Facts for filters, by slot (head + position), compacted with the arrays. */
  readonly facts = new DialogFactsTable();
  /** Sort and filter keys by slot, compacted with the arrays. */
  private readonly columns: DialogColumns;
  private head = 0;
  private dropped = 0;
  /** Call-ID → id of the dialog held for it. */
  private readonly byCallId = new Map<string, DialogId>();
  /** byCallKey's memo: the dialog found for a Call-ID key. */
  private readonly callKeys = new KeyMemo();
  /** X-Call-ID value → ids of the held dialogs carrying it. */
  private readonly byXCallId = new Map<string, DialogId[]>();

  /** The string id of '' (no state, no reason yet). */
  private readonly none: number;

  /** `table` is the store's string table (ids for the list index's columns); messages chain through `messageColumns`. */
  constructor(
    private readonly table: { id(s: string): number; str(id: number): string; readonly size: number },
    private readonly messageColumns: MessageColumns,
  ) {
    this.columns = new DialogColumns((s) => table.id(s));
    this.none = table.id('');
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

  /**
   * byCall for a Call-ID that comes with a key (TextKeys.callId): a message of a dialog met
   * before finds it without hashing its Call-ID. A held dialog is always byCallId's for its
   * Call-ID (a dialog opens only when none is held for it), so a remembered one still held is it.
   */
  byCallKey(key: number, callId: string): DialogId | undefined {
    const known = this.callKeys.get(key, callId);
    if (known >= 0 && this.slot(known as DialogId) >= 0) return known as DialogId;
    const id = this.byCallId.get(callId);
    if (id !== undefined) this.callKeys.set(key, callId, id);
    return id;
  }

  /** The id the next dialog opened gets. */
  get nextId(): DialogId {
    return (this.dropped + this.count()) as DialogId;
  }

  /** Holds a new dialog, given with id nextId, with its list keys, that began at `start`. */
  open(fields: DialogFields, keys: OpenKeys, start: bigint): DialogId {
    const rest = ruriRest(keys.ruri, fields.toUser, keys.toHost);
    const dialog = new HeldDialog(fields, this, rest === undefined ? keys.ruri : '');
    this.dialogs.push(dialog);
    const k = this.dialogs.length - 1;
    if (k >= this.inviteCseq.length) this.grow();
    this.ruriRests[k] = rest === undefined ? -1 : this.table.id(rest);
    this.inviteCseq[k] = 0;
    this.times[2 * k + START] = start;
    this.times[2 * k + END] = start;
    this.lasts[k] = -1;
    for (const c of HELD_STRINGS) this.held[c][k] = this.table.id(keys[c]);
    this.facts.open(k);
    this.columns.open(k, keys, start);
    this.byCallId.set(dialog.callId, dialog.id);
    return dialog.id;
  }

  /** Twice the room for every by-slot array of the index's own. */
  private grow(): void {
    const n = this.inviteCseq.length * 2;
    this.inviteCseq = wider(this.inviteCseq, new Float64Array(n));
    this.times = wider(this.times, new BigInt64Array(2 * n));
    this.lasts = wider(this.lasts, new Int32Array(n));
    for (const c of HELD_STRINGS) this.held[c] = wider(this.held[c], new Int32Array(n));
    this.ruriRests = wider(this.ruriRests, new Int32Array(n));
  }

  /**
   * Message `message` of dialog `id` arrived: its time, X-Call-ID, reason, call state and facts.
   * False when the dialog's facts are full (the message still joins).
   */
  note(id: DialogId, message: MessageId, ts: bigint, scan: SipScan, payload: Buffer, names: HeaderNames): boolean {
    const k = this.slot(id);
    const dialog = this.dialogs[k]!;
    this.messageColumns.chain(message, this.lasts[k]!);
    this.lasts[k] = message;
    const count = this.columns.numbers('msgs')[k]! + 1;
    if (ts > this.times[2 * k + END]!) this.times[2 * k + END] = ts;
    if (dialog.xCallId === '' && scan.xCallId !== '') this.linkXCall(dialog, scan.xCallId);
    this.columns.counted(k, count);
    if (scan.reason !== '' && this.columns.strings('reason')[k] === this.none) this.columns.changed(k, 'reason', scan.reason);
    // Only dialogs opened by an INVITE request are calls (sngrep's call_is_invite).
    const state = this.columns.strings('state')[k];
    if (state !== this.none || (count === 1 && scan.method === 'INVITE')) {
      const p = this.progress;
      p.state = this.table.str(state!) as CallState;
      p.inviteCseq = this.inviteCseq[k]!;
      if (advanceCall(p, scan)) {
        this.inviteCseq[k] = p.inviteCseq;
        this.columns.changed(k, 'state', p.state);
      }
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

  /** A column key of held dialog `id`. */
  key(id: DialogId, column: StringColumn): string {
    return this.table.str(this.columns.strings(column)[this.slot(id)]!);
  }

  /** A HELD_STRINGS field of held dialog `id`. */
  heldString(id: DialogId, column: HeldString): string {
    return this.table.str(this.held[column][this.slot(id)]!);
  }

  /** The Request-URI of held dialog `id`, whose To user is `toUser` and own Request-URI (if any) `own`. */
  ruriOf(id: DialogId, toUser: string, own: string): string {
    const k = this.slot(id);
    const rest = this.ruriRests[k]!;
    return rest < 0 ? own : `sip:${toUser}@${this.table.str(this.held.toHost[k]!)}${this.table.str(rest)}`;
  }

  /** The newest message of held dialog `id`, -1 before its first. */
  lastOf(id: DialogId): number {
    return this.lasts[this.slot(id)]!;
  }

  countOf(id: DialogId): number {
    return this.columns.numbers('msgs')[this.slot(id)]!;
  }

  /** Start (which = START) or end (END) of held dialog `id`. */
  time(id: DialogId, which: number): bigint {
    return this.times[2 * this.slot(id) + which]!;
  }

  /** A held dialog's end (as its `end`), read without touching its object. */
  endOf(id: DialogId): bigint {
    return this.time(id, END);
  }

  /** Message ids of a dialog in arrival order. */
  messagesOf(dialog: HeldDialog): MessageId[] {
    const out = new Array<MessageId>(dialog.messageCount);
    for (let k = dialog.messageCount - 1, m = dialog.last; k >= 0; k--) {
      out[k] = m as MessageId;
      m = this.messageColumns.prev(m);
    }
    return out;
  }

  /** A dialog leaving the index keeps its column fields as its own: a screen may still hold the object. */
  private retire(k: number): void {
    const d = this.dialogs[k]!;
    const own: PropertyDescriptorMap = {
      start: { value: d.start }, end: { value: d.end }, last: { value: d.last }, messageCount: { value: d.messageCount }, ruri: { value: d.ruri },
    };
    for (const c of HELD_COLUMNS) own[c] = { value: d[c] };
    for (const c of HELD_STRINGS) own[c] = { value: d[c] };
    Object.defineProperties(d, own);
  }

  /** -l N -R: the oldest dialog leaves; its id answers "gone" from now on. */
  dropOldest(): void {
    this.retire(this.head);
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
      this.times.copyWithin(0, 2 * this.head, 2 * (this.head + this.dialogs.length));
      this.lasts.copyWithin(0, this.head, this.head + this.dialogs.length);
      for (const c of HELD_STRINGS) this.held[c].copyWithin(0, this.head, this.head + this.dialogs.length);
      this.ruriRests.copyWithin(0, this.head, this.head + this.dialogs.length);
      this.facts.compact(this.head, this.dialogs.length);
      this.columns.compact(this.head, this.dialogs.length);
      this.head = 0;
    }
  }

  /** F5: every held dialog leaves, as if rotation had dropped them. */
  clear(): void {
    for (let k = this.head; k < this.dialogs.length; k++) this.retire(k);
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

function wider<T extends Float64Array | BigInt64Array | Int32Array>(old: T, room: T): T {
  room.set(old as never);
  return room;
}
