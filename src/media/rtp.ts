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

/** Fills `out` from an RTP packet; '' when it is RTP, else why not. */
export function readRtp(buf: Buffer, out: RtpHeader): RtpSkip | '' {
  const len = buf.length;
  if (len < RTP_HEADER) return 'rtp-short';
  const b0 = buf[0]!;
  if (b0 >> 6 !== RTP_VERSION) return 'rtp-version';
  const b1 = buf[1]!;
  const pt = b1 & 0x7f;
  if (pt >= RTCP_TYPES_MIN && pt <= RTCP_TYPES_MAX) return 'rtcp';
  let start = RTP_HEADER + 4 * (b0 & 0x0f);
  if ((b0 & 0x10) !== 0) {
    if (start + 4 > len) return 'rtp-bad-length';
    start += 4 + 4 * buf.readUInt16BE(start + 2);
  }
  if (start > len) return 'rtp-bad-length';
  let end = len;
  // A padding count past the header is ignored (as Wireshark still analyses such packets).
  if ((b0 & 0x20) !== 0 && len - buf[len - 1]! >= start) end -= buf[len - 1]!;
  out.payloadType = pt;
  out.marker = (b1 & 0x80) !== 0;
  out.seq = buf.readUInt16BE(2);
  out.timestamp = buf.readUInt32BE(4);
  out.ssrc = buf.readUInt32BE(8);
  out.payloadStart = start;
  out.payloadEnd = end;
  return '';
}

/** True when a payload on an RTP port is RTCP multiplexed with it (RFC 5761 §4). */
export function isRtcp(buf: Buffer): boolean {
  return buf.length >= 8 && buf[0]! >> 6 === RTP_VERSION && (buf[1]! & 0x7f) >= RTCP_TYPES_MIN && (buf[1]! & 0x7f) <= RTCP_TYPES_MAX;
}
