import type { Datagram, DatagramSink, FrameRef, Transport, UdpView } from '../model/datagram.js';
import type { Frame } from '../model/frame.js';
import { timeParts, type TimeParts } from '../source/frame-time.js';
import type { SkipReason } from '../model/skip.js';
import { AddressNames } from './address.js';
import { FragmentTable } from './fragments.js';
import { allFrames, frameRef, framesIn, type Assembly } from './frame-refs.js';
import { SctpAssembler } from './sctp.js';
import type { StreamHeuristic } from './stream-parser.js';
import { TcpStreams } from './tcp-stream.js';
import { tlsStream } from './stream-heuristics.js';
import { TlsDecryption } from './tls.js';
import type { TlsSecrets } from './tls-keys.js';

/** What a protocol decoder returns: undefined when the bytes were used (emitted or buffered), else a skip reason. */
export type Skip = SkipReason | undefined;

/** A protocol decoder: reads buf[off, end) and hands what it carries to the next layer. */
export type Layer = (cx: DecodeContext, buf: Buffer, off: number, end: number) => Skip;

/**
 * A decoder for a well-known UDP port or a UDP payload recognised by content. false means "the
 * bytes are not this protocol", and the payload is then emitted as a plain UDP datagram.
 */
export type PortLayer = (cx: DecodeContext, buf: Buffer, off: number, end: number) => Skip | false;

/**
 * The dissector tables (decode/registry.ts fills them): leaves reach the next layer through
 * the context's dispatch methods, never by importing each other, so adding a protocol is one
 * registration.
 */
export interface DecodeRegistry {
  /** pcap LINKTYPE_* → decoder. */
  readonly linkTypes: ReadonlyMap<number, Layer>;
  /** Ethertype → decoder (also used by SLL, GRE, PPP, raw IP and inner Ethernet). */
  readonly etherTypes: ReadonlyMap<number, Layer>;
  /** IP protocol number → decoder. */
  readonly ipProtocols: ReadonlyMap<number, Layer>;
  /** UDP payload decoders tried on every datagram, by content (HEP), before the ports. */
  readonly udpHeuristics: readonly PortLayer[];
  /** Well-known UDP ports of encapsulations (either direction). */
  readonly udpPorts: ReadonlyMap<number, PortLayer>;
  /** TCP content detection, tried in order on a stream's first bytes. */
  readonly streamHeuristics: readonly StreamHeuristic[];
}

/** Link layers (Ethernet in Ethernet, stacked VLAN tags, …) nested deeper than this are hostile or broken. */
export const MAX_LINK_DEPTH = 16;
/** IP in IP (tunnels, GRE, GTP, …) nested deeper than this is hostile or broken. */
export const MAX_TUNNEL_DEPTH = 12;

const EMPTY = Buffer.alloc(0);
const ETHERTYPE_IP4 = 0x0800;
const ETHERTYPE_IP6 = 0x86dd;

/**
 * Per-frame decoding state shared by the protocol decoders: the frame, the innermost addresses
 * and ports seen so far, and whether the bytes being read still lie in frame.data.
 * Kept in one mutable object so the hot path allocates nothing per layer.
 */
export class DecodeContext {
  frame!: Frame;
  /** True while decoding bytes the decoder assembled (fragments, streams, inflated HEP): no file offset then. */
  owned = false;
  /** The frames behind the buffer being decoded while it is one the decoder assembled; undefined: the current frame. */
  assembled: Assembly | undefined = undefined;
  /** True while the stream heuristics look at bytes decrypted from TLS: the parsers they pick say TLS / WSS. */
  decrypted = false;
  src = '';
  dst = '';
  sport = 0;
  dport = 0;
  /** The packet value behind the last "unsupported" skip (for the bounded sample of details). */
  detail: string | undefined;
  private linkDepth = 0;
  private tunnelDepth = 0;
  /** The one record sink.udp() is offered, refilled for every datagram. */
  private readonly udp: UdpView = { sec: 0, nsec: 0, src: '', sport: 0, dst: '', dport: 0, buf: EMPTY, off: 0, end: 0 };
  /** The frame's time when it has no raw parts (sources that build a Frame per packet anyway). */
  private readonly time: TimeParts = { sec: 0, nsec: 0 };
  readonly names = new AddressNames();
  readonly fragments: FragmentTable;
  readonly streams: TcpStreams;
  readonly sctp: SctpAssembler;
  readonly tls: TlsDecryption;

  constructor(readonly sink: DatagramSink, private readonly registry: DecodeRegistry, secrets?: TlsSecrets) {
    const drop = (reason: SkipReason): void => sink.skip(reason);
    this.fragments = new FragmentTable(drop);
    this.sctp = new SctpAssembler(drop);
    this.streams = new TcpStreams(registry.streamHeuristics);
    // What TLS carries is found by the same heuristics as on TCP (not TLS again).
    this.tls = new TlsDecryption(secrets, registry.streamHeuristics.filter((h) => h !== tlsStream));
  }

  begin(frame: Frame): void {
    this.frame = frame;
    this.owned = false;
    this.assembled = undefined;
    this.linkDepth = 0;
    this.tunnelDepth = 0;
    this.detail = undefined;
  }

  /** Counts one more network layer; false once the nesting is implausibly deep. */
  enter(): boolean {
    return ++this.tunnelDepth <= MAX_TUNNEL_DEPTH;
  }

  /** A skip for a value no table knows; the value goes to the details, not the reason. */
  unsupported(reason: SkipReason, value: string): SkipReason {
    this.detail = value;
    return reason;
  }

  link(linktype: number, buf: Buffer, off: number, end: number): Skip {
    const layer = this.registry.linkTypes.get(linktype);
    return layer === undefined ? this.unsupported('linktype-unsupported', String(linktype)) : layer(this, buf, off, end);
  }

  etherType(type: number, buf: Buffer, off: number, end: number): Skip {
    if (++this.linkDepth > MAX_LINK_DEPTH) return 'link-too-deep';
    const layer = this.registry.etherTypes.get(type);
    if (layer !== undefined) return layer(this, buf, off, end);
    // Values up to 1500 are 802.3 lengths (LLC frames: STP, CDP, …), never IP.
    return type <= 1500 ? 'eth-llc' : this.unsupported('ethertype-unsupported', `0x${type.toString(16).padStart(4, '0')}`);
  }

  /** Dispatches on the IP protocol once the IP layer has set src / dst. */
  ipProtocol(proto: number, buf: Buffer, off: number, end: number): Skip {
    const layer = this.registry.ipProtocols.get(proto);
    return layer === undefined ? this.unsupported('ip-proto-unsupported', String(proto)) : layer(this, buf, off, end);
  }

  /** An IP packet without a link header: the version nibble tells v4 from v6. */
  rawIp(buf: Buffer, off: number, end: number): Skip {
    if (off >= end) return 'ip-truncated';
    const version = buf[off] >> 4;
    if (version === 4) return this.etherType(ETHERTYPE_IP4, buf, off, end);
    if (version === 6) return this.etherType(ETHERTYPE_IP6, buf, off, end);
    return 'ip-bad-version';
  }

  /** A UDP payload (sport / dport set): by content, then encapsulations by port, else a datagram. */
  udpPayload(buf: Buffer, off: number, end: number): Skip {
    // Indexed: for…of builds an iterator per datagram until the optimiser gets to this loop.
    const heuristics = this.registry.udpHeuristics;
    for (let i = 0; i < heuristics.length; i++) {
      const r = heuristics[i]!(this, buf, off, end);
      if (r !== false) return r;
    }
    const special = this.registry.udpPorts.get(this.dport) ?? this.registry.udpPorts.get(this.sport);
    if (special !== undefined) {
      const r = special(this, buf, off, end);
      if (r !== false) return r;
    }
    // RTCP a HEP agent marked as such needs its Datagram (with the mark), not the media lane.
    if (this.sink.udp !== undefined && this.frame.rtcp !== true) {
      const u = this.udp;
      const raw = this.frame.raw;
      if (raw !== undefined) {
        u.sec = raw.sec;
        u.nsec = raw.nsec;
      } else {
        timeParts(this.frame.ts, this.time);
        u.sec = this.time.sec;
        u.nsec = this.time.nsec;
      }
      u.src = this.src;
      u.sport = this.sport;
      u.dst = this.dst;
      u.dport = this.dport;
      u.buf = buf;
      u.off = off;
      u.end = end;
      const taken = this.sink.udp(u);
      // Not holding on to the frame's bytes past the call.
      u.buf = EMPTY;
      if (taken) return undefined;
    }
    this.emit(buf, off, end, 'UDP');
    return undefined;
  }

  /** Runs fn while the bytes being decoded are a buffer the decoder owns (a reassembled or inflated copy). */
  owning<T>(fn: () => T): T {
    const was = this.owned;
    this.owned = true;
    try {
      return fn();
    } finally {
      this.owned = was;
    }
  }

  /** Runs fn while the bytes being decoded are assembly `a` (owned: no file offset). */
  assembling<T>(a: Assembly, fn: () => T): T {
    const was = this.assembled;
    this.assembled = a;
    try {
      return this.owning(fn);
    } finally {
      this.assembled = was;
    }
  }

  /** Decodes a datagram reassembled from the frames `refs` (IP fragments). */
  decodeAssembled(layer: Layer, buf: Buffer, refs: readonly FrameRef[]): Skip {
    return this.assembling({ buf, starts: [0], refs: [refs] }, () => layer(this, buf, 0, buf.length));
  }

  /** The frames the bytes being decoded came in, for a reassembler that keeps some of them. */
  currentRefs(): readonly FrameRef[] {
    return this.assembled === undefined ? [frameRef(this.frame)] : allFrames(this.assembled);
  }

  /** The frames bytes buf[off, end) being decoded came in, for a parser that keeps them. */
  refsOf(buf: Buffer, off: number, end: number): readonly FrameRef[] {
    return this.framesOf(buf, off, end) ?? [frameRef(this.frame)];
  }

  /** Emits buf[off, end) with the current addresses and ports. */
  emit(buf: Buffer, off: number, end: number, transport: Transport): void {
    this.send(buf, off, end, transport, this.framesOf(buf, off, end));
  }

  /** Emits a payload the decoder made (unmasked) from bytes buf[off, end) being decoded: it came in their frames. */
  emitCopy(payload: Buffer, transport: Transport, buf: Buffer, off: number, end: number): void {
    const frames = this.framesOf(buf, off, end);
    this.owning(() => this.send(payload, 0, payload.length, transport, frames));
  }

  /** Emits a payload the decoder joined from parts that came in `frames`. */
  emitJoined(payload: Buffer, transport: Transport, frames: readonly FrameRef[]): void {
    this.owning(() => this.send(payload, 0, payload.length, transport, frames));
  }

  /** The frames of bytes buf[off, end) being decoded when the decoder assembled them; undefined: the current frame. */
  private framesOf(buf: Buffer, off: number, end: number): readonly FrameRef[] | undefined {
    const a = this.assembled;
    return a === undefined ? undefined : a.buf === buf ? framesIn(a, off, end) : allFrames(a);
  }

  /** frames undefined: the payload came in the current frame. */
  private send(buf: Buffer, off: number, end: number, transport: Transport, frames: readonly FrameRef[] | undefined): void {
    this.sink.datagram({
      frame: this.frame.index,
      ts: this.frame.ts,
      src: this.src,
      sport: this.sport,
      dst: this.dst,
      dport: this.dport,
      transport,
      payload: buf.subarray(off, end),
      fileOffset: this.fileOffsetOf(buf, off),
      node: this.frame.node,
      rtcp: this.frame.rtcp,
      carrier: frames === undefined ? this.frame : undefined,
      frames,
    });
  }

  emitDatagram(d: Datagram): void {
    this.sink.datagram(d);
  }

  /** File offset of buf[off] when it is an unmodified byte of frame.data in a seekable file, else -1. */
  fileOffsetOf(buf: Buffer, off: number): number {
    const f = this.frame;
    if (this.owned || f.fileOffset < 0) return -1;
    const raw = f.raw;
    return f.fileOffset + (buf.byteOffset + off - (raw !== undefined ? raw.bytes.byteOffset + raw.start : f.data.byteOffset));
  }
}
