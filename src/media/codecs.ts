/**
 * The one codec table: RTP names, static payload types and clock rates (RFC 3551, IANA), and the
 * E-model impairments mos.ts rates them with.
 *
 * Ie (equipment impairment) and Bpl (packet-loss robustness) are ITU-T G.113 Appendix I values
 * where G.113 lists the codec (G.711 with PLC, G.726, G.728, G.729A, G.723.1, GSM FR/EFR, AMR 12.2).
 * Codecs G.113 does not rate on the narrowband scale are marked "estimate": wideband codecs (G.722,
 * AMR-WB, Opus) are given Ie 0, i.e. rated as good as G.711, because this is the narrowband
 * E-model (G.107, R ≤ 93.2) and cannot score their extra bandwidth; iLBC/Speex values are the
 * ones commonly published for them. Video and data codecs have no rating (ie undefined).
 */
export interface Codec {
  /** RTP/SDP encoding name as a=rtpmap writes it (case-insensitive match). */
  name: string;
  /** Static payload type, -1 for dynamic-only codecs. */
  pt: number;
  /** Sampling clock, Hz. */
  clock: number;
  ie?: number;
  bpl?: number;
}

export const CODECS: readonly Codec[] = [
  { name: 'PCMU', pt: 0, clock: 8000, ie: 0, bpl: 25.1 }, // G.711 µ-law with PLC (G.113 I.3)
  { name: '1016', pt: 1, clock: 8000 },
  { name: 'G721', pt: 2, clock: 8000, ie: 7, bpl: 10 }, // = G.726 32 kbit/s (bpl estimate)
  { name: 'GSM', pt: 3, clock: 8000, ie: 20, bpl: 10 }, // GSM 06.10 full rate (bpl estimate)
  { name: 'G723', pt: 4, clock: 8000, ie: 15, bpl: 16.1 }, // G.723.1 6.3 kbit/s
  { name: 'DVI4', pt: 5, clock: 8000 },
  { name: 'DVI4', pt: 6, clock: 16000 },
  { name: 'LPC', pt: 7, clock: 8000 },
  { name: 'PCMA', pt: 8, clock: 8000, ie: 0, bpl: 25.1 }, // G.711 A-law with PLC
  // RFC 3551 keeps G.722's RTP clock at 8000 although it samples at 16 kHz.
  { name: 'G722', pt: 9, clock: 8000, ie: 0, bpl: 25.1 }, // estimate (wideband, see above)
  { name: 'L16', pt: 10, clock: 44100 },
  { name: 'L16', pt: 11, clock: 44100 },
  { name: 'QCELP', pt: 12, clock: 8000 },
  { name: 'CN', pt: 13, clock: 8000 },
  { name: 'MPA', pt: 14, clock: 90000 },
  { name: 'G728', pt: 15, clock: 8000, ie: 7, bpl: 10 }, // bpl estimate
  { name: 'DVI4', pt: 16, clock: 11025 },
  { name: 'DVI4', pt: 17, clock: 22050 },
  { name: 'G729', pt: 18, clock: 8000, ie: 11, bpl: 19 }, // G.729A + VAD
  { name: 'CN', pt: 19, clock: 8000 }, // the old comfort-noise number
  { name: 'CelB', pt: 25, clock: 90000 },
  { name: 'JPEG', pt: 26, clock: 90000 },
  { name: 'nv', pt: 28, clock: 90000 },
  { name: 'H261', pt: 31, clock: 90000 },
  { name: 'MPV', pt: 32, clock: 90000 },
  { name: 'MP2T', pt: 33, clock: 90000 },
  { name: 'H263', pt: 34, clock: 90000 },
  // Dynamic payload types: rated by their a=rtpmap name.
  { name: 'G726-16', pt: -1, clock: 8000, ie: 50, bpl: 10 },
  { name: 'G726-24', pt: -1, clock: 8000, ie: 25, bpl: 10 },
  { name: 'G726-32', pt: -1, clock: 8000, ie: 7, bpl: 10 },
  { name: 'G726-40', pt: -1, clock: 8000, ie: 2, bpl: 10 },
  { name: 'AAL2-G726-16', pt: -1, clock: 8000, ie: 50, bpl: 10 },
  { name: 'AAL2-G726-24', pt: -1, clock: 8000, ie: 25, bpl: 10 },
  { name: 'AAL2-G726-32', pt: -1, clock: 8000, ie: 7, bpl: 10 },
  { name: 'AAL2-G726-40', pt: -1, clock: 8000, ie: 2, bpl: 10 },
  { name: 'GSM-EFR', pt: -1, clock: 8000, ie: 5, bpl: 10 }, // bpl estimate
  { name: 'AMR', pt: -1, clock: 8000, ie: 5, bpl: 10 }, // AMR 12.2 (bpl estimate)
  { name: 'AMR-WB', pt: -1, clock: 16000, ie: 0, bpl: 10 }, // estimate
  { name: 'iLBC', pt: -1, clock: 8000, ie: 11, bpl: 32 }, // estimate
  { name: 'speex', pt: -1, clock: 8000, ie: 11, bpl: 19 }, // estimate
  { name: 'opus', pt: -1, clock: 48000, ie: 0, bpl: 25 }, // estimate (wideband, see above)
  { name: 'EVS', pt: -1, clock: 16000, ie: 0, bpl: 25 }, // estimate
  { name: 'G7221', pt: -1, clock: 16000, ie: 0, bpl: 25 }, // estimate
  { name: 'G729D', pt: -1, clock: 8000, ie: 20, bpl: 19 }, // estimate
  { name: 'G729E', pt: -1, clock: 8000, ie: 8, bpl: 19 }, // estimate
  { name: 'telephone-event', pt: -1, clock: 8000 },
  { name: 'H263-1998', pt: -1, clock: 90000 },
  { name: 'H263-2000', pt: -1, clock: 90000 },
  { name: 'H264', pt: -1, clock: 90000 },
  { name: 'VP8', pt: -1, clock: 90000 },
  { name: 'red', pt: -1, clock: 1000 },
  { name: 't140', pt: -1, clock: 1000 },
];

const BY_PT: (Codec | undefined)[] = [];
for (const c of CODECS) if (c.pt >= 0) BY_PT[c.pt] = c;
const BY_NAME = new Map<string, Codec>();
for (const c of CODECS) if (!BY_NAME.has(c.name.toLowerCase())) BY_NAME.set(c.name.toLowerCase(), c);

/** The static assignment of a payload type below 96, if any. */
export function staticCodec(pt: number): Codec | undefined {
  return pt < 96 ? BY_PT[pt] : undefined;
}

/** A codec by its rtpmap name (case-insensitive). */
export function codecByName(name: string): Codec | undefined {
  return BY_NAME.get(name.toLowerCase());
}

/**
 * The clock Wireshark's RTP analysis uses for jitter (tap-rtp-analysis.c): the static table below
 * 96 whatever rtpmap says; above, the rtpmap rate, else the known rate for the name; 0 (no jitter)
 * for telephone-event, whose timestamps do not advance, and for unknown types.
 */
export function analysisClock(pt: number, rtpmapName: string, rtpmapClock: number): number {
  if (pt < 96) return BY_PT[pt]?.clock ?? 0;
  if (rtpmapName === '') return 0;
  if (/^telephone-event/i.test(rtpmapName)) return 0;
  if (rtpmapClock !== 0) return rtpmapClock;
  return codecByName(rtpmapName)?.clock ?? 0;
}
