import type { SkipReason } from '../model/skip.js';
import type { DialogId } from '../model/ids.js';
/**
 * Stream discovery from SDP: which address:port each dialog's offers and answers announced, with
 * what media (audio, video, image/T.38), transport and payload types. Every m= line of every SDP
 * of a dialog (INVITE, 18x/200, re-INVITE, UPDATE, ACK, PRACK) adds its RTP endpoint and its RTCP
 * endpoint (a=rtcp, else port + 1, or the RTP port itself with a=rtcp-mux). An address:port
 * announced again updates in place for the same dialog (a re-INVITE's new codecs) and moves to the
 * newer dialog otherwise. Hold (c=0.0.0.0, port 0) announces nothing new; what was announced stays.
 *
 * The store for media planes (RTP here, UDPTL for fax): lookup(address, port) allocates nothing.
 */
import type { RtpMap } from '../sip/sdp.js';
import type { SdpRead, SdpSection, SdpShape } from '../sip/sdp-scan.js';
import { analysisClock, codecByName, staticCodec } from './codecs.js';
import { EndpointTable, hashOf } from './endpoint-table.js';
import { flatCopy } from '../sip/tokens.js';

/** Endpoints held in total; past it a new one is a counted skip ("media-endpoint-limit"). */
export const MAX_ENDPOINTS = 262_144;
const DYNAMIC_PT = 128;

/** Payload type → codec name and clocks, for one m= line. */
export class PayloadTable {
  readonly names: string[] = new Array<string>(DYNAMIC_PT).fill('');
  /** The clock Wireshark's analysis uses (0: no jitter). */
  readonly analysisClocks = new Int32Array(DYNAMIC_PT);
  /** The real sampling clock (RTCP jitter, DTMF durations, jitter buffer). */
  readonly clocks = new Int32Array(DYNAMIC_PT);

  /** A copy of `base` (the static table), or the static table itself when there is none. */
  constructor(base?: PayloadTable) {
    if (base) {
      for (let pt = 0; pt < DYNAMIC_PT; pt++) this.names[pt] = base.names[pt]!;
      this.analysisClocks.set(base.analysisClocks);
      this.clocks.set(base.clocks);
    } else {
      for (let pt = 0; pt < DYNAMIC_PT; pt++) this.set(pt, '', 0);
    }
  }

  set(pt: number, name: string, rate: number): void {
    const known = name !== '' ? codecByName(name) : staticCodec(pt);
    // The table's spelling ("PCMA" for "pcma"), so one codec shows and filters under one name.
    this.names[pt] = known?.name ?? (name !== '' ? name : '');
    this.analysisClocks[pt] = analysisClock(pt, name, rate);
    this.clocks[pt] = rate || known?.clock || 0;
  }

  /** Fills from an m= line's rtpmap (static types keep their table entry when not mapped). */
  fill(rtpmap: ReadonlyMap<string, RtpMap>): void {
    for (const [pt, map] of rtpmap) {
      const n = Number(pt);
      if (isPayloadType(n)) this.set(n, map.encoding, map.clockRate);
    }
  }
}

function isPayloadType(n: number): boolean {
  return Number.isInteger(n) && n >= 0 && n < DYNAMIC_PT;
}

/** The static table alone: for RTP no SDP described. */
export const STATIC_PAYLOADS = new PayloadTable();

/**
 * An announced endpoint: its number in the map's columns (dialogOf(e), shapeOf(e) …), -1 for none.
 * An endpoint re-announced by its own dialog for the same role keeps its number (and its streams see
 * the new codecs); one taken over by another dialog gets a new number, and streams keep reading the
 * old one as it was (a number a stream uses is never reused).
 */
export type Endpoint = number;

/** Endpoint flags. */
const RTCP_ROLE = 1;
const RTCP_MUX = 2;

/** Payload maps whose table is kept; past this many a table is built for its endpoint alone. */
const MAX_SHARED_TABLES = 4096;
/** Distinct addresses held as one string each (SDP text slices would each keep their whole SDP alive). */
const MAX_ADDRESSES = 65_536;
/** Endpoints looked at for eviction per new endpoint at the bound: a map full of live calls costs little to refuse. */
const EVICTION_SCAN = 64;
const FIRST_ENDPOINTS = 1024;
const RECENT_TABLES = 4096;

export class MediaMap {
  /**
   * By port: changes whenever an endpoint on that port is announced, updated or evicted, so a cache
   * of lookup() answers knows when one went stale (one Uint32Array: 256 KiB).
   */
  readonly portVersion = new Uint32Array(65536);
  /**
   * Endpoints as columns by number (an object each cost ~100 bytes: 26 MB for big100k's 262k
   * endpoints): the dialog whose SDP announced it (latest), its address and port, RTCP_ROLE (what
   * arrives here is the m= line's RTCP, not its RTP or UDPTL) and RTCP_MUX (a=rtcp-mux), the m= line's
   * shape and payload table, and the capture time of the SDP that (last) announced it in seconds and
   * nanoseconds (no BigInt held).
   */
  private dialogs = new Int32Array(FIRST_ENDPOINTS);
  private ports = new Int32Array(FIRST_ENDPOINTS);
  private flags = new Uint8Array(FIRST_ENDPOINTS);
  private sinceS = new Float64Array(FIRST_ENDPOINTS);
  private sinceNs = new Int32Array(FIRST_ENDPOINTS);
  /** Set when an endpoint is made, so a queued number can tell whether it still names the same one. */
  private serials = new Float64Array(FIRST_ENDPOINTS);
  /** A stream reads this endpoint: its number is not reused once it leaves the table. */
  private pinned = new Uint8Array(FIRST_ENDPOINTS);
  private readonly addresses: string[] = [];
  private readonly shapes: SdpShape[] = [];
  private readonly payloads: PayloadTable[] = [];
  private readonly free: number[] = [];
  private serial = 0;
  /** (address, port) → endpoint: a look-up hashes them and allocates nothing. */
  private readonly table = new EndpointTable((e) => this.addresses[e]!, (e) => this.ports[e]!);
  /** (endpoint, serial) pairs in order of announcement, oldest first (replaced ones linger until reached): eviction's queue. */
  private order: number[] = [];
  private head = 0;
  private readonly shared = new Map<string, string>();
  /** address()'s last answer, and the text it was asked for. */
  private lastAddress = '';
  private lastShared = '';
  /** learn()'s result, reused. */
  private readonly learned: Endpoint[] = [];
  /**
   * Tables by what an rtpmap maps, shared by every endpoint whose m= line maps the same: a capture of
   * 100k calls announces a few thousand shapes (codec lists in every order) but few mappings, and a
   * table cost ~2.5 KB and 384 codec look-ups each (one per endpoint took the load of the 100k-call
   * bench from 3 s to over 20 s of CPU). Keyed by content, not by shape: a decoding thread's shapes
   * and this thread's own (a file's lead-in) are distinct objects for the same text.
   */
  private readonly tables = new Map<string, PayloadTable>();
  /** sharedTable()'s scratch: the rtpmap entry that decides each payload type, and the types set. */
  private readonly deciding = new Array<RtpMap | undefined>(DYNAMIC_PT).fill(undefined);
  private readonly decided: number[] = [];
  /** tableFor()'s answers by shape id, direct-mapped. */
  private readonly recentShapes = new Array<SdpShape | undefined>(RECENT_TABLES).fill(undefined);
  private readonly recentTables = new Array<PayloadTable>(RECENT_TABLES).fill(STATIC_PAYLOADS);

  /**
   * `ended(dialog)` says whether a dialog's call is over (or the dialog dropped): at the bound, its
   * endpoints make room for new ones, so a long live capture keeps learning.
   */
  constructor(
    private readonly skip: (reason: SkipReason) => void = () => {},
    private readonly ended: (dialog: DialogId) => boolean = () => false,
  ) {}

  /**
   * The SDP bodies of one message of `dialog`, sent at sinceS seconds and sinceNs nanoseconds;
   * returns the RTP endpoints they announced (valid until the next call).
   */
  learn(dialog: DialogId, sdp: SdpRead, sinceS: number, sinceNs: number): readonly Endpoint[] {
    const out = this.learned;
    out.length = 0;
    for (let k = 0; k < sdp.count; k++) {
      const m = sdp.sections[k]!;
      if (!announces(m)) continue;
      // One table for the m= line's RTP and RTCP endpoints.
      const payloads = this.tableFor(m.shape);
      const rtp = this.announce(dialog, m.connection, m.port, 0, m, payloads, sinceS, sinceNs);
      if (rtp >= 0) out.push(rtp);
      if (m.rtcpMux || m.shape.udptl) continue;
      const rtcpAddress = m.rtcpAddress !== '' ? m.rtcpAddress : m.connection;
      this.announce(dialog, rtcpAddress, m.rtcpPort !== 0 ? m.rtcpPort : m.port + 1, RTCP_ROLE, m, payloads, sinceS, sinceNs);
    }
    return out;
  }

  /** What was announced at address:port, -1 for nothing. */
  lookup(address: string, port: number): Endpoint {
    return this.table.get(address, port);
  }

  /** Endpoints held. */
  get size(): number {
    return this.table.size;
  }

  /** The dialog whose SDP (last) announced e. */
  dialogOf(e: Endpoint): DialogId {
    return this.dialogs[e]! as DialogId;
  }

  addressOf(e: Endpoint): string {
    return this.addresses[e]!;
  }

  /** What arrives at e is the m= line's RTCP (not its RTP or UDPTL). */
  isRtcp(e: Endpoint): boolean {
    return (this.flags[e]! & RTCP_ROLE) !== 0;
  }

  /** RTCP shares e's RTP port (a=rtcp-mux). */
  rtcpMux(e: Endpoint): boolean {
    return (this.flags[e]! & RTCP_MUX) !== 0;
  }

  /** The m= line's media, transport, codecs and direction (shared by every m= line that says the same). */
  shapeOf(e: Endpoint): SdpShape {
    return this.shapes[e]!;
  }

  payloadsOf(e: Endpoint): PayloadTable {
    return this.payloads[e]!;
  }

  /** Whether a was announced after b. */
  announcedAfter(a: Endpoint, b: Endpoint): boolean {
    return this.sinceS[a]! > this.sinceS[b]! || (this.sinceS[a] === this.sinceS[b] && this.sinceNs[a]! > this.sinceNs[b]!);
  }

  /** A stream reads e from now on: e keeps its number, and what it said, even once it leaves the map. */
  pin(e: Endpoint): void {
    this.pinned[e] = 1;
  }

  private announce(dialog: DialogId, address: string, port: number, role: number, m: SdpSection, payloads: PayloadTable, sinceS: number, sinceNs: number): Endpoint {
    this.portVersion[port]++;
    const h = hashOf(address, port);
    const found = this.table.getHashed(address, port, h);
    if (found >= 0 && this.dialogs[found] === dialog && (this.flags[found]! & RTCP_ROLE) === role) {
      this.fill(found, role, m, payloads, sinceS, sinceNs);
      return found;
    }
    if (found < 0 && this.table.size >= MAX_ENDPOINTS && !this.evictOne()) {
      this.skip('media-endpoint-limit');
      return -1;
    }
    const shared = found >= 0 ? this.addresses[found]! : this.address(address);
    if (found >= 0) this.release(found);
    const e = this.make();
    this.dialogs[e] = dialog;
    this.addresses[e] = shared;
    this.ports[e] = port;
    this.fill(e, role, m, payloads, sinceS, sinceNs);
    this.table.set(e, h);
    this.order.push(e, this.serials[e]!);
    // Re-announcements by new dialogs leave stale entries behind: the queue stays within twice what is held.
    if (this.order.length / 2 - this.head / 2 > 2 * this.table.size + 1024) {
      const kept: number[] = [];
      for (let k = this.head; k < this.order.length; k += 2) if (this.current(this.order[k]!, this.order[k + 1]!)) kept.push(this.order[k]!, this.order[k + 1]!);
      this.order = kept;
      this.head = 0;
    }
    return e;
  }

  private fill(e: Endpoint, role: number, m: SdpSection, payloads: PayloadTable, sinceS: number, sinceNs: number): void {
    this.flags[e] = role | (m.rtcpMux ? RTCP_MUX : 0);
    this.shapes[e] = m.shape;
    this.payloads[e] = payloads;
    this.sinceS[e] = sinceS;
    this.sinceNs[e] = sinceNs;
  }

  /** A new endpoint number (a free one, or the next), with a new serial. */
  private make(): Endpoint {
    let e = this.free.pop();
    if (e === undefined) {
      e = this.addresses.length;
      this.addresses.push('');
      this.shapes.push(undefined as unknown as SdpShape);
      this.payloads.push(STATIC_PAYLOADS);
      if (e >= this.dialogs.length) this.widen();
    }
    this.pinned[e] = 0;
    this.serials[e] = ++this.serial;
    return e;
  }

  /** e left the table: its number may be reused unless a stream reads it. */
  private release(e: Endpoint): void {
    if (this.pinned[e] === 0) this.free.push(e);
  }

  private widen(): void {
    const n = this.dialogs.length * 2;
    const wider = <T extends Int32Array | Uint8Array | Float64Array>(a: T, make: (n: number) => T): T => {
      const b = make(n);
      b.set(a);
      return b;
    };
    this.dialogs = wider(this.dialogs, (k) => new Int32Array(k));
    this.ports = wider(this.ports, (k) => new Int32Array(k));
    this.flags = wider(this.flags, (k) => new Uint8Array(k));
    this.sinceS = wider(this.sinceS, (k) => new Float64Array(k));
    this.sinceNs = wider(this.sinceNs, (k) => new Int32Array(k));
    this.serials = wider(this.serials, (k) => new Float64Array(k));
    this.pinned = wider(this.pinned, (k) => new Uint8Array(k));
  }

  /** Whether the queued (e, serial) is still the endpoint the table holds for its address and port. */
  private current(e: Endpoint, serial: number): boolean {
    return this.serials[e] === serial && this.table.get(this.addresses[e]!, this.ports[e]!) === e;
  }

  /** One shared copy per distinct address. */
  private address(a: string): string {
    // An m= line's RTCP endpoint names the address its RTP one did, a moment before.
    if (a === this.lastAddress) return this.lastShared;
    let known = this.shared.get(a);
    if (known === undefined && this.shared.size >= MAX_ADDRESSES) known = a;
    else if (known === undefined) {
      // A flat copy: `a` is usually a slice of its SDP's text.
      known = flatCopy(a);
      this.shared.set(known, known);
    }
    this.lastAddress = a;
    this.lastShared = known;
    return known;
  }

  /** Drops the oldest endpoint of an ended call, looking at a few from the front of the queue; false when none was found. */
  private evictOne(): boolean {
    const order = this.order;
    for (let n = 0; n < EVICTION_SCAN && this.head < order.length; n++) {
      const e = order[this.head]!;
      const serial = order[this.head + 1]!;
      this.head += 2;
      // Replaced by a later announcement: that one is further back in the queue.
      if (!this.current(e, serial)) continue;
      if (this.ended(this.dialogs[e]! as DialogId)) {
        this.portVersion[this.ports[e]!]++;
        this.table.delete(this.addresses[e]!, this.ports[e]!);
        this.release(e);
        this.compact();
        return true;
      }
      // Still in call: to the back of the queue.
      order.push(e, serial);
    }
    this.compact();
    return false;
  }

  private compact(): void {
    if (this.head > 8192 && this.head * 2 > this.order.length) {
      this.order = this.order.slice(this.head);
      this.head = 0;
    }
  }

  /** The shared (read-only) payload table of a shape's rtpmap. */
  private tableFor(shape: SdpShape): PayloadTable {
    // A capture's calls announce a few thousand shapes at most (ids are handed out in order, so the
    // slots rarely collide): an array by shape id answers without the Map (or the rtpmap) being touched.
    const slot = shape.id & (RECENT_TABLES - 1);
    if (this.recentShapes[slot] === shape) return this.recentTables[slot]!;
    const table = this.sharedTable(shape);
    this.recentShapes[slot] = shape;
    this.recentTables[slot] = table;
    return table;
  }

  private sharedTable(shape: SdpShape): PayloadTable {
    if (shape.rtpmap.size === 0) return STATIC_PAYLOADS;
    // What fill() makes of the map (the last entry naming a type decides it), type by type, each
    // encoding length-prefixed (a name may hold any character): the same codecs in another order are one key.
    const { deciding, decided } = this;
    for (const [pt, map] of shape.rtpmap) {
      const n = Number(pt);
      if (!isPayloadType(n)) continue;
      if (deciding[n] === undefined) decided.push(n);
      deciding[n] = map;
    }
    decided.sort((a, b) => a - b);
    let key = '';
    for (const n of decided) {
      const map = deciding[n]!;
      key += `${n}:${map.encoding.length}:${map.encoding}${map.clockRate};`;
      deciding[n] = undefined;
    }
    decided.length = 0;
    let table = this.tables.get(key);
    if (table) return table;
    table = new PayloadTable(STATIC_PAYLOADS);
    table.fill(shape.rtpmap);
    if (this.tables.size < MAX_SHARED_TABLES) this.tables.set(key, table);
    return table;
  }
}

/** Whether an m= line announces an endpoint (a declined stream, or one on hold, announces nothing). */
export function announces(m: SdpSection): boolean {
  return m.port > 0 && m.connection !== '' && m.connection !== '0.0.0.0' && m.connection !== '::';
}
