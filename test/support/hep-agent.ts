// A capture's UDP packets as a HEP agent (heplify, rtpagent) sends them: SIP as SIP (1), RTP as RTP
// (4), RTCP as heplify's JSON reports (5), with the addresses and time of the capture.
import { openFile } from '../../src/source/file-source.js';
import type { HepMessage } from '../../src/sink/hep-send.js';

export const [SIP, RTP, RTCP, LOG] = [1, 4, 5, 100];

/**
 * A compound RTCP packet as heplify reports it in JSON: type and SSRC of its first packet (an SR or
 * RR), the SR's sender information, and the report blocks of every SR and RR in it; undefined for anything else.
 */
function heplifyJson(p: Buffer): string | undefined {
  const type = p[1]!;
  if (p.length < 8 || (type !== 200 && type !== 201)) return undefined;
  const report: Record<string, unknown> = { type, ssrc: p.readUInt32BE(4) };
  if (type === 200) {
    report.sender_information = {
      ntp_timestamp_sec: p.readUInt32BE(8), ntp_timestamp_usec: p.readUInt32BE(12), rtp_timestamp: p.readUInt32BE(16),
      packets: p.readUInt32BE(20), octets: p.readUInt32BE(24),
    };
  }
  const blocks = [];
  for (let at = 0; at + 8 <= p.length; at += (p.readUInt16BE(at + 2) + 1) * 4) {
    const pt = p[at + 1]!;
    if (pt !== 200 && pt !== 201) continue;
    const count = p[at]! & 0x1f;
    for (let k = 0, b = at + (pt === 200 ? 28 : 8); k < count && b + 24 <= p.length; k++, b += 24) {
      blocks.push({
        source_ssrc: p.readUInt32BE(b), fraction_lost: p[b + 4], packets_lost: p.readIntBE(b + 5, 3), highest_seq_no: p.readUInt32BE(b + 8),
        ia_jitter: p.readUInt32BE(b + 12), lsr: p.readUInt32BE(b + 16), dlsr: p.readUInt32BE(b + 20),
      });
    }
  }
  report.report_count = blocks.length;
  report.report_blocks = blocks;
  return JSON.stringify(report);
}

const isRtcp = (p: Buffer): boolean => p.length >= 8 && p[0]! >> 6 === 2 && p[1]! >= 200 && p[1]! <= 207;
const isSip = (p: Buffer): boolean => /^(?:[A-Z]+ \S+ SIP\/2\.0|SIP\/2\.0 \d{3})/.test(p.toString('latin1', 0, 64));

/** Every UDP packet of the (Ethernet/IPv4) capture as the HEP message an agent would send (capture ID 77): SIP, RTP or RTCP as JSON. */
export async function hepMessagesOf(path: string): Promise<{ messages: HepMessage[]; counts: Record<number, number> }> {
  const messages: HepMessage[] = [];
  const counts: Record<number, number> = {};
  const src = openFile(path);
  await src.start({
    frame: (f) => {
      const ip = f.data.subarray(14);
      if (f.data.readUInt16BE(12) !== 0x0800 || ip[9] !== 17) return;
      const udp = ip.subarray((ip[0]! & 0x0f) * 4);
      const payload = Buffer.from(udp.subarray(8, udp.readUInt16BE(4)));
      const type = isSip(payload) ? SIP : isRtcp(payload) ? RTCP : RTP;
      const json = type === RTCP ? heplifyJson(payload) : undefined;
      if (type === RTCP && json === undefined) return;
      const m: HepMessage = {
        src: Buffer.from(ip.subarray(12, 16)), dst: Buffer.from(ip.subarray(16, 20)), sport: udp.readUInt16BE(0), dport: udp.readUInt16BE(2),
        transport: 'UDP', ts: f.ts, captureId: 77, payloadType: type, payload: json === undefined ? payload : Buffer.from(json),
      };
      messages.push(m);
      counts[type] = (counts[type] ?? 0) + 1;
    },
  });
  src.stop();
  return { messages, counts };
}

