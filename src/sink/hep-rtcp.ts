const RTCP_SR = 200;
const RTCP_RR = 201;
const BLOCK = 24;

/**
 * The first sender or receiver report of a (compound) RTCP packet as the JSON report HOMER stores for HEP type 5,
 * in heplify's form (type, ssrc, report_count, sender_information, report_blocks): heplify, captagent and
 * resiprocate send RTCP this way, and `-L` reads it back (source/hep-codec.ts rtcpFromJson). Undefined when the
 * packet holds no well-formed SR or RR (only SDES, BYE, XR, or cut short).
 */
export function rtcpToJson(buf: Buffer, off: number, end: number): string | undefined {
  for (let p = off; p + 8 <= end;) {
    const len = (buf.readUInt16BE(p + 2) + 1) * 4;
    if ((buf[p]! & 0xc0) !== 0x80 || p + len > end) return undefined;
    const type = buf[p + 1]!;
    const count = buf[p]! & 0x1f;
    const sr = type === RTCP_SR;
    const first = p + 8 + (sr ? 20 : 0);
    if ((sr || type === RTCP_RR) && first + count * BLOCK <= p + len) {
      const u32 = (at: number): number => buf.readUInt32BE(at);
      const report: Record<string, unknown> = { type, ssrc: u32(p + 4), report_count: count };
      if (sr) {
        report.sender_information = {
          ntp_timestamp_sec: u32(p + 8), ntp_timestamp_usec: u32(p + 12), rtp_timestamp: u32(p + 16), packets: u32(p + 20), octets: u32(p + 24),
        };
      }
      const blocks = [];
      for (let b = first; b < first + count * BLOCK; b += BLOCK) {
        blocks.push({
          source_ssrc: u32(b), fraction_lost: buf[b + 4], packets_lost: buf.readIntBE(b + 5, 3), highest_seq_no: u32(b + 8),
          ia_jitter: u32(b + 12), lsr: u32(b + 16), dlsr: u32(b + 20),
        });
      }
      report.report_blocks = blocks;
      return JSON.stringify(report);
    }
    p += len;
  }
  return undefined;
}
