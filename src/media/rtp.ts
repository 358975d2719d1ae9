/** RTP (RFC 3550 §5.1) fixed header, read into a caller-owned record so the hot path allocates nothing. */
export interface RtpHeader {
  ssrc: number;
  payloadType: number;
  marker: boolean;
  seq: number;
  timestamp: number;
  /** Where the payload starts and ends (after CSRCs, header extension; before padding). */
  payloadStart: number;
  payloadEnd: number;
}

export type RtpSkip = 'rtp-short' | 'rtp-version' | 'rtcp' | 'rtp-bad-length';

const RTP_HEADER = 12;
const RTP_VERSION = 2;
/** RTCP packet types 200-204 land here once the marker bit is masked off (RFC 5761 §4). */
const RTCP_TYPES_MIN = 72;
const RTCP_TYPES_MAX = 76;

export function newRtpHeader(): RtpHeader {
  return { ssrc: 0, payloadType: 0, marker: false, seq: 0, timestamp: 0, payloadStart: 0, payloadEnd: 0 };
}

/** Fills `out` from the RTP packet in buf[off, end) (payload offsets are into buf); '' when it is RTP, else why not. */
export function readRtp(buf: Buffer, out: RtpHeader, off = 0, end = buf.length): RtpSkip | '' {
  if (end - off < RTP_HEADER) return 'rtp-short';
  const b0 = buf[off]!;
  if (b0 >> 6 !== RTP_VERSION) return 'rtp-version';
  const b1 = buf[off + 1]!;
  const pt = b1 & 0x7f;
  if (pt >= RTCP_TYPES_MIN && pt <= RTCP_TYPES_MAX) return 'rtcp';
  let start = off + RTP_HEADER + 4 * (b0 & 0x0f);
  if ((b0 & 0x10) !== 0) {
    if (start + 4 > end) return 'rtp-bad-length';
    start += 4 + 4 * ((buf[start + 2]! << 8) | buf[start + 3]!);
  }
  if (start > end) return 'rtp-bad-length';
  let payloadEnd = end;
  // A padding count past the header is ignored (as Wireshark still analyses such packets).
  if ((b0 & 0x20) !== 0 && end - buf[end - 1]! >= start) payloadEnd -= buf[end - 1]!;
  out.payloadType = pt;
  out.marker = (b1 & 0x80) !== 0;
  out.seq = (buf[off + 2]! << 8) | buf[off + 3]!;
  // Read by hand: Buffer's readUInt32BE checks its arguments on every call.
  out.timestamp = ((buf[off + 4]! << 24) | (buf[off + 5]! << 16) | (buf[off + 6]! << 8) | buf[off + 7]!) >>> 0;
  out.ssrc = ((buf[off + 8]! << 24) | (buf[off + 9]! << 16) | (buf[off + 10]! << 8) | buf[off + 11]!) >>> 0;
  out.payloadStart = start;
  out.payloadEnd = payloadEnd;
  return '';
}

/** True when buf[off, end), on an RTP port, is RTCP multiplexed with it (RFC 5761 §4). */
export function isRtcp(buf: Buffer, off = 0, end = buf.length): boolean {
  if (end - off < 8 || buf[off]! >> 6 !== RTP_VERSION) return false;
  const pt = buf[off + 1]! & 0x7f;
  return pt >= RTCP_TYPES_MIN && pt <= RTCP_TYPES_MAX;
}
