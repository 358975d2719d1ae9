// HEP types besides SIP into sipscope -L, as agents send them: RTP (4), RTCP (5, as the JSON
// reports heplify and rtpagent send) and logs (100). A capture with SIP, RTP and RTCP sent over HEP
// gives the same streams, RTCP figures included, as the capture read locally.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import dgram from 'node:dgram';
import { openFile } from '../../src/source/file-source.js';
import { encodeHep3, type HepMessage } from '../../src/sink/hep-send.js';
import { runCli, sharedPcap, startSipscope } from '../support/cli.js';
import { freePort, udpBound, udpDrained, waitFor } from '../support/ports.js';

const CAPTURE = sharedPcap('heplify/rtp_rtcp_sip_ipv4_udp.pcap');
const [SIP, RTP, RTCP, LOG] = [1, 4, 5, 100];

function jsonLines(text: string): Record<string, unknown>[] {
  return text.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
}

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

/** Every UDP packet of the (Ethernet/IPv4) capture as the HEP packet an agent would send: SIP, RTP or RTCP as JSON. */
async function asHep(path: string): Promise<{ packets: Buffer[]; counts: Record<number, number> }> {
  const packets: Buffer[] = [];
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
      packets.push(encodeHep3(m));
      counts[type] = (counts[type] ?? 0) + 1;
    },
  });
  src.stop();
  return { packets, counts };
}

test('SIP, RTP (type 4) and RTCP as JSON reports (type 5) over HEP give the streams and RTCP figures of the capture itself; logs (type 100) show with their call', async () => {
  const { packets, counts } = await asHep(CAPTURE);
  assert.ok((counts[RTCP] ?? 0) > 0 && (counts[RTP] ?? 0) > 0, `the capture has RTP and RTCP: ${JSON.stringify(counts)}`);
  const port = await freePort();
  const rx = startSipscope(['-N', '--json', '-L', `udp:127.0.0.1:${port}`]);
  await waitFor('the listener', () => udpBound(port), rx.alive);
  const callId = jsonLines((await runCli(['-N', '--json', '-I', CAPTURE])).stdout).find((x) => x.type === 'dialog')!.callId as string;
  const tx = dgram.createSocket('udp4');
  try {
    // In bursts the socket buffer holds, each read before the next: HEP over loopback loses nothing then.
    for (let k = 0; k < packets.length; k += 256) {
      for (const p of packets.slice(k, k + 256)) await new Promise<void>((r) => tx.send(p, port, '127.0.0.1', () => r()));
      await waitFor('the listener to read the burst', () => udpDrained(port), rx.alive);
    }
    const log: HepMessage = {
      src: Buffer.from([10, 0, 0, 1]), dst: Buffer.from([10, 0, 0, 2]), sport: 5060, dport: 5060, transport: 'UDP', ts: 1_700_000_000_000_000_000n,
      captureId: 77, payloadType: LOG, correlationId: Buffer.from(callId), payload: Buffer.from('rtpengine[123]: Final packet stats'),
    };
    const { correlationId: _c, ...uncorrelated } = log;
    for (const p of [log, uncorrelated]) await new Promise<void>((r) => tx.send(encodeHep3(p), port, '127.0.0.1', () => r()));
    await waitFor('the listener to read the log', () => udpDrained(port), rx.alive);
  } finally {
    tx.close();
  }
  rx.child.kill('SIGTERM');
  assert.equal(await rx.exited, 0, rx.stderr());
  const viaHep = jsonLines(rx.stdout());
  const local = jsonLines((await runCli(['-N', '--json', '-I', CAPTURE])).stdout);
  const streams = (l: Record<string, unknown>[]): Record<string, unknown>[] => l.filter((x) => x.type === 'stream');
  assert.ok(streams(local).some((s) => (s.rtcp as { receiverReports: number }).receiverReports > 0), 'the capture has RTCP reports on its streams');
  assert.deepEqual(streams(viaHep), streams(local));
  const skipped = viaHep.find((x) => x.type === 'summary')!.skipped as Record<string, number>;
  // The log with the call's Call-ID as correlation ID shows with the dialog (as in HOMER); one without is counted.
  const dialog = viaHep.find((x) => x.type === 'dialog' && x.callId === callId)!;
  assert.deepEqual(dialog.logs, [{ time: '2023-11-14T22:13:20.000000Z', node: '77', text: 'rtpengine[123]: Final packet stats' }]);
  assert.equal(skipped['hep-log'], 1, 'the log without a correlation ID is counted');
  assert.equal(skipped['hep-not-sip'], undefined, 'no RTP or RTCP packet was taken for something else');
});
