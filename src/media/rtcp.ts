/**
 * RTCP (RFC 3550 §6.4 SR/RR, RFC 3611 §4.7 VoIP metrics) from a compound packet, handed to a
 * listener block by block. Anything shorter than it claims ends the walk (counted by the caller).
 * SRTCP encrypts everything after the sender SSRC, so with `encrypted` only SR counts are read.
 */
import type { XrVoipMetrics } from '../model/media.js';

export type RtcpSkip = 'rtcp-short' | 'rtcp-version' | 'rtcp-bad-length';

export interface RtcpListener {
  /** An SR from `ssrc`; ntpMiddle = the middle 32 bits of its NTP timestamp (what LSR echoes). */
  senderReport(ssrc: number, ntpMiddle: number): void;
  /** A report block by `reporter` about `source`. */
  reportBlock(reporter: number, source: number, fractionLost: number, cumulativeLost: number, jitter: number, lsr: number, dlsr: number): void;
  voipMetrics(reporter: number, source: number, m: XrVoipMetrics): void;
}

const PT_SR = 200;
const PT_RR = 201;
const PT_XR = 207;
const XR_VOIP_METRICS = 7;
const REPORT_BLOCK = 24;
/** RFC 3611: 127 in the R factor and MOS fields means "unavailable". */
const XR_UNAVAILABLE = 127;

/** Walks the compound packet in buf[start, stop); '' when it was read to its end. */
export function readRtcp(buf: Buffer, encrypted: boolean, to: RtcpListener, start = 0, stop = buf.length): RtcpSkip | '' {
  if (stop - start < 8) return 'rtcp-short';
  let off = start;
  while (off + 4 <= stop) {
    if (buf[off]! >> 6 !== 2) return off === start ? 'rtcp-version' : '';
    const count = buf[off]! & 0x1f;
    const pt = buf[off + 1]!;
    const end = off + 4 * (buf.readUInt16BE(off + 2) + 1);
    if (end > stop) return 'rtcp-bad-length';
    if (end - off >= 8) {
      const ssrc = buf.readUInt32BE(off + 4);
      if (pt === PT_SR && end - off >= 28) {
        to.senderReport(ssrc, buf.readUInt32BE(off + 10));
        if (!encrypted) blocks(buf, off + 28, end, count, ssrc, to);
      } else if (pt === PT_RR && !encrypted) {
        blocks(buf, off + 8, end, count, ssrc, to);
      } else if (pt === PT_XR && !encrypted) {
        xrBlocks(buf, off + 8, end, ssrc, to);
      }
    }
    if (encrypted) return '';
    off = end;
  }
  return '';
}

function blocks(buf: Buffer, off: number, end: number, count: number, reporter: number, to: RtcpListener): void {
  for (let i = 0; i < count && off + REPORT_BLOCK <= end; i++, off += REPORT_BLOCK) {
    const cumulative = buf.readIntBE(off + 5, 3);
    to.reportBlock(reporter, buf.readUInt32BE(off), buf[off + 4]!, cumulative, buf.readUInt32BE(off + 12), buf.readUInt32BE(off + 16), buf.readUInt32BE(off + 20));
  }
}

function xrBlocks(buf: Buffer, off: number, end: number, reporter: number, to: RtcpListener): void {
  while (off + 4 <= end) {
    const type = buf[off]!;
    const next = off + 4 + 4 * buf.readUInt16BE(off + 2);
    if (next > end) return;
    if (type === XR_VOIP_METRICS && next - off >= 36) {
      const b = off + 4;
      to.voipMetrics(reporter, buf.readUInt32BE(b), {
        // Loss and discard rates are fractions of 256.
        lossRatePct: (100 * buf[b + 4]!) / 256,
        discardRatePct: (100 * buf[b + 5]!) / 256,
        roundTripMs: buf.readUInt16BE(b + 12),
        endSystemDelayMs: buf.readUInt16BE(b + 14),
        rFactor: opt(buf[b + 20]!),
        mosLq: mos(buf[b + 22]!),
        mosCq: mos(buf[b + 23]!),
      });
    }
    off = next;
  }
}

function opt(v: number): number | null {
  return v === XR_UNAVAILABLE ? null : v;
}

function mos(v: number): number | null {
  return v === XR_UNAVAILABLE ? null : v / 10;
}
