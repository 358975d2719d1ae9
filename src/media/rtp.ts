/** RTP (RFC 3550) fixed header fields a stream is told apart by. */
export interface RtpHeader {
  ssrc: number;
  payloadType: number;
}

const RTP_HEADER = 12;
const RTP_VERSION = 2;
/** RTCP packet types 200-204 land here once the marker bit is masked off (RFC 5761 §4). */
const RTCP_TYPES_MIN = 72;
const RTCP_TYPES_MAX = 76;

/** The RTP header of a UDP payload, or why it is not RTP ("rtp-short", "rtp-version", "rtcp"). */
export function readRtpHeader(buf: Buffer): RtpHeader | string {
  if (buf.length < RTP_HEADER) return 'rtp-short';
  if (buf[0]! >> 6 !== RTP_VERSION) return 'rtp-version';
  const payloadType = buf[1]! & 0x7f;
  if (payloadType >= RTCP_TYPES_MIN && payloadType <= RTCP_TYPES_MAX) return 'rtcp';
  return { ssrc: buf.readUInt32BE(8), payloadType };
}

/** An RTP packet's sequence number, payload type and payload (after CSRCs and any header extension), or undefined. */
export function rtpPayload(buf: Buffer): { seq: number; payloadType: number; payload: Buffer } | undefined {
  if (buf.length < RTP_HEADER || buf[0]! >> 6 !== RTP_VERSION) return undefined;
  let at = RTP_HEADER + 4 * (buf[0]! & 0x0f);
  if (buf[0]! & 0x10) {
    if (at + 4 > buf.length) return undefined;
    at += 4 + 4 * buf.readUInt16BE(at + 2);
  }
  if (at > buf.length) return undefined;
  return { seq: buf.readUInt16BE(2), payloadType: buf[1]! & 0x7f, payload: buf.subarray(at) };
}
