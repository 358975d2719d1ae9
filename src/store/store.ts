/**
 * The store: the pipeline's sink (addDatagram) and what the UI and sinks read (StoreView). It
 * wires the parts, each one job: ingest.ts (which messages are taken, retransmissions),
 * dialog-index.ts (ids, Call-ID / X-Call-ID maps, rotation, F5), dialog-facts.ts (what filters
 * ask), store-events.ts (counters, version, subscribers), query.ts (windows), message-view.ts
 * (views). Messages themselves are typed columns here, their bytes in the file or the spool.
 *
 * Everything is named by id (model/ids.ts): a DialogId is the dialog's arrival number, a MessageId
 * the message's. Dropping never renumbers: the held dialogs are ids [firstId, firstId + count), and
 * an id outside that range answers undefined. Positions exist only inside query windows (query.ts).
 */
import type { Finding } from '../model/finding.js';
import type { FaxCell } from '../model/columns.js';
import type { MediaPlane } from '../media/media-plane.js';
import type { Datagram, FrameRef, Transport } from '../model/datagram.js';
import type { DialogId, MessageId } from '../model/ids.js';
import type { DtmfEvent, RtpStreamInfo, StreamTimeline } from '../model/media.js';
import type { MessageView } from '../model/message-view.js';
import type { SkipReason } from '../model/skip.js';
import type { Dialog, MessageFacts, SipMessage } from '../model/sip.js';
import type { FrameLocation, StoreStats, StoreView } from '../model/store-view.js';
import { offsetWithin } from '../media/media-store.js';
import { isSipPort, maskBit, parseSipMessage, scanPlaces, scanSip, valueText, type HeaderNames, type ParsedSip, type ScanPlaces, type SipScan, type SipScanSkip } from '../sip/message.js';
import { parseNameAddr, parseUri } from '../sip/uri.js';
import { readAddress, type AddressParts } from '../sip/address-bytes.js';
import { flatCopy } from '../sip/tokens.js';
import type { AddressSide, DialogFactsView, IdentityKind, RangeTest } from './dialog-facts.js';
import type { ListIndexView } from './dialog-columns.js';
import { StringVerdicts } from './string-verdicts.js';
import { DialogIndex, type HeldDialog, type OpenKeys } from './dialog-index.js';
import { IngestPolicy, isRetransmission, type IngestOptions } from './ingest.js';
import { buildMessageView } from './message-view.js';
import { FLAG_FRAME, FLAG_FRAMES_LISTED, FLAG_IN_FILE, FLAG_REASON_ALONE, FLAG_RETRANS, FLAG_SDP, FLAG_VIA_RECEIVED, MessageColumns, PAGE_MASK, PAGE_ROWS, TOKEN_NOT_KEPT, type ColumnPage } from './message-columns.js';
import { FrameList } from './frame-list.js';
import { payloadHash } from './payload-hash.js';
import { PayloadSpool, SPOOL_MAX_PAYLOAD } from './payload-spool.js';
import { DialogQuery, type QuerySpec } from './query.js';
import { StoreEvents } from './store-events.js';
import { KeyedIds, NO_TEXT_KEYS, StringTable, type TextKeys } from './string-table.js';
import { SDP_UNRECORDED, SdpFactsTable } from './sdp-facts-table.js';
import { sdpFacts, type SdpFacts } from '../sip/sdp-facts.js';
import { readMessageSdp, sdpSessionsOf } from '../media/sdp-endpoints.js';
import { NO_SDP_READ, SdpReader, type SdpRead } from '../sip/sdp-scan.js';

export interface StoreOptions extends IngestOptions {
  /** Byte access to the capture file; without it payloads are copied into the spool. */
  readAt?: (offset: number, length: number) => Buffer;
  /** The media plane the pipeline feeds; streams(id) reads it. */
  media?: MediaPlane;
  /** The T.38 sessions the pipeline feeds; faxCell(id) reads it. */
  fax?: { cell(id: DialogId): FaxCell | undefined };
}

/** The node key of HEP copies (found inside a capture) whose agent gave no capture ID. */
const HEP_WITHOUT_NODE = 'hep';
const NO_NODES: readonly string[] = [];
/** Reason phrases longer than this are not worth a token-table entry: read from the message when asked. */
const MAX_KEPT_PHRASE = 64;
/** A dialog lists at most this many nodes: a hostile feed cannot grow a dialog's node list. */
const MAX_DIALOG_NODES = 16;
const TRANSPORTS: readonly Transport[] = ['UDP', 'TCP', 'SCTP', 'WS', 'WSS', 'TLS'];
/** A frame's bytes before or after the payload it carries fit the halves of ColumnPage.frameShape. */
const MAX_FRAME_SIDE = 0xffff;
/** Link table indexes fit ColumnPage.link; index 0 is "none". */
const MAX_LINKS = 255;
/** endpoint() remembers this many; past it, it starts over. */
const MAX_ENDPOINTS = 1 << 16;
const PARSED_CACHE = 64;
/** Views carry the message's text: a screenful of responses' labels and the message pane. */
const VIEW_CACHE = 128;
const REASON_HEADERS = (1 << maskBit('Reason')) | (1 << maskBit('Warning'));

/** Non-SIP payloads are counted only on the SIP ports: elsewhere they are RTP and other traffic nobody asked about. */
function onSipPort(d: Datagram): boolean {
  return isSipPort(d.sport) || isSipPort(d.dport);
}

/**
 * The display name, URI user and host of the From / To value buf[start, end) (start < 0: none), into
 * `out`: read from the bytes when the value is plain, else by the string parse. The user is kept for
 * the dialog's life as a flat copy: a slice would keep its whole From / To line alive.
 */
function addressParts(buf: Buffer, start: number, end: number, out: AddressParts): AddressParts {
  if (start < 0) start = end = 0;
  if (readAddress(buf, start, end, out)) return out;
  const value = parseNameAddr(valueText(buf, start, end), false);
  const uri = parseUri(value.uri, false);
  out.display = value.display;
  out.user = flatCopy(uri.user);
  out.host = uri.host;
  return out;
}

/** What Store.message and Store.messageFacts both read of a message. */
type SharedFacts = Omit<MessageFacts, 'at' | 'viaReceived'>;

/** A SipMessage to fill (Store.messageInto). */
export function blankMessage(): SipMessage {
  return {
    id: 0 as MessageId, dialog: 0 as DialogId, frame: 0, ts: 0n, src: '', sport: 0, dst: '', dport: 0, transport: 'UDP', method: '', status: 0, cseq: 0,
    cseqMethod: '', hasSdp: false, retrans: false, node: '', ref: { inFile: false, offset: 0, length: 0 },
  };
}

/** A small least-recently-used cache (Map order doubles as use order). */
function cached<K, V>(cache: Map<K, V>, size: number, key: K, make: () => V): V {
  let v = cache.get(key);
  if (v !== undefined) {
    cache.delete(key);
  } else {
    v = make();
    if (cache.size >= size) cache.delete(cache.keys().next().value as K);
  }
  cache.set(key, v);
  return v;
}

export class Store implements StoreView, DialogFactsView {
  private readonly readAt?: (offset: number, length: number) => Buffer;
  private readonly media?: MediaPlane;
  private readonly fax?: StoreOptions['fax'];
  private readonly ingest: IngestPolicy;
  private readonly strings = new StringTable();
  /** Methods and reason phrases of messages: a table of their own keeps their ids 16-bit. */
  private readonly tokens = new StringTable();
  /** The two tables' ids by the keys a decoding thread gives texts (addScanned). */
  private readonly stringIds = new KeyedIds(this.strings);
  private readonly tokenIds = new KeyedIds(this.tokens, TOKEN_NOT_KEPT);
  /** The keys of the message being added (addScanned). */
  private keys: Readonly<TextKeys> = NO_TEXT_KEYS;
  /** The string id of '', every message's node until one comes from a HEP node. */
  private readonly noNode = this.strings.id('');
  private readonly columns = new MessageColumns();
  private readonly index = new DialogIndex(this.strings, this.columns);
  /** endpoint()'s texts by address string id × 65536 + port. */
  private readonly endpoints = new Map<number, string>();
  /** openDialog's From and To parts, refilled for each dialog. */
  private readonly fromParts: AddressParts = { display: '', user: '', host: '' };
  private readonly toParts: AddressParts = { display: '', user: '', host: '' };
  /** openDialog's keys for the list index, refilled for each dialog. */
  private readonly openKeys: OpenKeys = { method: '', src: '', dst: '', transport: 'UDP', userAgent: '', fromHost: '', toHost: '', fromDisplay: '', toDisplay: '', ruri: '' };
  private readonly events = new StoreEvents();
  private readonly sdp = new SdpFactsTable(this.strings);
  private readonly sdpReader = new SdpReader();
  private readonly spool = new PayloadSpool();
  private readonly frameList = new FrameList();
  /** Link table: index → LINKTYPE_* (index 0 unused), and back. */
  private readonly linktypes: number[] = [-1];
  private readonly linkIndexes = new Map<number, number>();
  /** Filled by scanSip for each message; one instance so scanning allocates nothing for it. */
  private readonly ownNames: HeaderNames = { mask: 0, others: [], identities: [] };
  /** Filled by scanSip alongside names: what openDialog and the SDP parse read, without a full parse. */
  private readonly ownPlaces = scanPlaces();
  /** Those of the message being added: the store's own, or those a scan made elsewhere came with (addScanned). */
  private names = this.ownNames;
  private places = this.ownPlaces;
  /** The SDP read of the message stored last (lastSdp()). */
  private lastRead: SdpRead = NO_SDP_READ;
  private readonly parsedCache = new Map<MessageId, ParsedSip>();
  private readonly viewCache = new Map<MessageId, MessageView>();
  /** Told which dialog a message joined (diagnose/ marks it for another look); at most one. */
  private dialogChanged: ((id: DialogId) => void) | undefined;

  constructor(opts: StoreOptions = {}) {
    this.readAt = opts.readAt;
    this.media = opts.media;
    this.fax = opts.fax;
    this.ingest = new IngestPolicy(opts);
  }

  get version(): number {
    return this.events.version;
  }

  get firstId(): DialogId {
    return this.index.firstId;
  }

  countFrame(): void {
    this.events.countFrame();
  }

  skip(reason: SkipReason, detail?: string): void {
    this.events.skip(reason, detail);
    this.events.changed();
  }

  /** The pipeline's entry point: one transport payload that may be a SIP message. */
  addDatagram(d: Datagram): void {
    this.addScanned(d, scanSip(d.payload, this.ownNames, this.ownPlaces), this.ownNames, this.ownPlaces);
  }

  /**
   * addDatagram with what it reads of d.payload at ingest already read (by the thread that decoded
   * it): scanSip's result with the names and places it filled, and for a message payloadHash and
   * the keys that thread gives its texts. The SDP is read here (readMessageSdp).
   */
  addScanned(
    d: Datagram, scan: SipScan | SipScanSkip, names: HeaderNames, places: ScanPlaces, hash?: number, keys: Readonly<TextKeys> = NO_TEXT_KEYS,
  ): void {
    this.keys = keys;
    this.names = names;
    this.places = places;
    if (typeof scan === 'string') {
      if (scan !== 'not-sip' || onSipPort(d)) this.skip(scan);
      return;
    }
    if (d.fileOffset < 0 && d.payload.length > SPOOL_MAX_PAYLOAD) {
      this.skip('sip-too-large');
      return;
    }
    hash ??= payloadHash(d.payload);
    // HEP copies without a node name still differ from the local capture.
    const node = d.node === undefined && d.viaHep !== true ? this.noNode : this.strings.id(d.node ?? HEP_WITHOUT_NODE);
    if (this.ingest.duplicate(hash, d.payload.length, d.ts, node)) {
      // Kept once, but this node saw the dialog too: node= finds it from either side.
      const seen = this.index.byCallKey(keys.callId, scan.callId);
      if (seen !== undefined && d.node !== undefined && this.noteNode(this.index.dialog(seen)!, node)) this.events.touch(seen);
      this.skip('sip-hep-duplicate');
      return;
    }
    let id = this.index.byCallKey(keys.callId, scan.callId);
    if (id === undefined) {
      const refused = this.ingest.refusal(scan, d.payload, this.index);
      if (refused !== '') {
        this.skip(refused);
        return;
      }
      id = this.openDialog(d, scan);
    }
    this.append(d, scan, hash, id, node);
    this.events.touch(id);
    this.dialogChanged?.(id);
    this.events.changed();
  }

  /** The composition root's hook for diagnose/: called with the dialog of every message stored. */
  onDialogChange(fn: ((id: DialogId) => void) | undefined): void {
    this.dialogChanged = fn;
  }

  /** Findings of a held dialog, [] when it has none or is gone. */
  findings(id: DialogId): readonly Finding[] {
    return this.index.dialog(id)?.findings ?? [];
  }

  /** diagnose/ hands a dialog's findings back; a dialog that is gone keeps none. */
  setFindings(id: DialogId, list: readonly Finding[]): void {
    const dialog = this.index.dialog(id);
    if (!dialog || (list.length === 0 && dialog.findings === undefined)) return;
    // Texts kept as flat copies: a text built by concatenation keeps each of its parts alive (big100k: 11 MB).
    dialog.findings = list.length === 0 ? undefined : list.map((f) => ({ ...f, text: flatCopy(f.text) }));
    this.events.touch(id);
    this.events.changed();
  }

  private openDialog(d: Datagram, scan: SipScan): DialogId {
    const p = this.places;
    const buf = d.payload;
    const from = addressParts(buf, p.from, p.fromEnd, this.fromParts);
    const to = addressParts(buf, p.to, p.toEnd, this.toParts);
    // Kept as string ids of the list index's columns (the dialog reads them there).
    const keys = this.openKeys;
    keys.method = scan.method !== '' ? scan.method : scan.cseqMethod;
    keys.src = this.endpoint(d.src, d.sport);
    keys.dst = this.endpoint(d.dst, d.dport);
    keys.transport = d.transport;
    keys.userAgent = p.userAgent >= 0 ? valueText(buf, p.userAgent, p.userAgentEnd) : p.server >= 0 ? valueText(buf, p.server, p.serverEnd) : '';
    // Hosts and display names repeat across dialogs (big100k: 100k dialogs, a few hundred names).
    keys.fromHost = from.host;
    keys.toHost = to.host;
    keys.fromDisplay = from.display;
    keys.toDisplay = to.display;
    keys.ruri = scan.status === 0 ? buf.toString('utf8', p.text, p.textEnd) : '';
    return this.index.open({
      id: this.index.nextId,
      callId: scan.callId,
      fromUser: from.user,
      toUser: to.user,
      xCallId: '',
      nodes: NO_NODES,
      // Present from the start, so handing findings back keeps every dialog object the same shape.
      findings: undefined,
    }, keys, d.ts);
  }

  /** "ip:port" of a dialog's first source or destination: the string table's copy, found again without building it. */
  private endpoint(ip: string, port: number): string {
    const key = this.strings.id(ip) * 0x10000 + port;
    let text = this.endpoints.get(key);
    if (text === undefined) {
      if (this.endpoints.size >= MAX_ENDPOINTS) this.endpoints.clear();
      text = this.strings.intern(ip.includes(':') ? `[${ip}]:${port}` : `${ip}:${port}`);
      this.endpoints.set(key, text);
    }
    return text;
  }

  private append(d: Datagram, scan: SipScan, hash: number, id: DialogId, node: number): void {
    const dialog = this.index.dialog(id)!;
    const i = this.columns.push() as MessageId;
    const c = this.columns.page(i);
    const o = i & PAGE_MASK;
    const k = this.keys;
    const srcId = this.stringIds.id(k.src, d.src);
    const len = d.payload.length;
    const inFile = d.fileOffset >= 0 && this.readAt !== undefined;
    c.dialog[o] = id;
    c.frame[o] = d.frame;
    c.ts[o] = d.ts;
    c.src[o] = srcId;
    c.dst[o] = this.stringIds.id(k.dst, d.dst);
    c.sport[o] = d.sport;
    c.dport[o] = d.dport;
    c.transport[o] = TRANSPORTS.indexOf(d.transport);
    c.method[o] = this.tokenId(k.method, scan.method);
    c.status[o] = scan.status;
    c.cseq[o] = scan.cseq;
    c.cseqMethod[o] = this.tokenId(k.cseqMethod, scan.cseqMethod);
    c.headers[o] = this.names.mask;
    c.phrase[o] = scan.reasonPhrase.length <= MAX_KEPT_PHRASE ? this.tokenId(k.reasonPhrase, scan.reasonPhrase) : TOKEN_NOT_KEPT;
    c.refLength[o] = len;
    c.hash[o] = hash;
    if (node !== this.noNode || c.node !== undefined) (c.node ??= new Uint32Array(PAGE_ROWS).fill(this.noNode))[o] = node;
    // The one SDP read of a message, from the bytes at hand: the media plane learns its endpoints and the rules read its facts.
    const sdp = readMessageSdp(this.sdpReader, d.payload, scan, this.places);
    c.sdp[o] = this.sdp.add(sdp);
    this.lastRead = sdp;
    c.flags[o] = this.place(i, d, inFile, c, o) | (scan.hasSdp ? FLAG_SDP : 0) | (inFile ? FLAG_IN_FILE : 0) | (scan.viaReceived ? FLAG_VIA_RECEIVED : 0) |
      (isRetransmission(this.columns, dialog.last, srcId, d.sport, len, hash) ? FLAG_RETRANS : 0) |
      // index.note below makes a first reason the dialog's.
      (scan.reasons === 1 && scan.reason !== '' && (dialog.reason === '' || dialog.reason === scan.reason) ? FLAG_REASON_ALONE : 0);
    if (d.node !== undefined) this.noteNode(dialog, node);
    if (!this.index.note(id, i, d.ts, scan, d.payload, this.names)) this.skip('dialog-facts-over-limit');
    this.media?.learnMessage(id, d, scan.method, sdp, dialog.state);
  }


  /**
   * Sets where message i's payload lies and where the frames it came in do; returns their flags.
   * A payload that lies unmodified in one frame costs two small columns: its place in the frame
   * (the frame is in the file around it, or is spooled whole instead of the payload). Any other
   * goes to the FrameList. Decrypted payloads keep no frames: what was captured is ciphertext.
   */
  private place(i: MessageId, d: Datagram, inFile: boolean, c: ColumnPage, o: number): number {
    const f = d.carrier;
    const len = d.payload.length;
    const keep = d.transport !== 'TLS' && d.transport !== 'WSS';
    // Read where the frame lies when it says so: a frame in the file needs no view of its bytes.
    const caplen = f === undefined ? 0 : f.raw !== undefined ? f.raw.end - f.raw.start : f.data.length;
    if (keep && f !== undefined && f.origLen === caplen) {
      const head = inFile ? d.fileOffset - f.fileOffset : offsetWithin(f.data, d.payload);
      const tail = caplen - head - len;
      const link = this.linkIndex(f.linktype);
      if (head >= 0 && head <= MAX_FRAME_SIDE && tail >= 0 && tail <= MAX_FRAME_SIDE && link > 0) {
        c.refOffset[o] = inFile ? d.fileOffset : this.spool.append(f.data) + head;
        c.frameShape[o] = head * (MAX_FRAME_SIDE + 1) + tail;
        c.link[o] = link;
        return FLAG_FRAME;
      }
    }
    c.refOffset[o] = inFile ? d.fileOffset : this.spool.append(d.payload);
    if (!keep) return 0;
    if (f !== undefined) {
      this.frameList.begin(i);
      return this.listFrame(f.fileOffset, f.data, caplen, f.origLen, f.ts, f.linktype) ? FLAG_FRAMES_LISTED : this.cancelList();
    }
    const refs: readonly FrameRef[] = d.frames ?? [];
    if (refs.length === 0) return 0;
    this.frameList.begin(i);
    for (const r of refs) if (!this.listFrame(r.fileOffset, r.data, r.caplen, r.origLen, r.ts, r.linktype)) return this.cancelList();
    return FLAG_FRAMES_LISTED;
  }

  /** Adds a frame to the list begun last: its place in the file, or a copy in the spool; false when neither is possible. */
  private listFrame(fileOffset: number, data: Buffer | undefined, caplen: number, origLen: number, ts: bigint, linktype: number): boolean {
    const link = this.linkIndex(linktype);
    if (link === 0) return false;
    if (fileOffset >= 0 && this.readAt !== undefined) this.frameList.push(true, fileOffset, caplen, origLen, ts, link);
    else if (data !== undefined) this.frameList.push(false, this.spool.append(data), caplen, origLen, ts, link);
    else return false;
    return true;
  }

  private cancelList(): number {
    this.frameList.cancel();
    return 0;
  }

  /** The token-table id of a method or reason phrase (with its key, TextKeys), TOKEN_NOT_KEPT once the table is full. */
  private tokenId(key: number, s: string): number {
    const id = this.tokenIds.id(key, s);
    return id < 0 ? TOKEN_NOT_KEPT : id;
  }

  /** Method (or CSeq method) of message i from its token id, read back from the message when it was not kept. */
  private method(i: MessageId, id: number, field: 'method' | 'cseqMethod'): string {
    return id !== TOKEN_NOT_KEPT ? this.tokens.str(id) : (scanSip(this.messageBytes(i)) as SipScan)[field];
  }

  /** The link table index of a link type, 0 when the table is full. */
  private linkIndex(linktype: number): number {
    const known = this.linkIndexes.get(linktype);
    if (known !== undefined) return known;
    if (this.linktypes.length > MAX_LINKS) return 0;
    this.linkIndexes.set(linktype, this.linktypes.length);
    this.linktypes.push(linktype);
    return this.linktypes.length - 1;
  }

  /** Whether the dialog gained the node. */
  private noteNode(dialog: HeldDialog, node: number): boolean {
    const label = this.strings.str(node);
    if (dialog.nodes.length >= MAX_DIALOG_NODES || dialog.nodes.includes(label)) return false;
    dialog.nodes = dialog.nodes.length === 0 ? [label] : [...dialog.nodes, label];
    this.index.nodesChanged(dialog.id);
    return true;
  }

  /**
   * F5: forgets every held dialog, as if rotation had dropped them (their ids answer "gone" from
   * now on), so the list starts empty and new messages open new dialogs. Message ids stay valid.
   */
  clear(): void {
    this.index.clear();
    this.events.changed();
  }

  dialogCount(): number {
    return this.index.count();
  }

  dialog(id: DialogId): Dialog | undefined {
    return this.index.dialog(id);
  }

  /** Sort and filter keys of the held dialogs as columns (dialog-columns.ts). */
  get listIndex(): ListIndexView {
    return this.index;
  }

  /** The live list of held dialogs that pass `spec.filter`, in `spec.sort` order (query.ts). */
  query(spec: QuerySpec = {}): DialogQuery {
    return new DialogQuery(this, spec);
  }

  headerMask(id: DialogId): number {
    const k = this.index.slot(id);
    return k < 0 ? 0 : this.index.facts.headerMask(k);
  }

  hasOtherHeader(id: DialogId, hash: number): boolean {
    const k = this.index.slot(id);
    return k >= 0 && this.index.facts.hasOtherHeader(k, hash);
  }

  identityMatches(id: DialogId, kind: IdentityKind, test: RangeTest): boolean {
    const k = this.index.slot(id);
    return k >= 0 && this.index.facts.identityMatches(k, kind, test);
  }

  addressMatcher(test: (ip: string) => boolean, side: AddressSide): (id: DialogId) => boolean {
    const verdicts = new StringVerdicts((sid) => this.strings.str(sid), test);
    return (id) => {
      for (let m = this.index.dialog(id)?.last ?? -1; m >= 0; m = this.columns.prev(m)) {
        const c = this.columns.page(m);
        const o = m & PAGE_MASK;
        if (side !== 'dst' && verdicts.passes(c.src[o])) return true;
        if (side !== 'src' && verdicts.passes(c.dst[o])) return true;
      }
      return false;
    };
  }

  /** The held dialogs linked to dialog `id` by X-Call-ID / X-CID, in either direction, ascending; [] when it is gone. */
  relatedDialogs(id: DialogId): DialogId[] {
    return this.index.related(id);
  }

  /** RTP streams of a dialog, in order of their first packet; none when it is gone. */
  streams(id: DialogId): RtpStreamInfo[] {
    return this.index.slot(id) >= 0 && this.media ? this.media.streams(id) : [];
  }

  /** Jitter and loss over time of stream `stream` (RtpStreamInfo.id) of a dialog. */
  streamTimeline(id: DialogId, stream: number): StreamTimeline | undefined {
    return this.dialog(id) && this.media ? this.media.timeline(id, stream) : undefined;
  }

  /** The fax verdict of a held dialog's T.38 sessions; undefined without one. */
  faxCell(id: DialogId): FaxCell | undefined {
    return this.dialog(id) ? this.fax?.cell(id) : undefined;
  }

  /** Keys a dialog's SIP INFOs carried (application/dtmf-relay, application/dtmf), at their capture times. */
  infoDtmf(id: DialogId): readonly DtmfEvent[] {
    return this.dialog(id) && this.media ? this.media.infoDtmf(id) : [];
  }

  /** How many RTP streams a dialog has. */
  streamCount(id: DialogId): number {
    // Held is a range check: asking the diagnosis's 100k dialogs touches none of their objects.
    return this.index.slot(id) >= 0 && this.media ? this.media.streamCountOf(id) : 0;
  }

  /** When a held dialog's last message came (its `end`), without touching its object; 0n when it is gone. */
  dialogEnd(id: DialogId): bigint {
    return this.index.slot(id) < 0 ? 0n : this.index.endOf(id);
  }

  messageCount(): number {
    return this.columns.count;
  }

  message(i: MessageId): SipMessage {
    return this.messageInto(i, blankMessage());
  }

  /** Message i into `out` (its ref object too), for a reader that goes through thousands and keeps none (diagnose/). */
  messageInto(i: MessageId, out: SipMessage): SipMessage {
    const c = this.columns.page(i);
    const o = i & PAGE_MASK;
    const flags = c.flags[o];
    this.sharedFacts(i, c, o, flags, out);
    out.id = i;
    out.dialog = c.dialog[o] as DialogId;
    out.frame = c.frame[o];
    out.ts = c.ts[o];
    out.sport = c.sport[o];
    out.dport = c.dport[o];
    out.transport = TRANSPORTS[c.transport[o]];
    out.node = this.strings.str(c.node?.[o] ?? this.noNode);
    out.ref.inFile = (flags & FLAG_IN_FILE) !== 0;
    out.ref.offset = c.refOffset[o];
    out.ref.length = c.refLength[o];
    return out;
  }

  /** The SDP read of the message stored last: valid until the next datagram is added (the readers reuse it). */
  lastSdp(): SdpRead {
    return this.lastRead;
  }

  /** The dialog message i joined (also after that dialog was dropped). */
  messageDialog(i: MessageId): DialogId {
    return this.columns.page(i).dialog[i & PAGE_MASK] as DialogId;
  }

  /** What the diagnosis follows of message i as it arrives, into `out`: no object per message. */
  messageFacts(i: MessageId, out: MessageFacts): MessageFacts {
    const c = this.columns.page(i);
    const o = i & PAGE_MASK;
    const flags = c.flags[o];
    this.sharedFacts(i, c, o, flags, out);
    out.at = c.timeAt(o);
    out.viaReceived = (flags & FLAG_VIA_RECEIVED) !== 0;
    return out;
  }

  /** The fields SipMessage and MessageFacts share, of message i at row o of page c. */
  private sharedFacts(i: MessageId, c: ColumnPage, o: number, flags: number, out: SharedFacts): void {
    out.src = this.strings.str(c.src[o]);
    out.dst = this.strings.str(c.dst[o]);
    out.method = this.method(i, c.method[o], 'method');
    out.status = c.status[o];
    out.cseq = c.cseq[o];
    out.cseqMethod = this.method(i, c.cseqMethod[o], 'cseqMethod');
    out.hasSdp = (flags & FLAG_SDP) !== 0;
    out.retrans = (flags & FLAG_RETRANS) !== 0;
  }

  messageBytes(i: MessageId): Buffer {
    const c = this.columns.page(i);
    const o = i & PAGE_MASK;
    const offset = c.refOffset[o];
    const length = c.refLength[o];
    if ((c.flags[o] & FLAG_IN_FILE) !== 0 && this.readAt) return this.readAt(offset, length);
    return this.spool.read(offset, length);
  }

  /** HeaderNames.mask of message i: the MASKED_HEADERS it carries, known without a parse. */
  messageHeaderMask(i: MessageId): number {
    return this.columns.page(i).headers[i & PAGE_MASK];
  }

  /** The reason phrase of response i as parsed() would read it ('' for requests), without a parse. */
  reasonPhrase(i: MessageId): string {
    const id = this.columns.page(i).phrase[i & PAGE_MASK];
    return id === TOKEN_NOT_KEPT ? this.parsed(i).reasonPhrase : this.tokens.str(id);
  }

  /**
   * The value of message i's Reason or Warning header when it has one such line (as parsed() reads
   * it), '' when it has none, undefined when only a parse can say.
   */
  reasonHeader(i: MessageId): string | undefined {
    const c = this.columns.page(i);
    const o = i & PAGE_MASK;
    if ((c.headers[o] & REASON_HEADERS) === 0) return '';
    return (c.flags[o] & FLAG_REASON_ALONE) !== 0 ? this.index.dialog(c.dialog[o] as DialogId)?.reason : undefined;
  }

  /** False when no Via of message i carries a received parameter (SipScan.viaReceived): no parse needed to know. */
  viaMayHaveReceived(i: MessageId): boolean {
    return (this.columns.page(i).flags[i & PAGE_MASK] & FLAG_VIA_RECEIVED) !== 0;
  }

  /** The SDP facts of message i, undefined when it carries no SDP. */
  sdpFacts(i: MessageId): SdpFacts | undefined {
    const c = this.columns.page(i);
    const o = i & PAGE_MASK;
    if ((c.flags[o] & FLAG_SDP) === 0) return undefined;
    const ref = c.sdp[o];
    if (ref !== SDP_UNRECORDED) return this.sdp.get(ref);
    const session = sdpSessionsOf(this.parsed(i))[0];
    return session && sdpFacts(session);
  }

  /**
   * Equal for two SDP messages whose facts agree in all but port values and addresses (codec-fit.ts
   * judges no more than that), -1 when message i has no SDP or its facts were not recorded.
   */
  sdpCodecKey(i: MessageId): number {
    const c = this.columns.page(i);
    const o = i & PAGE_MASK;
    const ref = c.sdp[o];
    return (c.flags[o] & FLAG_SDP) === 0 || ref === SDP_UNRECORDED ? -1 : this.sdp.codecKey(ref);
  }

  messageFrames(i: MessageId): FrameLocation[] {
    const c = this.columns.page(i);
    const o = i & PAGE_MASK;
    const flags = c.flags[o];
    if ((flags & FLAG_FRAMES_LISTED) !== 0) return this.frameList.of(i, this.linktypes);
    if ((flags & FLAG_FRAME) === 0) return [];
    const shape = c.frameShape[o];
    const head = Math.floor(shape / (MAX_FRAME_SIDE + 1));
    const caplen = head + c.refLength[o] + (shape & MAX_FRAME_SIDE);
    return [{ ts: c.ts[o], linktype: this.linktypes[c.link[o]]!, caplen, origLen: caplen, inFile: (flags & FLAG_IN_FILE) !== 0, offset: c.refOffset[o] - head }];
  }

  frameBytes(f: FrameLocation): Buffer {
    return f.inFile && this.readAt ? this.readAt(f.offset, f.caplen) : this.spool.read(f.offset, f.caplen);
  }

  /** Full parse of message i, cached for the few messages a screen or filter looks at repeatedly. */
  parsed(i: MessageId): ParsedSip {
    return cached(this.parsedCache, PARSED_CACHE, i, () => parseSipMessage(this.messageBytes(i)));
  }

  /** What screens draw of message `id` (start line, headers, body parts, lines with roles), cached for the few on screen. */
  messageView(id: MessageId): MessageView {
    return cached(this.viewCache, VIEW_CACHE, id, () => buildMessageView(this.message(id), this.parsed(id)));
  }

  stats(): StoreStats {
    return this.events.stats(this.columns.count, this.dialogCount());
  }

  subscribe(fn: () => void): () => void {
    return this.events.subscribe(fn);
  }

  get touchMark(): number {
    return this.events.touchMark;
  }

  touchedSince(mark: number, fn: (id: DialogId) => void): boolean {
    return this.events.touchedSince(mark, fn);
  }
}
