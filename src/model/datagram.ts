import type { Frame } from './frame.js';
import type { SkipReason } from './skip.js';
export type Transport = 'UDP' | 'TCP' | 'SCTP' | 'WS' | 'WSS' | 'TLS';

/**
 * A transport payload with its addresses: one UDP datagram, one SCTP DATA chunk, or one
 * complete application message cut out of a reassembled TCP / WebSocket stream.
 */
export interface Datagram {
  /** Frame number of the (last) frame that completed this payload. */
  frame: number;
  ts: bigint;
  /** IP addresses in text form (IPv6 compressed, RFC 5952). */
  src: string;
  sport: number;
  dst: string;
  dport: number;
  transport: Transport;
  payload: Buffer;
  /** Offset of payload[0] in the source file when it lies there contiguously and unmodified, else -1. */
  fileOffset: number;
  /** True when the payload was carried inside HEP (addresses are the HEP ones). */
  viaHep?: boolean;
  /** The HEP agent that captured it (capture ID, node name or agent address); absent for local captures. */
  node?: string;
  /** HEP said RTCP (type 5): the media plane reads it as RTCP even at an RTP port, and it is never taken for SIP. */
  rtcp?: boolean;
  /**
   * The one frame the payload came in (valid during the callback), so a save can write the frame as
   * captured; undefined when `frames` says where it came from, or when that is not known (HEP).
   */
  carrier?: Frame;
  /** The frames a reassembled payload came in (TCP segments, IP fragments), in arrival order; empty when not known. */
  frames?: readonly FrameRef[];
}

/** A captured frame behind a reassembled payload, remembered while the decoder assembles it. */
export interface FrameRef {
  ts: bigint;
  linktype: number;
  /** Bytes captured, and on the wire. */
  caplen: number;
  origLen: number;
  /** Offset of the frame's first byte in the capture file, -1 when it is not in a seekable file. */
  fileOffset: number;
  /** A copy of the frame when it is not in a file (live capture, stdin), else undefined. */
  data: Buffer | undefined;
}

/**
 * A plain UDP datagram as the decoder sees it: one record the decoder reuses for every packet,
 * so a sink can take media without a Datagram and a payload view being built for each. Valid
 * only during DatagramSink.udp(); the payload is buf[off, end).
 */
export interface UdpView {
  /** Capture time: ns = sec·10^9 + nsec (numbers, so the media path builds no BigInt). */
  sec: number;
  nsec: number;
  src: string;
  sport: number;
  dst: string;
  dport: number;
  buf: Buffer;
  off: number;
  end: number;
}

/** Receives the decoder's output. */
export interface DatagramSink {
  datagram(d: Datagram): void;
  /**
   * Offered every plain UDP datagram first (not HEP-carried, not an encapsulation); true when the
   * sink took it, and then no Datagram is built for it. The hot path of RTP: it must allocate nothing.
   */
  udp?(u: UdpView): boolean;
  /**
   * A frame or part of one was dropped; reason is one of the fixed set (model/skip.ts), detail the
   * packet value behind it when there is one (an unknown link type, ethertype, …).
   */
  skip(reason: SkipReason, detail?: string): void;
}
