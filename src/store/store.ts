/**
 * The dialog index: the pipeline's sink (addDatagram) and what the UI and sinks read (StoreView).
 * Append-only while a capture runs, except for -l rotation and F5 which drop whole dialogs from the front.
 *
 * Everything is named by id (model/ids.ts): a DialogId is the dialog's arrival number, a MessageId
 * the message's. Dropping never renumbers: the held dialogs are ids [firstId, firstId + count), and
 * an id outside that range answers undefined. Positions exist only inside query windows (query.ts).
 */
import type { Datagram, Transport } from '../model/datagram.js';
import type { DialogId, MessageId } from '../model/ids.js';
import type { MessageView } from '../model/message-view.js';
import type { Dialog, SipMessage } from '../model/sip.js';
import type { StoreStats, StoreView } from '../model/store-view.js';
import { advanceCall, NOT_A_CALL, type CallProgress } from '../sip/call-state.js';
import { headerValue, parseSipMessage, scanSip, type HeaderNames, type ParsedSip, type SipScan } from '../sip/message.js';
import { parseNameAddr, parseUri } from '../sip/uri.js';
import { DialogFactsTable, type AddressSide, type DialogFactsView, type IdentityKind, type RangeTest } from './dialog-facts.js';
import { DialogQuery, type QuerySpec } from './query.js';
import { HepDedupe } from './hep-dedupe.js';
import { buildMessageView } from './message-view.js';
import { FLAG_IN_FILE, FLAG_RETRANS, FLAG_SDP, MessageColumns, PAGE_MASK } from './message-columns.js';
import { payloadHash } from './payload-hash.js';
import { PayloadSpool, SPOOL_MAX_PAYLOAD } from './payload-spool.js';
import { StringTable } from './string-table.js';
import { SkipDetails } from './skip-details.js';
import type { SkipReason } from '../model/skip.js';
import type { MediaPlane } from '../media/media-plane.js';
import type { RtpStreamInfo } from '../model/media.js';

export interface StoreOptions {
  /** Byte access to the capture file; without it payloads are copied into the spool. */
  readAt?: (offset: number, length: number) => Buffer;
  /** Maximum number of dialogs held (-l); 0 or absent means no limit. */
  limit?: number;
  /** With a limit: drop the oldest dialog to make room instead of ignoring new ones. */
  rotate?: boolean;
  /** Only dialogs whose first message is an INVITE (-c). */
  invitesOnly?: boolean;
  /**
   * The sngrep match expression (filter-match.ts compileMatch): a message whose payload fails it
   * opens no dialog (skip reason "match-expression"); later messages of an opened dialog always join.
   */
  match?: (payload: Buffer) => boolean;
  /** The media plane the pipeline feeds; streams(i) reads it. */
  media?: MediaPlane;
}

/** The node key of HEP copies (found inside a capture) whose agent gave no capture ID. */
const HEP_WITHOUT_NODE = 'hep';
const NO_NODES: readonly string[] = [];
/** A dialog lists at most this many nodes: a hostile feed cannot grow a dialog's node list. */
const MAX_DIALOG_NODES = 16;
const TRANSPORTS: readonly Transport[] = ['UDP', 'TCP', 'SCTP', 'WS', 'WSS', 'TLS'];
/** Retransmissions follow their original closely: only this many earlier messages of the dialog are compared. */
const RETRANS_LOOKBACK = 16;
const PARSED_CACHE = 64;
/** Views carry the message's text: a screenful of responses' labels and the message pane. */
const VIEW_CACHE = 128;

/** Non-SIP payloads are counted only on the SIP ports: elsewhere they are RTP and other traffic nobody asked about. */
function onSipPort(d: Datagram): boolean {
  return d.sport === 5060 || d.sport === 5061 || d.dport === 5060 || d.dport === 5061;
}

/** The store's own, writable copy of a Dialog; readers get it typed read-only. */
type HeldDialog = { -readonly [K in keyof Dialog]-?: Dialog[K] } & { messages: MessageId[] };

function endpoint(ip: string, port: number): string {
  return ip.includes(':') ? `[${ip}]:${port}` : `${ip}:${port}`;
}

export class Store implements StoreView, DialogFactsView {
  private readonly readAt?: (offset: number, length: number) => Buffer;
  private readonly limit: number;
  private readonly rotate: boolean;
  private readonly invitesOnly: boolean;
  private readonly match?: (payload: Buffer) => boolean;
  private readonly media?: MediaPlane;

  private readonly columns = new MessageColumns();
  private readonly strings = new StringTable();
  private readonly spool = new PayloadSpool();
  private readonly dedupe = new HepDedupe();

  /** Held dialogs are dialogs[head…]; progress is kept alongside (NOT_A_CALL for non-INVITE dialogs). */
  private dialogs: HeldDialog[] = [];
  private progress: CallProgress[] = [];
  private readonly facts = new DialogFactsTable();
  /** Filled by scanSip for each message; one instance so scanning allocates nothing for it. */
  private readonly names: HeaderNames = { mask: 0, others: [], identities: [] };
  private head = 0;
  private dropped = 0;
  /** Call-IDs whose first message -c or the match expression refused. */
  private readonly refusedCallIds = new Set<string>();
  /** Call-ID → id of the dialog held for it. */
  private readonly byCallId = new Map<string, DialogId>();
  /** X-Call-ID value → ids of the held dialogs carrying it. */
  private readonly byXCallId = new Map<string, DialogId[]>();

  private readonly parsedCache = new Map<MessageId, ParsedSip>();
  private readonly viewCache = new Map<MessageId, MessageView>();
  private readonly listeners = new Set<() => void>();
  private readonly skipped = new Map<SkipReason, number>();
  private readonly skipDetails = new SkipDetails();
  private frames = 0;
  private changes = 0;

  constructor(opts: StoreOptions = {}) {
    this.readAt = opts.readAt;
    this.limit = opts.limit ?? 0;
    this.rotate = opts.rotate ?? false;
    this.invitesOnly = opts.invitesOnly ?? false;
    this.match = opts.match;
    this.media = opts.media;
  }

  get version(): number {
    return this.changes;
  }

  get firstId(): DialogId {
    return this.dropped as DialogId;
  }

  countFrame(): void {
    this.frames++;
  }

  skip(reason: SkipReason, detail?: string): void {
    this.skipped.set(reason, (this.skipped.get(reason) ?? 0) + 1);
    if (detail !== undefined) this.skipDetails.note(reason, detail);
    this.changed();
  }

  /** The pipeline's entry point: one transport payload that may be a SIP message. */
  addDatagram(d: Datagram): void {
    const scan = scanSip(d.payload, this.names);
    if (typeof scan === 'string') {
      if (scan !== 'not-sip' || onSipPort(d)) this.skip(scan);
      return;
    }
    if (d.fileOffset < 0 && d.payload.length > SPOOL_MAX_PAYLOAD) {
      this.skip('sip-too-large');
      return;
    }
    const hash = payloadHash(d.payload);
    // HEP copies without a node name still differ from the local capture.
    const node = this.strings.id(d.node ?? (d.viaHep === true ? HEP_WITHOUT_NODE : ''));
    if (this.dedupe.isDuplicate(hash, d.payload.length, Number(d.ts) / 1e6, node)) {
      // Kept once, but this node saw the dialog too: node= finds it from either side.
      const seen = this.byCallId.get(scan.callId);
      if (seen !== undefined && d.node !== undefined) this.noteNode(this.dialogs[seen - this.dropped + this.head], node);
      this.skip('sip-hep-duplicate');
      return;
    }
    let id = this.byCallId.get(scan.callId);
    if (id === undefined) {
      const refused = this.refusal(scan, d.payload);
      if (refused !== '') {
        // The first message decides (as sngrep): a 200 OK that matches must not open a refused call later.
        // -c is the exception, as `sngrep -c`: a Call-ID that began with REGISTER or OPTIONS is a call from its INVITE on.
        if (refused !== 'dialog-limit' && refused !== 'dialog-not-invite') this.refusedCallIds.add(scan.callId);
        this.skip(refused);
        return;
      }
      id = this.openDialog(d, scan);
    }
    this.append(d, scan, hash, id, node);
    this.changed();
  }

  /** Why a message may not open a new dialog, '' when it may (rotation makes room as a side effect). */
  private refusal(scan: SipScan, payload: Buffer): SkipReason | '' {
    if (this.refusedCallIds.has(scan.callId)) return 'dialog-refused-earlier';
    if (this.invitesOnly && scan.method !== 'INVITE') return 'dialog-not-invite';
    if (this.match && !this.match(payload)) return 'match-expression';
    if (this.limit > 0 && this.dialogCount() >= this.limit) {
      if (!this.rotate) return 'dialog-limit';
      this.dropOldest();
    }
    return '';
  }

  private openDialog(d: Datagram, scan: SipScan): DialogId {
    const parsed = parseSipMessage(d.payload);
    const from = parseNameAddr(headerValue(parsed, 'From') ?? '');
    const to = parseNameAddr(headerValue(parsed, 'To') ?? '');
    const fromUri = parseUri(from.uri);
    const toUri = parseUri(to.uri);
    const id = (this.dropped + this.dialogCount()) as DialogId;
    const dialog: HeldDialog = {
      id,
      callId: scan.callId,
      method: scan.method !== '' ? scan.method : scan.cseqMethod,
      fromUser: fromUri.user,
      fromHost: this.strings.intern(fromUri.host),
      fromDisplay: from.display,
      toUser: toUri.user,
      toHost: this.strings.intern(toUri.host),
      toDisplay: to.display,
      ruri: parsed.ruri,
      src: this.strings.intern(endpoint(d.src, d.sport)),
      dst: this.strings.intern(endpoint(d.dst, d.dport)),
      transport: d.transport,
      messages: [],
      start: d.ts,
      end: d.ts,
      state: '',
      xCallId: '',
      userAgent: this.strings.intern(headerValue(parsed, 'User-Agent') ?? headerValue(parsed, 'Server') ?? ''),
      reason: '',
      nodes: NO_NODES,
    };
    this.dialogs.push(dialog);
    this.progress.push(NOT_A_CALL);
    this.facts.open(this.dialogs.length - 1);
    this.byCallId.set(scan.callId, id);
    return id;
  }

  private append(d: Datagram, scan: SipScan, hash: number, id: DialogId, node: number): void {
    const pos = id - this.dropped + this.head;
    const dialog = this.dialogs[pos];
    const i = this.columns.push() as MessageId;
    const c = this.columns.page(i);
    const o = i & PAGE_MASK;
    const srcId = this.strings.id(d.src);
    const len = d.payload.length;
    const inFile = d.fileOffset >= 0 && this.readAt !== undefined;
    c.dialog[o] = id;
    c.frame[o] = d.frame;
    c.ts[o] = d.ts;
    c.src[o] = srcId;
    c.dst[o] = this.strings.id(d.dst);
    c.sport[o] = d.sport;
    c.dport[o] = d.dport;
    c.transport[o] = TRANSPORTS.indexOf(d.transport);
    c.method[o] = this.strings.id(scan.method);
    c.status[o] = scan.status;
    c.cseq[o] = scan.cseq;
    c.cseqMethod[o] = this.strings.id(scan.cseqMethod);
    c.refOffset[o] = inFile ? d.fileOffset : this.spool.append(d.payload);
    c.refLength[o] = len;
    c.hash[o] = hash;
    c.node[o] = node;
    c.flags[o] = (scan.hasSdp ? FLAG_SDP : 0) | (inFile ? FLAG_IN_FILE : 0) |
      (this.isRetransmission(dialog.messages, srcId, d.sport, len, hash) ? FLAG_RETRANS : 0);

    dialog.messages.push(i);
    if (d.node !== undefined) this.noteNode(dialog, node);
    if (d.ts > dialog.end) dialog.end = d.ts;
    if (dialog.xCallId === '' && scan.xCallId !== '') this.linkXCall(dialog, scan.xCallId);
    if (dialog.reason === '' && scan.reason !== '') dialog.reason = scan.reason;
    this.advanceState(pos, dialog, scan);
    if (!this.facts.note(pos, d.payload, this.names)) this.skip('dialog-facts-over-limit');
  }

  private noteNode(dialog: HeldDialog, node: number): void {
    const label = this.strings.str(node);
    if (dialog.nodes.length >= MAX_DIALOG_NODES || dialog.nodes.includes(label)) return;
    dialog.nodes = dialog.nodes.length === 0 ? [label] : [...dialog.nodes, label];
  }

  private isRetransmission(earlier: readonly MessageId[], srcId: number, sport: number, len: number, hash: number): boolean {
    for (let k = earlier.length - 1; k >= 0 && k >= earlier.length - RETRANS_LOOKBACK; k--) {
      const j = earlier[k];
      const c = this.columns.page(j);
      const o = j & PAGE_MASK;
      if (c.hash[o] === hash && c.refLength[o] === len && c.src[o] === srcId && c.sport[o] === sport) return true;
    }
    return false;
  }

  private advanceState(pos: number, dialog: HeldDialog, scan: SipScan): void {
    let p = this.progress[pos];
    // Only dialogs opened by an INVITE request are calls (sngrep's call_is_invite).
    if (p === NOT_A_CALL) {
      if (dialog.messages.length !== 1 || scan.method !== 'INVITE') return;
    }
    p = advanceCall(p, scan);
    this.progress[pos] = p;
    dialog.state = p.state;
  }

  private linkXCall(dialog: HeldDialog, xCallId: string): void {
    dialog.xCallId = xCallId;
    const list = this.byXCallId.get(xCallId);
    if (list) list.push(dialog.id);
    else this.byXCallId.set(xCallId, [dialog.id]);
  }

  private dropOldest(): void {
    const old = this.dialogs[this.head];
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
      this.head = 0;
    }
  }

  /**
   * F5: forgets every held dialog, as if rotation had dropped them (their ids answer "gone" from
   * now on), so the list starts empty and new messages open new dialogs. Message ids stay valid.
   */
  clear(): void {
    this.byCallId.clear();
    this.byXCallId.clear();
    this.dropped += this.dialogCount();
    this.dialogs = [];
    this.progress = [];
    this.facts.compact(this.head, 0);
    this.head = 0;
    this.changed();
  }

  private changed(): void {
    this.changes++;
    for (const fn of this.listeners) fn();
  }

  dialogCount(): number {
    return this.dialogs.length - this.head;
  }

  /** Where dialog `id` sits in the arrays, -1 when it is gone or not opened yet. */
  private slot(id: DialogId): number {
    const k = id - this.dropped;
    return k >= 0 && k < this.dialogs.length - this.head ? this.head + k : -1;
  }

  dialog(id: DialogId): Dialog | undefined {
    const k = this.slot(id);
    return k < 0 ? undefined : this.dialogs[k];
  }

  /** The live list of held dialogs that pass `spec.filter`, in `spec.sort` order (query.ts). */
  query(spec: QuerySpec = {}): DialogQuery {
    return new DialogQuery(this, spec);
  }

  headerMask(id: DialogId): number {
    const k = this.slot(id);
    return k < 0 ? 0 : this.facts.headerMask(k);
  }

  hasOtherHeader(id: DialogId, hash: number): boolean {
    const k = this.slot(id);
    return k >= 0 && this.facts.hasOtherHeader(k, hash);
  }

  identityMatches(id: DialogId, kind: IdentityKind, test: RangeTest): boolean {
    const k = this.slot(id);
    return k >= 0 && this.facts.identityMatches(k, kind, test);
  }

  addressMatcher(test: (ip: string) => boolean, side: AddressSide): (id: DialogId) => boolean {
    // Per string-table id: 0 not yet tested, 1 passes, 2 fails.
    let verdicts = new Uint8Array(256);
    const passes = (id: number): boolean => {
      if (id >= verdicts.length) {
        const wider = new Uint8Array(Math.max(id + 1, verdicts.length * 2));
        wider.set(verdicts);
        verdicts = wider;
      }
      if (verdicts[id] === 0) verdicts[id] = test(this.strings.str(id)) ? 1 : 2;
      return verdicts[id] === 1;
    };
    return (id) => {
      for (const m of this.dialog(id)?.messages ?? []) {
        const c = this.columns.page(m);
        const o = m & PAGE_MASK;
        if (side !== 'dst' && passes(c.src[o])) return true;
        if (side !== 'src' && passes(c.dst[o])) return true;
      }
      return false;
    };
  }

  /** The held dialogs linked to dialog `id` by X-Call-ID / X-CID, in either direction, ascending; [] when it is gone. */
  relatedDialogs(id: DialogId): DialogId[] {
    const d = this.dialog(id);
    if (d === undefined) return [];
    const found = new Set<DialogId>();
    const target = d.xCallId === '' ? undefined : this.byCallId.get(d.xCallId);
    if (target !== undefined) found.add(target);
    for (const other of this.byXCallId.get(d.callId) ?? []) found.add(other);
    found.delete(d.id);
    return [...found].filter((other) => this.slot(other) >= 0).sort((a, b) => a - b);
  }

  /** RTP streams of a dialog, in order of their first packet; none when it is gone. */
  streams(id: DialogId): RtpStreamInfo[] {
    return this.dialog(id) && this.media ? this.media.streams(id) : [];
  }

  /** How many RTP streams a dialog has. */
  streamCount(id: DialogId): number {
    return this.dialog(id) && this.media ? this.media.streamCountOf(id) : 0;
  }

  messageCount(): number {
    return this.columns.count;
  }

  message(i: MessageId): SipMessage {
    const c = this.columns.page(i);
    const o = i & PAGE_MASK;
    const flags = c.flags[o];
    return {
      id: i,
      dialog: c.dialog[o] as DialogId,
      frame: c.frame[o],
      ts: c.ts[o],
      src: this.strings.str(c.src[o]),
      sport: c.sport[o],
      dst: this.strings.str(c.dst[o]),
      dport: c.dport[o],
      transport: TRANSPORTS[c.transport[o]],
      method: this.strings.str(c.method[o]),
      status: c.status[o],
      cseq: c.cseq[o],
      cseqMethod: this.strings.str(c.cseqMethod[o]),
      hasSdp: (flags & FLAG_SDP) !== 0,
      retrans: (flags & FLAG_RETRANS) !== 0,
      node: this.strings.str(c.node[o]),
      ref: { inFile: (flags & FLAG_IN_FILE) !== 0, offset: c.refOffset[o], length: c.refLength[o] },
    };
  }

  messageBytes(i: MessageId): Buffer {
    const c = this.columns.page(i);
    const o = i & PAGE_MASK;
    const offset = c.refOffset[o];
    const length = c.refLength[o];
    if ((c.flags[o] & FLAG_IN_FILE) !== 0 && this.readAt) return this.readAt(offset, length);
    return this.spool.read(offset, length);
  }

  /** Full parse of message i, cached for the few messages a screen or filter looks at repeatedly. */
  parsed(i: MessageId): ParsedSip {
    let p = this.parsedCache.get(i);
    if (p) {
      // Re-insert so Map order doubles as least-recently-used order.
      this.parsedCache.delete(i);
    } else {
      p = parseSipMessage(this.messageBytes(i));
      if (this.parsedCache.size >= PARSED_CACHE) this.parsedCache.delete(this.parsedCache.keys().next().value as MessageId);
    }
    this.parsedCache.set(i, p);
    return p;
  }

  /** What screens draw of message `id` (start line, headers, body parts, lines with roles), cached for the few on screen. */
  messageView(id: MessageId): MessageView {
    let v = this.viewCache.get(id);
    if (v) {
      this.viewCache.delete(id);
    } else {
      v = buildMessageView(this.message(id), this.parsed(id));
      if (this.viewCache.size >= VIEW_CACHE) this.viewCache.delete(this.viewCache.keys().next().value as MessageId);
    }
    this.viewCache.set(id, v);
    return v;
  }

  stats(): StoreStats {
    return {
      frames: this.frames,
      messages: this.columns.count,
      dialogs: this.dialogCount(),
      skipped: Object.fromEntries(this.skipped),
      ...(!this.skipDetails.empty && { skipDetails: this.skipDetails.toJSON() }),
    };
  }

  subscribe(fn: () => void): () => void {
    // A wrapper keeps two subscriptions of the same function independent.
    const listener = (): void => fn();
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
