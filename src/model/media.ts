import type { DialogId } from './ids.js';
/** What screens, sinks and filters read about the media of a dialog (src/media computes it). */

/** How a stream's addresses relate to the dialog's SDP. */
export type StreamOrigin =
  /** Both ends were announced by the dialog's SDP. */
  | 'sdp'
  /** One end was announced; the other sends from an address no SDP named (NAT, latching). */
  | 'nat'
  /** Neither end was announced: RTP between the dialog's hosts during the call. */
  | 'unannounced';

/** One RFC 4733 telephone-event or SIP INFO key press. */
export interface DtmfEvent {
  /** "0"-"9", "*", "#", "A"-"D", "flash", or "event N". */
  digit: string;
  /** Capture time of the first packet / the INFO, ns since the epoch. */
  ts: bigint;
  /** As the sender put it (RFC 4733 duration at the stream's clock, or the INFO Duration), ms. */
  durationMs: number;
  /** RFC 4733 volume (dBm0 below 0), -1 for SIP INFO. */
  volume: number;
  /** An end packet was seen (always true for SIP INFO). */
  ended: boolean;
  source: 'rfc4733' | 'info';
}

/** RTCP as the endpoints report it about one stream (RFC 3550 SR/RR, RFC 3611 XR VoIP metrics). */
export interface RtcpSummary {
  /** Sender reports sent by the stream's source. */
  senderReports: number;
  /** Report blocks about the stream sent back by its receiver. */
  receiverReports: number;
  /** Latest report block: fraction lost (%), cumulative lost, interarrival jitter (ms). */
  fractionLostPct: number | null;
  cumulativeLost: number | null;
  jitterMs: number | null;
  /** Round trip from LSR/DLSR as seen at the capture point (ms), latest. */
  rttMs: number | null;
  /** RFC 3611 VoIP metrics block about the stream, latest; null when none was seen. */
  xr: XrVoipMetrics | null;
}

export interface XrVoipMetrics {
  lossRatePct: number;
  discardRatePct: number;
  roundTripMs: number;
  endSystemDelayMs: number;
  /** 127 = unavailable in RFC 3611; reported as null. */
  rFactor: number | null;
  mosLq: number | null;
  mosCq: number | null;
}

/** One RTP stream (one direction, 5-tuple + SSRC) and its statistics. */
export interface RtpStreamInfo {
  /** Unique for the run, in order of first packet. */
  id: number;
  /** Absolute dialog index (Dialog.index). */
  dialog: DialogId;
  src: string;
  sport: number;
  dst: string;
  dport: number;
  ssrc: number;
  origin: StreamOrigin;
  /** m= media type ("audio", "video"), '' when unannounced. */
  media: string;
  /** SDP said RTP/SAVP (SRTP): statistics come from the clear header alike. */
  srtp: boolean;
  /** The first payload type and its codec name (a=rtpmap, else the static table, else ''). */
  payloadType: number;
  codec: string;
  /** Every payload type seen, in order of first appearance (bounded). */
  payloadTypes: readonly number[];
  /** Their codec names (the number when unnamed). */
  codecs: readonly string[];
  packets: number;
  expected: number;
  lost: number;
  lossPct: number;
  seqErrors: number;
  duplicates: number;
  wrongTimestamps: number;
  markers: number;
  maxDeltaMs: number;
  meanJitterMs: number;
  maxJitterMs: number;
  /** Capture times of the first and last packet, ns since the epoch. */
  start: bigint;
  end: bigint;
  /** E-model MOS (mos.ts), null when the codec has no rating (video, unknown). */
  mos: number | null;
  /** Packets the simulated fixed jitter buffer would have discarded as late. */
  jitterDiscards: number;
  dtmf: readonly DtmfEvent[];
  rtcp: RtcpSummary;
}

/** Per time slice of a stream: worst jitter (ms) and loss (%); a bounded number of slices. */
export interface StreamTimeline {
  /** Slice length, ms. */
  sliceMs: number;
  jitterMs: Float32Array;
  lossPct: Float32Array;
  /** Slices filled so far. */
  count: number;
}
