import type { SkipReason } from '../model/skip.js';
import type { DialogId } from '../model/ids.js';
/**
 * The media plane: RTP and RTCP of the dialogs, always on (-r only decides whether packets are kept).
 * SIP messages teach it endpoints (SDP) and hosts; every other UDP datagram is offered to it:
 * - to or from an announced RTP endpoint: RTP (or RTCP with rtcp-mux) of that dialog;
 * - to or from an announced RTCP endpoint: RTCP of that dialog;
 * - else, between two hosts of one dialog in call (its SIP addresses and SDP c= addresses), an RTP
 *   version-2 packet on ports ≥ 1024: RTP of that dialog no SDP announced (origin "unannounced").
 * Streams are keyed by 5-tuple + SSRC. offer() allocates nothing for a packet of a known stream.
 */
import type { Datagram, UdpView } from '../model/datagram.js';
import type { CallState } from '../model/sip.js';
import type { DtmfEvent, RtcpSummary, RtpStreamInfo, StreamOrigin, StreamTimeline, XrVoipMetrics } from '../model/media.js';
import { headerValue, maySipStart, parseSipMessage } from '../sip/message.js';
import type { SdpRead } from '../sip/sdp-scan.js';
import { infoDtmf, MAX_DTMF_EVENTS, Rfc4733Tracker } from './dtmf.js';
import { MediaMap, STATIC_PAYLOADS, type Endpoint, type PayloadTable } from './media-map.js';
import { streamMos } from './mos.js';
import { readRtcp, type RtcpListener } from './rtcp.js';
import { isRtcp, newRtpHeader, readRtp } from './rtp.js';
import { captureMs, RtpStreamStats } from './stream-stats.js';
import { DialogSlots } from './dialog-slots.js';
import { LearnLog, type Lesson } from './learn-log.js';
import { timeParts, type TimeParts } from '../source/frame-time.js';

/** Streams per dialog and in total; past them a new stream is a counted skip ("rtp-stream-limit"). */
export const MAX_STREAMS_PER_DIALOG = 64;
export const MAX_STREAMS = 262_144;
/** Hosts a dialog lends to unannounced-RTP matching; more (SDP naming address after address) are not followed. */
const MAX_HOSTS_PER_DIALOG = 32;
/** Hosts of no dialog the map keeps at least (past it, while they are most of the map, they go). */
const MAX_UNOWNED_HOSTS = 1024;
/** Unannounced RTP is only looked for on unprivileged ports (SIP, DNS, NTP … sit below). */
const MIN_UNANNOUNCED_PORT = 1024;
/** Route cache: 2^13 slots (64 KiB), a route object each once used. */
const ROUTE_BITS = 13;
const NS_PER_S = 1_000_000_000n;
const NO_STREAMS: readonly MediaStream[] = [];
const NO_EVENTS: readonly DtmfEvent[] = [];
const NO_HOSTS: readonly Host[] = [];

class MediaStream {
  readonly stats: RtpStreamStats;
  dtmf: Rfc4733Tracker | undefined;
  readonly rtcp: RtcpSummary & { lastSrMiddle: number; lastSrMs: number } = {
    senderReports: 0, receiverReports: 0, fractionLostPct: null, cumulativeLost: null, jitterMs: null, rttMs: null, xr: null,
    lastSrMiddle: -1, lastSrMs: 0,
  };

  constructor(
    readonly id: number,
    readonly dialog: DialogId,
    readonly src: string,
    readonly sport: number,
    readonly dst: string,
    readonly dport: number,
    readonly ssrc: number,
    readonly origin: StreamOrigin,
    /** The endpoint the stream was matched at (pinned in the map), -1 for unannounced RTP. */
    readonly via: Endpoint,
    private readonly map: MediaMap,
  ) {
    this.stats = new RtpStreamStats(this.payloads.analysisClocks);
  }

  get payloads(): PayloadTable {
    return this.via < 0 ? STATIC_PAYLOADS : this.map.payloadsOf(this.via);
  }
}

/**
 * What the map answered for one 5-tuple, and the RTP stream its last packet went to: most packets
 * are of a stream seen a packet ago, and this spares them two endpoint look-ups, the dialog's
 * look-up and the walk over its streams. Valid while the map's versions of both ports are the ones it was filled at.
 */
class Route {
  toVersion = -1;
  fromVersion = -1;
  src = '';
  sport = -1;
  dst = '';
  dport = -1;
  to: Endpoint = -1;
  from: Endpoint = -1;
  stream: MediaStream | undefined = undefined;
}

/**
 * An IP address and the latest dialog in call that used it (-1 once that call is over): one per
 * address the plane's map holds (held), shared by the host lists of every dialog that used it, so a
 * message that names a host its dialog knows claims it with one write, without a look-up. The map
 * lets hosts of no dialog go only now and then (see letGo): a list that still names one finds it not
 * held and looks the address up again.
 */
interface Host {
  readonly ip: string;
  dialog: DialogId | -1;
  held: boolean;
}

/**
 * What the plane holds per dialog: most dialogs (REGISTER, OPTIONS, calls without media) never get
 * a stream or an INFO key, so those lists start as shared empty ones; the hosts list is copied to
 * its exact size when it grows (a few hosts: an array beats a Set, and a pushed-to array reserves 17 slots).
 */
interface DialogMedia {
  streams: readonly MediaStream[];
  info: readonly DtmfEvent[];
  /** Hosts (IP addresses) of the dialog, for unannounced RTP while the call lasts. */
  hosts: readonly Host[];
  /**
   * The hosts its last message came from and went to, when it claimed both: a dialog's messages
   * mostly go between the same two, so the next one claims them without walking the list.
   */
  from: Host | undefined;
  to: Host | undefined;
  ended: boolean;
}

export class MediaPlane implements RtcpListener {
  private readonly map: MediaMap;
  /** What SIP taught before any datagram was offered that may be media (undefined once replayed). */
  private log: LearnLog | undefined = new LearnLog();
  private readonly dialogs = new DialogSlots<DialogMedia>();
  /** IP address → the latest dialog in call that used it. */
  private readonly hosts = new Map<string, Host>();
  /** Hosts the map holds for no dialog: let go once they outnumber the others. */
  private unowned = 0;
  private readonly header = newRtpHeader();
  /** Direct-mapped by port pair; a slot is refilled in place, so a known stream's packet allocates nothing. */
  private readonly routes: (Route | undefined)[] = new Array<Route | undefined>(1 << ROUTE_BITS).fill(undefined);
  /** offer()'s datagram as the record the rest reads. */
  private readonly view: UdpView = { sec: 0, nsec: 0, src: '', sport: 0, dst: '', dport: 0, buf: Buffer.alloc(0), off: 0, end: 0 };
  /** offer()'s datagram time, split into the view only once a packet is taken (most datagrams offered are SIP). */
  private viewTs: bigint | undefined;
  private readonly time: TimeParts = { sec: 0, nsec: 0 };
  private streamCount = 0;
  private nextId = 0;
  /** Context of the RTCP packet being read (listener callbacks). */
  private rtcpDialog: DialogMedia | undefined;
  private rtcpMs = 0;
  private rtcpFrom = '';
  /**
   * Told of every RTCP packet read for a dialog (valid during the call, with the view's time set): -H forwards RTCP,
   * which reaches the plane without passing the message sinks. Unset, it costs nothing.
   */
  onRtcp: ((u: UdpView, dialog: DialogId) => void) | undefined;

  constructor(private readonly skip: (reason: SkipReason) => void = () => {}) {
    this.map = new MediaMap(skip, (dialog) => this.dialogs.get(dialog)?.ended ?? true);
  }

  /**
   * A SIP message of `dialog` (absolute index): its hosts, SDP endpoints, INFO DTMF. `sdp` is the SDP
   * bodies the store parsed out of it; `state` the call state after it. A BYE or CANCEL, or a call that
   * failed (busy, rejected), ends the call for host matching and lets its endpoints be evicted at the bound:
   * otherwise every failed call's offer would hold its endpoints for good, and a long capture would stop
   * tracking new calls' media once the map is full.
   */
  learnMessage(dialog: DialogId, d: Datagram, method: string, sdp: SdpRead, state: CallState = ''): void {
    // INFO keys are the dialog's alone: learnt at once, they need not wait in the log.
    const info = method === 'INFO' && this.infoKey(dialog, d);
    // The retry after a 401/407 challenge (same Call-ID) sets the call up again.
    const reopen = method === 'INVITE' && state === 'CALL SETUP';
    const ends = !info && (method === 'BYE' || method === 'CANCEL' || callOver(state));
    if (this.log !== undefined && this.log.add(dialog, d.src, d.dst, reopen, ends, sdp, d.ts)) return;
    this.replay();
    if (sdp.count === 0) this.learn(dialog, d.src, d.dst, reopen, ends, sdp, 0, 0);
    else this.learn(dialog, d.src, d.dst, reopen, ends, sdp, Number(d.ts / NS_PER_S), Number(d.ts % NS_PER_S));
  }

  /** An INFO message while the dialog has room for keys: its key, if it sends one; false when there is no room. */
  private infoKey(dialog: DialogId, d: Datagram): boolean {
    const dm = this.dialogMedia(dialog);
    if (dm.info.length >= MAX_DTMF_EVENTS) return false;
    const message = parseSipMessage(d.payload);
    const event = infoDtmf(headerValue(message, 'Content-Type') ?? '', message.buf.toString('utf8', message.bodyStart, message.bodyEnd), d.ts);
    if (event) dm.info = [...dm.info, event];
    return true;
  }

  /** What a message teaches (see learnMessage), at once or from the log. */
  private readonly learn: Lesson = (dialog, src, dst, reopen, ends, sdp, sinceS, sinceNs) => {
    const dm = this.dialogMedia(dialog);
    if (dm.ended && reopen) dm.ended = false;
    if (!dm.ended) this.addHosts(dm, dialog, src, dst);
    if (sdp.count > 0) {
      for (const e of this.map.learn(dialog, sdp, sinceS, sinceNs)) if (!dm.ended) this.addHost(dm, dialog, this.map.addressOf(e));
    }
    if (!dm.ended && ends) {
      dm.ended = true;
      this.letGo(dm.hosts, dialog);
      dm.hosts = NO_HOSTS;
      dm.from = dm.to = undefined;
    }
  };

  /**
   * Learns what the log holds, and from now on at once: the map and the hosts are about to be read
   * (a datagram that may be media, a dialog dropped).
   */
  private replay(): void {
    const log = this.log;
    if (log === undefined) return;
    this.log = undefined;
    log.replay(this.learn);
  }

  /**
   * A non-SIP UDP datagram: the dialog (absolute index) it belongs to, or -1. `announcedOnly`
   * skips the host match (used before the SIP parser has had its say).
   */
  offer(d: Datagram, announcedOnly = false): DialogId | -1 {
    if (d.transport !== 'UDP') return -1;
    const u = this.view;
    this.viewTs = d.ts;
    u.src = d.src;
    u.sport = d.sport;
    u.dst = d.dst;
    u.dport = d.dport;
    u.buf = d.payload;
    u.off = 0;
    u.end = d.payload.length;
    return this.take(u, announcedOnly, d.rtcp === true);
  }

  /**
   * offer() for the decoder's reused record (DatagramSink.udp): no Datagram needed. `hostsToo`:
   * also match unannounced RTP between a dialog's hosts (for payloads that cannot be SIP).
   */
  offerUdp(u: UdpView, hostsToo: boolean): DialogId | -1 {
    this.viewTs = undefined;
    return this.take(u, !hostsToo);
  }

  /** The view's time once a packet is taken: offer() leaves it to be split from its datagram's. */
  private timed(u: UdpView): void {
    if (u !== this.view || this.viewTs === undefined) return;
    timeParts(this.viewTs, this.time);
    u.sec = this.time.sec;
    u.nsec = this.time.nsec;
    this.viewTs = undefined;
  }

  /** saysRtcp: a HEP agent said it is RTCP (type 5), so it is read as RTCP even at an RTP port. */
  private take(u: UdpView, announcedOnly: boolean, saysRtcp = false): DialogId | -1 {
    // What may be SIP waits for the SIP parser whether or not its ports are announced (below): every SIP
    // message is offered first, and a look-up would only thrash the route of the SIP ports.
    if (announcedOnly && maySipStart(u.buf, u.off, u.end)) return -1;
    if (this.log !== undefined) this.replay();
    const r = this.route(u);
    const map = this.map;
    const to = r.to;
    const from = r.from;
    // Both ends announced: the later announcement decides (a re-INVITE to T.38 turns the port to UDPTL).
    const via = to < 0 || (from >= 0 && map.announcedAfter(from, to)) ? from : to;
    if (via >= 0) {
      // A payload that may be SIP waited for the SIP parser (above): an endpoint once announced as media can carry
      // signalling later (a phone's SIP port reused by a NAT or announced by an old call). RTP and RTCP (version 2,
      // first byte 0x80–0xbf) never start with a token byte, so media is not held up.
      // UDPTL (T.38) belongs to the dialog (so -r keeps it); its analysis is not RTP's.
      const dialog = map.dialogOf(via);
      if (map.shapeOf(via).udptl) return dialog;
      const rtcp = map.isRtcp(via) || saysRtcp || (map.rtcpMux(via) && isRtcp(u.buf, u.off, u.end));
      if (rtcp) this.rtcpPacket(u, via);
      else this.rtpPacket(u, dialog, via, via === to ? from : to, r);
      return dialog;
    }
    if (announcedOnly || u.sport < MIN_UNANNOUNCED_PORT || u.dport < MIN_UNANNOUNCED_PORT) return -1;
    const dialog = this.hosts.get(u.src)?.dialog ?? -1;
    if (dialog === -1 || this.hosts.get(u.dst)?.dialog !== dialog) return -1;
    if (readRtp(u.buf, this.header, u.off, u.end) !== '') return -1;
    this.rtpPacket(u, dialog, -1, -1, undefined);
    return dialog;
  }

  /** The route of u's 5-tuple: from the cache while the map is unchanged at both ports, else looked up afresh. */
  private route(u: UdpView): Route {
    // Fibonacci hashing of the port pair: the high bits of the product spread sequential ports.
    const slot = Math.imul((u.sport << 16) | u.dport, 0x9e3779b1) >>> (32 - ROUTE_BITS);
    let r = this.routes[slot];
    if (r === undefined) this.routes[slot] = r = new Route();
    const versions = this.map.portVersion;
    if (r.sport !== u.sport || r.dport !== u.dport || r.src !== u.src || r.dst !== u.dst || r.toVersion !== versions[u.dport] || r.fromVersion !== versions[u.sport]) {
      r.src = u.src;
      r.sport = u.sport;
      r.dst = u.dst;
      r.dport = u.dport;
      r.toVersion = versions[u.dport]!;
      r.fromVersion = versions[u.sport]!;
      r.to = this.map.lookup(u.dst, u.dport);
      r.from = this.map.lookup(u.src, u.sport);
      r.stream = undefined;
    }
    return r;
  }

  /** RTP streams of a dialog (absolute index), in order of their first packet. */
  streams(dialog: DialogId): RtpStreamInfo[] {
    return (this.dialogs.get(dialog)?.streams ?? NO_STREAMS).map((s) => this.info(s));
  }

  /** How many RTP streams a dialog has, without building them. */
  streamCountOf(dialog: DialogId): number {
    return this.dialogs.get(dialog)?.streams.length ?? 0;
  }

  /** Jitter and loss over the stream's duration, by stream id. */
  timeline(dialog: DialogId, id: number): StreamTimeline | undefined {
    return this.dialogs.get(dialog)?.streams.find((s) => s.id === id)?.stats.timeline();
  }

  /** Keys sent by SIP INFO in a dialog. */
  infoDtmf(dialog: DialogId): readonly DtmfEvent[] {
    return this.dialogs.get(dialog)?.info ?? NO_EVENTS;
  }

  /** Rotation and clear dropped dialogs below this absolute index: their media goes too. */
  forgetBefore(dialog: DialogId): void {
    this.replay();
    this.dialogs.dropBefore(dialog, (abs, dm) => {
      this.streamCount -= dm.streams.length;
      this.letGo(dm.hosts, abs);
    });
    // Routes may name streams of the dropped dialogs.
    this.routes.fill(undefined);
  }

  /** One RTP packet of `dialog`; `route` (announced media only) remembers its stream for the next packet. */
  private rtpPacket(d: UdpView, dialog: DialogId, via: Endpoint, other: Endpoint, route: Route | undefined): void {
    const h = this.header;
    const why = readRtp(d.buf, h, d.off, d.end);
    if (why !== '') {
      this.skip(why);
      return;
    }
    let stream = route?.stream;
    if (stream === undefined || stream.ssrc !== h.ssrc) stream = this.streamOf(d, dialog, via, other);
    if (stream === undefined) return;
    if (route !== undefined) route.stream = stream;
    const payloads = stream.payloads;
    this.timed(d);
    stream.stats.add(d.sec, d.nsec, h.seq, h.timestamp, h.payloadType, h.marker);
    if (payloads.names[h.payloadType] === 'telephone-event') {
      // Key presses only: the BigInt an event keeps is made for these packets alone.
      (stream.dtmf ??= new Rfc4733Tracker()).add(BigInt(d.sec) * NS_PER_S + BigInt(d.nsec), d.buf, h.payloadStart, h.payloadEnd, h.timestamp, payloads.clocks[h.payloadType]!);
    }
  }

  /** The stream of d's 5-tuple and the header's SSRC in `dialog`, created when new (undefined past the limits). */
  private streamOf(d: UdpView, dialog: DialogId, via: Endpoint, other: Endpoint): MediaStream | undefined {
    const h = this.header;
    const dm = this.dialogMedia(dialog);
    let stream: MediaStream | undefined;
    const list = dm.streams;
    for (let i = list.length - 1; i >= 0; i--) {
      const s = list[i]!;
      if (s.ssrc === h.ssrc && s.sport === d.sport && s.dport === d.dport && s.src === d.src && s.dst === d.dst) {
        stream = s;
        break;
      }
    }
    if (stream === undefined) {
      if (list.length >= MAX_STREAMS_PER_DIALOG || this.streamCount >= MAX_STREAMS) {
        this.skip('rtp-stream-limit');
        return undefined;
      }
      const origin: StreamOrigin = via < 0 ? 'unannounced' : other >= 0 && this.map.dialogOf(other) === dialog ? 'sdp' : 'nat';
      if (via >= 0) this.map.pin(via);
      stream = new MediaStream(this.nextId++, dialog, d.src, d.sport, d.dst, d.dport, h.ssrc, origin, via, this.map);
      dm.streams = list.length === 0 ? [stream] : [...list, stream];
      this.streamCount++;
    }
    return stream;
  }

  private rtcpPacket(d: UdpView, via: Endpoint): void {
    this.rtcpDialog = this.dialogMedia(this.map.dialogOf(via));
    this.timed(d);
    this.rtcpMs = captureMs(d.sec, d.nsec);
    this.rtcpFrom = d.src;
    const srtp = this.map.shapeOf(via).srtp;
    const why = readRtcp(d.buf, srtp, this, d.off, d.end);
    if (why !== '') this.skip(why);
    this.rtcpDialog = undefined;
    // SRTCP's reports are encrypted: there is nothing to forward that a collector could read.
    if (why === '' && !srtp) this.onRtcp?.(d, this.map.dialogOf(via));
  }

  /**
   * The dialog's stream with this SSRC. Of several (a relay that keeps the SSRC on both legs), the
   * one whose `end` is the RTCP packet's sender: the stream it sends for an SR, the one it
   * receives for a report block.
   */
  private bySsrc(ssrc: number, end: 'src' | 'dst'): MediaStream | undefined {
    const list = this.rtcpDialog?.streams ?? NO_STREAMS;
    let found: MediaStream | undefined;
    for (let i = list.length - 1; i >= 0; i--) {
      const s = list[i]!;
      if (s.ssrc !== ssrc) continue;
      if (s[end] === this.rtcpFrom) return s;
      found ??= s;
    }
    return found;
  }

  senderReport(ssrc: number, ntpMiddle: number): void {
    const s = this.bySsrc(ssrc, 'src');
    if (!s) return;
    s.rtcp.senderReports++;
    s.rtcp.lastSrMiddle = ntpMiddle;
    s.rtcp.lastSrMs = this.rtcpMs;
  }

  reportBlock(reporter: number, source: number, fractionLost: number, cumulativeLost: number, jitter: number, lsr: number, dlsr: number): void {
    // Some phones put a block about their own SSRC in every SR: it reports on no stream they receive.
    if (reporter === source) return;
    const s = this.bySsrc(source, 'dst');
    if (!s) return;
    const r = s.rtcp;
    r.receiverReports++;
    // Fraction lost is in 1/256ths (RFC 3550 §6.4.1).
    r.fractionLostPct = Math.round((10000 * fractionLost) / 256) / 100;
    r.cumulativeLost = cumulativeLost;
    const clock = s.payloads.clocks[s.stats.payloadTypes[0] ?? 0] || 8000;
    r.jitterMs = Math.round((jitter * 1e6) / clock) / 1000;
    // LSR/DLSR: the round trip as the capture point sees it, SR out to the report back, less the hold time (1/65536 s).
    if (lsr !== 0 && lsr === r.lastSrMiddle) {
      const rtt = this.rtcpMs - r.lastSrMs - (dlsr * 1000) / 65536;
      if (rtt >= 0) r.rttMs = Math.round(rtt * 1000) / 1000;
    }
  }

  voipMetrics(reporter: number, source: number, m: XrVoipMetrics): void {
    if (reporter === source) return;
    const s = this.bySsrc(source, 'dst');
    if (s) s.rtcp.xr = m;
  }

  private dialogMedia(dialog: DialogId): DialogMedia {
    let dm = this.dialogs.get(dialog);
    if (!dm) this.dialogs.set(dialog, (dm = { streams: NO_STREAMS, info: NO_EVENTS, hosts: NO_HOSTS, from: undefined, to: undefined, ended: false }));
    return dm;
  }

  /** A message of the dialog from src to dst: addHost of both, in that order. */
  private addHosts(dm: DialogMedia, dialog: DialogId, src: string, dst: string): void {
    const a = dm.from;
    const b = dm.to;
    if (a !== undefined && b !== undefined && a.held && b.held && ((a.ip === src && b.ip === dst) || (a.ip === dst && b.ip === src))) {
      this.claim(a, dialog);
      this.claim(b, dialog);
      return;
    }
    const from = this.addHost(dm, dialog, src);
    const to = this.addHost(dm, dialog, dst);
    dm.from = from;
    dm.to = to;
  }

  /** ip is a host of the dialog's call, and the dialog the latest that used it: the host, undefined when the list is full. */
  private addHost(dm: DialogMedia, dialog: DialogId, ip: string): Host | undefined {
    const list = dm.hosts;
    let k = 0;
    while (k < list.length && list[k]!.ip !== ip) k++;
    if (k < list.length && list[k]!.held) {
      this.claim(list[k]!, dialog);
      return list[k];
    }
    if (k === list.length && k >= MAX_HOSTS_PER_DIALOG) return undefined;
    let host = this.hosts.get(ip);
    if (host === undefined) this.hosts.set(ip, (host = { ip, dialog, held: true }));
    else this.claim(host, dialog);
    if (k < list.length) {
      // The map let the one the list names go: the list names the map's now.
      const copy = list.slice();
      copy[k] = host;
      dm.hosts = copy;
    } else {
      dm.hosts = k === 0 ? [host] : [...list, host];
    }
    return host;
  }

  private claim(h: Host, dialog: DialogId): void {
    if (h.dialog === -1) this.unowned--;
    h.dialog = dialog;
  }

  /**
   * The dialog's call is over or the dialog is gone: the hosts it was the latest to use are no
   * one's. They stay in the map (the lists of other dialogs name them) until they are most of it.
   */
  private letGo(list: readonly Host[], dialog: DialogId): void {
    for (const h of list) {
      if (!h.held || h.dialog !== dialog) continue;
      h.dialog = -1;
      this.unowned++;
    }
    if (this.unowned <= MAX_UNOWNED_HOSTS || 2 * this.unowned <= this.hosts.size) return;
    for (const h of this.hosts.values()) {
      if (h.dialog !== -1) continue;
      h.held = false;
      this.hosts.delete(h.ip);
    }
    this.unowned = 0;
  }
  private info(s: MediaStream): RtpStreamInfo {
    const st = s.stats;
    const pt = st.payloadTypes[0] ?? 0;
    const codec = s.payloads.names[pt] ?? '';
    const expected = st.expected;
    const lost = st.lost;
    const rtcp = s.rtcp;
    return {
      id: s.id,
      dialog: s.dialog,
      src: s.src, sport: s.sport, dst: s.dst, dport: s.dport, ssrc: s.ssrc,
      origin: s.origin,
      media: s.via < 0 ? '' : this.map.shapeOf(s.via).media,
      srtp: s.via < 0 ? false : this.map.shapeOf(s.via).srtp,
      payloadType: pt,
      codec,
      payloadTypes: st.payloadTypes.slice(),
      codecs: st.payloadTypes.map((p) => s.payloads.names[p] || String(p)),
      packets: st.packets,
      expected,
      lost,
      lossPct: expected > 0 ? Math.round((10000 * lost) / expected) / 100 : 0,
      seqErrors: st.seqErrors,
      duplicates: st.duplicates,
      wrongTimestamps: st.wrongTimestamps,
      markers: st.markers,
      maxDeltaMs: round3(st.maxDeltaMs),
      meanJitterMs: round3(st.meanJitterMs),
      maxJitterMs: round3(st.maxJitterMs),
      start: st.firstTs,
      end: st.lastTs,
      mos: streamMos({
        codec, payloadType: pt, expected, lost, discarded: st.jitterDiscards,
        lossRuns: st.gapEvents, lossRunPackets: st.gapLost, received: st.packets - st.duplicates, rttMs: rtcp.rttMs,
      }),
      jitterDiscards: st.jitterDiscards,
      dtmf: s.dtmf?.events.slice() ?? [],
      rtcp: {
        senderReports: rtcp.senderReports, receiverReports: rtcp.receiverReports, fractionLostPct: rtcp.fractionLostPct,
        cumulativeLost: rtcp.cumulativeLost, jitterMs: rtcp.jitterMs, rttMs: rtcp.rttMs, xr: rtcp.xr,
      },
    };
  }
}

function round3(v: number): number {
  return Math.round(v * 1000) / 1000;
}

/** States after which a call has no media of its own any more (DIVERTED may be a 181 while the call goes on). */
function callOver(state: CallState): boolean {
  return state === 'COMPLETED' || state === 'CANCELLED' || state === 'REJECTED' || state === 'BUSY';
}
