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
import { EndpointTable } from './endpoint-table.js';
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
      if (Number.isInteger(n) && n >= 0 && n < DYNAMIC_PT) this.set(n, map.encoding, map.clockRate);
    }
  }
}

/** The static table alone: for RTP no SDP described. */
export const STATIC_PAYLOADS = new PayloadTable();

export interface AnnouncedMedia {
  /** Absolute dialog index (Dialog.index) of the dialog whose SDP announced it, latest. */
  dialog: DialogId;
  address: string;
  port: number;
  /** What arrives here: the m= line's RTP (or UDPTL) port, or its RTCP port. */
  role: 'rtp' | 'rtcp';
  /** RTCP shares the RTP port (a=rtcp-mux). */
  rtcpMux: boolean;
  /** The m= line's media, transport, codecs and direction (shared by every m= line that says the same). */
  shape: SdpShape;
  payloads: PayloadTable;
  /** Capture time of the SDP that (last) announced it: seconds and nanoseconds (small integers, no BigInt held). */
  sinceS: number;
  sinceNs: number;
}

/** Whether a was announced after b. */
export function announcedAfter(a: AnnouncedMedia, b: AnnouncedMedia): boolean {
  return a.sinceS > b.sinceS || (a.sinceS === b.sinceS && a.sinceNs > b.sinceNs);
}

const NS_PER_S = 1_000_000_000n;

/** Shapes whose payload table is kept; past this many a table is built for its endpoint alone. */
const MAX_SHARED_TABLES = 4096;
/** Distinct addresses held as one string each (SDP text slices would each keep their whole SDP alive). */
const MAX_ADDRESSES = 65_536;
/** Endpoints looked at for eviction per new endpoint at the bound: a map full of live calls costs little to refuse. */
const EVICTION_SCAN = 64;

export class MediaMap {
  /**
   * By port: changes whenever an endpoint on that port is announced, updated or evicted, so a cache
   * of lookup() answers knows when one went stale (one Uint32Array: 256 KiB).
   */
  readonly portVersion = new Uint32Array(65536);
  /** (address, port) → endpoint: a look-up hashes them and allocates nothing. */
  private readonly table = new EndpointTable<AnnouncedMedia>();
  /** Endpoints in order of announcement, oldest first (replaced ones linger until reached): eviction's queue. */
  private order: AnnouncedMedia[] = [];
  private head = 0;
  private readonly addresses = new Map<string, string>();
  /** learn()'s result, reused. */
  private readonly learned: AnnouncedMedia[] = [];
  /**
   * Tables by shape, shared by every endpoint of the shape: a capture of 100k calls announces a
   * few distinct ones, and a table per endpoint cost ~2.5 KB and 384 codec look-ups each (the load
   * of the 100k-call bench went from 3 s to over 20 s of CPU).
   */
  private readonly tables = new Map<SdpShape, PayloadTable>();

  /**
   * `ended(dialog)` says whether a dialog's call is over (or the dialog dropped): at the bound, its
   * endpoints make room for new ones, so a long live capture keeps learning.
   */
  constructor(
    private readonly skip: (reason: SkipReason) => void = () => {},
    private readonly ended: (dialog: DialogId) => boolean = () => false,
  ) {}

  /** The SDP bodies of one message of `dialog`; returns the RTP endpoints they announced (valid until the next call). */
  learn(dialog: DialogId, sdp: SdpRead, ts: bigint): readonly AnnouncedMedia[] {
    const out = this.learned;
    out.length = 0;
    if (sdp.count === 0) return out;
    const sinceS = Number(ts / NS_PER_S);
    const sinceNs = Number(ts % NS_PER_S);
    for (let k = 0; k < sdp.count; k++) {
      const m = sdp.sections[k]!;
      if (m.port <= 0 || m.connection === '' || isUnspecified(m.connection)) continue;
      const rtp = this.announce(dialog, m.connection, m.port, 'rtp', m, sinceS, sinceNs);
      if (rtp) out.push(rtp);
      if (m.rtcpMux || m.shape.udptl) continue;
      const rtcpAddress = m.rtcpAddress !== '' ? m.rtcpAddress : m.connection;
      this.announce(dialog, rtcpAddress, m.rtcpPort !== 0 ? m.rtcpPort : m.port + 1, 'rtcp', m, sinceS, sinceNs);
    }
    return out;
  }

  /** What was announced at address:port, if anything. */
  lookup(address: string, port: number): AnnouncedMedia | undefined {
    return this.table.get(address, port);
  }

  /** Endpoints held. */
  get size(): number {
    return this.table.size;
  }

  private announce(dialog: DialogId, address: string, port: number, role: AnnouncedMedia['role'], m: SdpSection, sinceS: number, sinceNs: number): AnnouncedMedia | undefined {
    this.portVersion[port]++;
    const found = this.table.get(address, port);
    if (found && found.dialog === dialog && found.role === role) {
      found.rtcpMux = m.rtcpMux;
      found.shape = m.shape;
      found.payloads = this.tableFor(m.shape);
      found.sinceS = sinceS;
      found.sinceNs = sinceNs;
      return found;
    }
    if (!found && this.table.size >= MAX_ENDPOINTS && !this.evictOne()) {
      this.skip('media-endpoint-limit');
      return undefined;
    }
    const shared = found?.address ?? this.address(address);
    const entry: AnnouncedMedia = { dialog, address: shared, port, role, rtcpMux: m.rtcpMux, shape: m.shape, payloads: this.tableFor(m.shape), sinceS, sinceNs };
    this.table.set(entry);
    this.order.push(entry);
    // Re-announcements by new dialogs leave stale entries behind: the queue stays within twice what is held.
    if (this.order.length - this.head > 2 * this.table.size + 1024) {
      this.order = this.order.slice(this.head).filter((e) => this.lookup(e.address, e.port) === e);
      this.head = 0;
    }
    return entry;
  }

  /** One shared copy per distinct address. */
  private address(a: string): string {
    const known = this.addresses.get(a);
    if (known !== undefined) return known;
    if (this.addresses.size >= MAX_ADDRESSES) return a;
    // A flat copy: `a` is usually a slice of its SDP's text.
    const copy = flatCopy(a);
    this.addresses.set(copy, copy);
    return copy;
  }

  /** Drops the oldest endpoint of an ended call, looking at a few from the front of the queue; false when none was found. */
  private evictOne(): boolean {
    const order = this.order;
    for (let n = 0; n < EVICTION_SCAN && this.head < order.length; n++) {
      const e = order[this.head]!;
      order[this.head++] = undefined as unknown as AnnouncedMedia;
      // Replaced by a later announcement: that one is further back in the queue.
      if (this.table.get(e.address, e.port) !== e) continue;
      if (this.ended(e.dialog)) {
        this.portVersion[e.port]++;
        this.table.delete(e.address, e.port);
        this.compact();
        return true;
      }
      // Still in call: to the back of the queue.
      order.push(e);
    }
    this.compact();
    return false;
  }

  private compact(): void {
    if (this.head > 4096 && this.head * 2 > this.order.length) {
      this.order = this.order.slice(this.head);
      this.head = 0;
    }
  }

  /** The shared (read-only) payload table of a shape's rtpmap. */
  private tableFor(shape: SdpShape): PayloadTable {
    if (shape.rtpmap.size === 0) return STATIC_PAYLOADS;
    let table = this.tables.get(shape);
    if (table) return table;
    table = new PayloadTable(STATIC_PAYLOADS);
    table.fill(shape.rtpmap);
    if (this.tables.size < MAX_SHARED_TABLES) this.tables.set(shape, table);
    return table;
  }
}

function isUnspecified(address: string): boolean {
  return address === '0.0.0.0' || address === '::';
}
