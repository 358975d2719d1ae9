/**
 * Per-stream RTP statistics, computed as Wireshark's RTP analysis does (ui/tap-rtp-analysis.c,
 * rtppacket_analyse, and tap-rtp-common.c for expected/lost), so figures match `tshark -z rtp,streams`:
 * - expected = last packet's seq + 65536 × wraps − first seq + 1; lost = expected − packets (negative
 *   with duplicates, as Wireshark shows it);
 * - sequence errors: every packet whose seq is not last + 1 (jumps, late, duplicates);
 * - jitter: RFC 3550 A.8 J += (|D| − J)/16 in ms, D from arrival time against the RTP timestamp at
 *   the payload type's clock (integer kHz, as Wireshark divides); mean jitter and max delta only over
 *   "regular" packets (no marker, not comfort noise or right after it, timestamp not going back).
 * Besides: duplicates (a 1024-packet window of seen sequence numbers), loss bursts for the E-model,
 * a simulated fixed jitter buffer, and a bounded timeline of jitter and loss.
 *
 * Memory: fixed per stream — the scalars below, and one 984-byte block of the fractional ones (88
 * bytes), a 128-byte seen-window and three 64-slice Float32/Uint32 timelines (768 bytes); up to 8
 * payload types and 32 DTMF events: about 2.3 KiB counted by V8 (1.3 KiB heap, 1 KiB block) a stream.
 * add() allocates nothing.
 */
import type { StreamTimeline } from '../model/media.js';

/** Payload types 13 and 19 are comfort noise (RFC 3389 and its predecessor). */
const PT_CN = 13;
const PT_CN_OLD = 19;
const SEQ_MOD = 65536;
const TS_MOD = 4294967296;
const TS_MAX = TS_MOD - 1;
const TS_HALF = 0x80000000;
/** Sequence numbers remembered to tell duplicates from late packets. */
const SEEN_WINDOW = 1024;
/** Size of the simulated fixed jitter buffer: packets later than this behind the earliest are discarded. */
export const JITTER_BUFFER_MS = 50;
/** Timeline slices; when full, neighbours merge and slices double in length. */
const SLICES = 64;
const FIRST_SLICE_MS = 1000;
/** Payload types remembered per stream. */
const MAX_PAYLOAD_TYPES = 8;

/** Jitter clock per payload type (index) for one stream (0: no jitter for that type). */
export type ClockTable = Int32Array;

/**
 * Slots of a stream's block of fractional state. V8 keeps every double-valued field of an object
 * in a heap box of its own, so a dozen such fields cost a dozen scattered memory reads per packet
 * once a thousand streams no longer fit the cache; one Float64Array keeps them in one place.
 */
const MAX_DELTA = 0;
const MEAN_JITTER = 1;
const MAX_JITTER = 2;
/** Last RFC 3550 jitter estimate, ms. */
const JITTER = 3;
const FIRST_TIMESTAMP = 4;
const LAST_NOMINAL = 5;
const TIME = 6;
const DELTA = 7;
const MIN_TRANSIT = 8;
const FIRST_MS = 9;
const SLICE_MS = 10;
/**
 * The packet's capture time, ms: the helpers read it here, since a double passed to a call that is
 * not inlined is boxed in a fresh heap number (16 bytes a packet).
 */
const NOW = 11;
/** RTP clock ticks since the first packet (a double too: it is read from this block). */
const TICKS = 12;
const SLOTS = 13;
/** The stream's block: those slots, the seen-window bits, then the timeline's three 64-slice arrays. */
const SEEN_AT = 8 * SLOTS;
const BLOCK_BYTES = SEEN_AT + SEEN_WINDOW / 8 + 12 * SLICES;

const NS_PER_S = 1_000_000_000n;
/** Seconds below this times 10^9 are exact in a double (sec·10^9 = sec·1953125·2^9, sec·1953125 < 2^53). */
const EXACT_SEC = 2 ** 53 / 1953125;

/**
 * A capture time in ms as Number(ns) / 10^6 says it, from seconds + nanoseconds: sec·10^9 is exact,
 * so adding nsec rounds once, as Number(BigInt) does (the figures stay those of the BigInt days).
 */
export function captureMs(sec: number, nsec: number): number {
  if (Math.abs(sec) < EXACT_SEC) return (sec * 1e9 + nsec) / 1e6;
  return Number(BigInt(sec) * NS_PER_S + BigInt(nsec)) / 1e6;
}

export class RtpStreamStats {
  packets = 0;
  seqErrors = 0;
  duplicates = 0;
  wrongTimestamps = 0;
  markers = 0;
  /** Loss runs seen as forward sequence jumps (for burstiness) and the packets they skipped. */
  gapEvents = 0;
  gapLost = 0;
  jitterDiscards = 0;
  readonly payloadTypes: number[] = [];
  /** First and last packet's capture time, seconds + nanoseconds (numbers: a packet stores no BigInt). */
  private firstSec = 0;
  private firstNsec = 0;
  private lastSec = 0;
  private lastNsec = 0;

  // Wireshark's state (statinfo): the integers here, the fractions in `v`.
  private startSeq = 0;
  private stopSeq = 0;
  private seqNum = 0;
  private cycles = 0;
  private under = false;
  private pt = -1;
  private readonly v: Float64Array;
  // Our extras.
  private maxExtSeq = 0;
  private sliceCount = 0;
  private readonly seen: Uint32Array;
  private readonly sliceJitter: Float32Array;
  private readonly sliceReceived: Uint32Array;
  private readonly sliceLost: Uint32Array;

  constructor(private readonly clocks: ClockTable) {
    // One block for all of them: one allocation (not five, each with its own buffer object) and one
    // stretch of memory for a packet to touch.
    const block = new ArrayBuffer(BLOCK_BYTES);
    this.v = new Float64Array(block, 0, SLOTS);
    this.seen = new Uint32Array(block, SEEN_AT, SEEN_WINDOW / 32);
    this.sliceReceived = new Uint32Array(block, SEEN_AT + SEEN_WINDOW / 8, SLICES);
    this.sliceLost = new Uint32Array(block, SEEN_AT + SEEN_WINDOW / 8 + 4 * SLICES, SLICES);
    this.sliceJitter = new Float32Array(block, SEEN_AT + SEEN_WINDOW / 8 + 8 * SLICES, SLICES);
    this.v[MIN_TRANSIT] = Infinity;
    this.v[SLICE_MS] = FIRST_SLICE_MS;
  }

  get firstTs(): bigint {
    return BigInt(this.firstSec) * NS_PER_S + BigInt(this.firstNsec);
  }

  get lastTs(): bigint {
    return BigInt(this.lastSec) * NS_PER_S + BigInt(this.lastNsec);
  }

  get expected(): number {
    return this.packets === 0 ? 0 : this.stopSeq + this.cycles * SEQ_MOD - this.startSeq + 1;
  }

  get lost(): number {
    return this.expected - this.packets;
  }

  get maxDeltaMs(): number {
    return this.v[MAX_DELTA]!;
  }

  get meanJitterMs(): number {
    return this.v[MEAN_JITTER]!;
  }

  get maxJitterMs(): number {
    return this.v[MAX_JITTER]!;
  }

  /** One RTP packet of the stream, at capture time sec + nsec. */
  add(sec: number, nsec: number, seq: number, timestamp: number, pt: number, marker: boolean): void {
    const t = captureMs(sec, nsec);
    const v = this.v;
    v[NOW] = t;
    if (marker) this.markers++;
    if (pt !== this.pt && this.payloadTypes.length < MAX_PAYLOAD_TYPES && !this.payloadTypes.includes(pt)) this.payloadTypes.push(pt);
    this.lastSec = sec;
    this.lastNsec = nsec;
    if (this.packets === 0) {
      this.firstSec = sec;
      this.firstNsec = nsec;
      this.first(seq, timestamp, pt);
      return;
    }
    // Wireshark 4.0: "in time" means less than half the timestamp range after the first packet's.
    const first = v[FIRST_TIMESTAMP]!;
    const inTime = first <= timestamp ? timestamp - first < TS_HALF : first + (TS_MAX - timestamp) < TS_HALF;
    if (!inTime) this.wrongTimestamps++;

    if (seq < this.startSeq && inTime && !this.under) {
      this.cycles++;
      this.under = true;
    } else if (seq === 0 && this.stopSeq === 65535 && inTime && !this.under) {
      this.cycles++;
      this.under = true;
    } else if (seq > this.startSeq && inTime && this.under) {
      this.under = false;
    }

    if (inTime && this.seqNum + 1 === seq) {
      this.seqNum = seq;
    } else if (inTime && this.seqNum === 65535 && seq === 0) {
      this.seqNum = seq;
    } else if (inTime && (this.seqNum + 1 < seq || this.seqNum - seq > 0xff00)) {
      this.seqNum = seq;
      this.seqErrors++;
    } else if (this.seqNum + 1 > seq) {
      this.seqErrors++;
    }

    const cn = pt === PT_CN || pt === PT_CN_OLD;
    const followsCn = this.pt === PT_CN || this.pt === PT_CN_OLD;
    this.pt = pt;
    const clock = this.clocks[pt]!;
    // Wireshark divides by the clock in whole kHz (integer division in C).
    const kHz = Math.floor(clock / 1000);
    // Nominal time: ms of RTP clock since the first packet; kept from the last packet with a clock.
    const ticks = timestamp >= first ? timestamp - first : timestamp + TS_MOD - first;
    if (inTime) {
      v[DELTA] = t - v[TIME]!;
      if (kHz !== 0) {
        const nominal = ticks / kHz;
        const diff = Math.abs(t - (v[TIME]! + nominal - v[LAST_NOMINAL]!));
        v[JITTER] = (15 * v[JITTER]! + diff) / 16;
        v[LAST_NOMINAL] = nominal;
      }
    }
    if (!marker && !cn && inTime && !followsCn) {
      const delta = v[DELTA]!;
      if (delta > v[MAX_DELTA]!) v[MAX_DELTA] = delta;
      if (kHz !== 0) {
        const jitter = v[JITTER]!;
        if (jitter > v[MAX_JITTER]!) v[MAX_JITTER] = jitter;
        // Over packets − 1 values: packets is not yet incremented here, as in Wireshark.
        v[MEAN_JITTER] = (v[MEAN_JITTER]! * (this.packets - 1) + jitter) / this.packets;
        v[TICKS] = ticks;
        this.playout(clock, false);
      }
    } else if (marker && kHz !== 0 && !cn && inTime) {
      v[TICKS] = ticks;
      this.playout(clock, true);
    }
    if (inTime) v[TIME] = t;
    this.stopSeq = seq;
    this.packets++;
    this.track(seq);
  }

  private first(seq: number, timestamp: number, pt: number): void {
    const v = this.v;
    const t = v[NOW]!;
    this.startSeq = this.stopSeq = this.seqNum = seq;
    v[FIRST_TIMESTAMP] = timestamp;
    v[TIME] = v[FIRST_MS] = t;
    this.pt = pt;
    this.packets = 1;
    this.maxExtSeq = seq + SEQ_MOD;
    this.markSeen(this.maxExtSeq);
    this.sliceReceived[0] = 1;
    this.sliceCount = 1;
    const clock = this.clocks[pt]!;
    if (clock !== 0) v[MIN_TRANSIT] = t;
  }

  /**
   * The fixed jitter buffer: a packet whose transit exceeds the fastest one seen by more than the
   * buffer would be played late, so it counts as discarded. A marker (talkspurt start) re-aligns it.
   */
  private playout(clock: number, resync: boolean): void {
    const v = this.v;
    const transit = v[NOW]! - (v[TICKS]! * 1000) / clock;
    if (resync || transit < v[MIN_TRANSIT]!) v[MIN_TRANSIT] = transit;
    else if (transit - v[MIN_TRANSIT]! > JITTER_BUFFER_MS) this.jitterDiscards++;
  }

  /** Duplicates and loss runs by extended sequence number; timeline slices. */
  private track(seq: number): void {
    let d = seq - (this.maxExtSeq % SEQ_MOD);
    if (d > SEQ_MOD / 2) d -= SEQ_MOD;
    else if (d < -SEQ_MOD / 2) d += SEQ_MOD;
    const sliceIndex = this.sliceAt();
    if (d > 0) {
      for (let k = 1; k <= Math.min(d, SEEN_WINDOW); k++) this.clearSeen(this.maxExtSeq + k);
      this.maxExtSeq += d;
      this.markSeen(this.maxExtSeq);
      if (d > 1) {
        this.gapEvents++;
        this.gapLost += d - 1;
        this.sliceLost[sliceIndex] += d - 1;
      }
    } else if (-d < SEEN_WINDOW) {
      const ext = this.maxExtSeq + d;
      if (this.isSeen(ext)) {
        this.duplicates++;
        return;
      }
      this.markSeen(ext);
      // A late packet fills a hole counted as lost.
      if (this.gapLost > 0) this.gapLost--;
      if (this.sliceLost[sliceIndex] > 0) this.sliceLost[sliceIndex]--;
    }
    this.sliceReceived[sliceIndex]++;
    const jitter = this.v[JITTER]!;
    if (jitter > this.sliceJitter[sliceIndex]!) this.sliceJitter[sliceIndex] = jitter;
  }

  private sliceAt(): number {
    const v = this.v;
    const t = v[NOW]!;
    let sliceMs = v[SLICE_MS]!;
    // Most packets fall in the newest slice: no division for them.
    const current = this.sliceCount - 1;
    const since = t - v[FIRST_MS]!;
    if (since >= current * sliceMs && since < (current + 1) * sliceMs) return current;
    let i = Math.floor(since / sliceMs);
    while (i >= SLICES) {
      for (let k = 0; k < SLICES / 2; k++) {
        this.sliceJitter[k] = Math.max(this.sliceJitter[2 * k]!, this.sliceJitter[2 * k + 1]!);
        this.sliceReceived[k] = this.sliceReceived[2 * k]! + this.sliceReceived[2 * k + 1]!;
        this.sliceLost[k] = this.sliceLost[2 * k]! + this.sliceLost[2 * k + 1]!;
      }
      this.sliceJitter.fill(0, SLICES / 2);
      this.sliceReceived.fill(0, SLICES / 2);
      this.sliceLost.fill(0, SLICES / 2);
      v[SLICE_MS] = sliceMs *= 2;
      i = Math.floor(since / sliceMs);
    }
    if (i < 0) i = 0;
    if (i + 1 > this.sliceCount) this.sliceCount = i + 1;
    return i;
  }

  private markSeen(ext: number): void {
    const bit = ext % SEEN_WINDOW;
    this.seen[bit >> 5] |= 1 << (bit & 31);
  }

  private clearSeen(ext: number): void {
    const bit = ext % SEEN_WINDOW;
    this.seen[bit >> 5] &= ~(1 << (bit & 31));
  }

  private isSeen(ext: number): boolean {
    const bit = ext % SEEN_WINDOW;
    return (this.seen[bit >> 5] & (1 << (bit & 31))) !== 0;
  }

  /** Worst jitter and loss per slice of the stream's duration (a copy). */
  timeline(): StreamTimeline {
    const n = this.sliceCount;
    const lossPct = new Float32Array(n);
    for (let i = 0; i < n; i++) {
      const total = this.sliceReceived[i] + this.sliceLost[i];
      lossPct[i] = total === 0 ? 0 : (100 * this.sliceLost[i]) / total;
    }
    return { sliceMs: this.v[SLICE_MS]!, jitterMs: this.sliceJitter.slice(0, n), lossPct, count: n };
  }
}
