// HEP types besides SIP into sipscope -L, as agents send them: RTP (4), RTCP (5, as the JSON
// reports heplify and rtpagent send) and logs (100). A capture with SIP, RTP and RTCP sent over HEP
// gives the same streams, RTCP figures included, as the capture read locally.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import dgram from 'node:dgram';
import { encodeHep3, type HepMessage } from '../../src/sink/hep-send.js';
import { runCli, sharedPcap, startSipscope } from '../support/cli.js';
import { freePort, udpBound, udpDrained, waitFor } from '../support/ports.js';
import { hepMessagesOf, LOG, RTCP, RTP } from '../support/hep-agent.js';

const CAPTURE = sharedPcap('heplify/rtp_rtcp_sip_ipv4_udp.pcap');

function jsonLines(text: string): Record<string, unknown>[] {
  return text.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
}

test('SIP, RTP (type 4) and RTCP as JSON reports (type 5) over HEP give the streams and RTCP figures of the capture itself; logs (type 100) show with their call', async () => {
  const { messages, counts } = await hepMessagesOf(CAPTURE);
  const packets = messages.map(encodeHep3);
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
