/**
 * MOS from the ITU-T G.107 E-model (narrowband), per stream:
 *   R = R0 − Is − Id − Ie,eff + A, then G.107 Annex B maps R to MOS-CQE.
 * - R0 − Is = 93.2: G.107's result with every other parameter at its default (noise, loudness,
 *   sidetone, echo); A (advantage factor) = 0.
 * - Id: G.107 §7.3 Idd for the one-way delay Ta (the talker-echo and listener-echo terms stay at
 *   their defaults, i.e. inside the 93.2). Ta = the network one-way delay (RTCP round trip / 2 when
 *   the endpoints' reports give it, else DEFAULT_NETWORK_DELAY_MS) + the jitter buffer
 *   (stream-stats.ts JITTER_BUFFER_MS) + one packet of packetization (PACKETIZATION_MS).
 * - Ie,eff = Ie + (95 − Ie) · Ppl / (Ppl / BurstR + Bpl) (G.107 §7.4), with the codec's Ie and Bpl
 *   (codecs.ts), Ppl = packets lost in the network plus packets the jitter buffer discarded, in % of
 *   those expected, and BurstR = 1 / (p + q) from the two-state Markov model: p = loss runs per
 *   packet received, q = 1 / mean run length (1 for random loss, > 1 for bursty loss).
 */
import { codecByName, staticCodec, type Codec } from './codecs.js';
import { JITTER_BUFFER_MS } from './stream-stats.js';

/** The model in short, for the help screen and the man page. */
export const MOS_HELP = `MOS (streams screen, mos<N filter, JSON "mos")
  ITU-T G.107 E-model, narrowband: R = 93.2 - Idd(Ta) - Ie,eff, MOS from R by G.107 Annex B.
  Ie,eff = Ie + (95 - Ie) * Ppl / (Ppl / BurstR + Bpl); Ie and Bpl per codec (G.113 Appendix I;
  G.711 0/25.1, G.729A 11/19; wideband codecs count as G.711). Ppl = lost packets plus those a fixed
  50 ms jitter buffer drops as late, in % of expected; BurstR from loss runs (1 = random loss).
  Ta = RTCP round trip / 2 (20 ms without RTCP) + 20 ms packetization + 50 ms buffer.`;

/** G.107 default R with all other parameters at their defaults. */
const R_DEFAULT = 93.2;
/** One-way network delay assumed when RTCP gives no round trip: a short national path. */
export const DEFAULT_NETWORK_DELAY_MS = 20;
/** Sender framing delay assumed for every codec (20 ms is the common ptime). */
export const PACKETIZATION_MS = 20;
/** Below this one-way delay G.107's Idd is 0. */
const IDD_THRESHOLD_MS = 100;

export interface MosInput {
  /** The codec's name (a=rtpmap or static), and its payload type for the static table. */
  codec: string;
  payloadType: number;
  expected: number;
  /** Network loss (Wireshark's figure, negative clipped) and jitter-buffer discards. */
  lost: number;
  discarded: number;
  /** Loss runs and the packets they held, from sequence jumps. */
  lossRuns: number;
  lossRunPackets: number;
  received: number;
  /** RTCP round trip, ms; null when unknown. */
  rttMs: number | null;
}

export function ratedCodec(name: string, pt: number): Codec | undefined {
  const c = (name !== '' ? codecByName(name) : undefined) ?? staticCodec(pt);
  return c?.ie !== undefined ? c : undefined;
}

/** G.107 §7.3: delay impairment for absolute delay Ta (ms). */
export function delayImpairment(taMs: number): number {
  if (taMs <= IDD_THRESHOLD_MS) return 0;
  const x = Math.log10(taMs / IDD_THRESHOLD_MS) / Math.log10(2);
  return 25 * (Math.pow(1 + Math.pow(x, 6), 1 / 6) - 3 * Math.pow(1 + Math.pow(x / 3, 6), 1 / 6) + 2);
}

/** G.107 Annex B: R to MOS (CQE). */
export function rToMos(r: number): number {
  if (r <= 0) return 1;
  if (r >= 100) return 4.5;
  return 1 + 0.035 * r + r * (r - 60) * (100 - r) * 7e-6;
}

/** The stream's R factor, or null when its codec has no rating. */
export function rFactor(s: MosInput): number | null {
  const codec = ratedCodec(s.codec, s.payloadType);
  if (!codec || s.expected <= 0) return null;
  const ie = codec.ie!;
  const bpl = codec.bpl!;
  const ppl = Math.min(100, (100 * (Math.max(0, s.lost) + s.discarded)) / s.expected);
  let burstR = 1;
  if (s.lossRuns > 0 && s.received > 0) {
    const p = s.lossRuns / s.received;
    const q = s.lossRuns / Math.max(s.lossRuns, s.lossRunPackets);
    burstR = Math.max(1, 1 / (p + q));
  }
  const ieEff = ie + ((95 - ie) * ppl) / (ppl / burstR + bpl);
  const oneWay = (s.rttMs !== null ? s.rttMs / 2 : DEFAULT_NETWORK_DELAY_MS) + PACKETIZATION_MS;
  return R_DEFAULT - delayImpairment(oneWay + JITTER_BUFFER_MS) - ieEff;
}

/** MOS rounded to two decimals, null when the codec has no rating. */
export function streamMos(s: MosInput): number | null {
  const r = rFactor(s);
  return r === null ? null : Math.round(rToMos(r) * 100) / 100;
}
