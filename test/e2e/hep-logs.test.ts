// HEP logs (type 100) in the TUI: an agent (here this test, as rtpengine or Kamailio would) sends a
// call's SIP and log lines naming its Call-ID to sipscope -L; the call flow shows each log as a row
// at its capture time, across the ladder, and the message pane the whole line.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import dgram from 'node:dgram';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSipscope } from '../support/cli.js';
import { encodeHep3, type HepMessage } from '../../src/sink/hep-send.js';
import { freePort, udpBound, udpDrained, waitFor } from '../support/ports.js';
import { hepMessagesOf, LOG, SIP } from '../support/hep-agent.js';
import { sharedPcap } from '../support/shared-pcaps.js';
import { matchSnapshot, PtyScreen } from './pty-screen.js';

const CAPTURE = 'heplify/rtp_rtcp_sip_ipv4_udp.pcap';
const running: PtyScreen[] = [];
after(() => { for (const s of running) s.kill(); });

/** The SIP packets of the capture as an agent sends them, with the Call-ID of the first. */
async function sipAsHep(): Promise<{ packets: HepMessage[]; callId: string }> {
  const packets = (await hepMessagesOf(sharedPcap(CAPTURE))).messages.filter((m) => m.payloadType === SIP);
  const callId = /^Call-ID:\s*(\S+)/im.exec(packets[0]!.payload.toString('latin1'))![1]!;
  return { packets, callId };
}

test('HEP logs of a call are rows of its flow at their time; the pane shows the whole line', async () => {
  const { packets, callId } = await sipAsHep();
  const port = await freePort();
  const s = new PtyScreen(['-L', `udp:127.0.0.1:${port}`], 100, 30);
  running.push(s);
  await waitFor('the listener', () => udpBound(port), () => s.exitCode === undefined);
  const log = (after: number, text: string): HepMessage => ({
    ...packets[0]!, ts: packets[after]!.ts + 1_000_000n, payloadType: LOG, correlationId: Buffer.from(callId), payload: Buffer.from(text),
  });
  const sent = [
    ...packets.slice(0, 2), log(1, 'kamailio[4711]: NOTICE: <script>: relaying INVITE to the media gateway'), ...packets.slice(2),
    log(packets.length - 1, 'rtpengine[123]: INFO: [' + callId + ']: Final packet stats: 891 packets, 0 lost, average MOS 4.4, lowest 4.3 at 0:12'),
  ];
  const tx = dgram.createSocket('udp4');
  try {
    for (const m of sent) await new Promise<void>((r) => tx.send(encodeHep3(m), port, '127.0.0.1', () => r()));
    await waitFor('the listener to read them', () => udpDrained(port), () => s.exitCode === undefined);
  } finally {
    tx.close();
  }
  await s.settle(/Dialogs: 4 [\s\S]*IN CALL/);
  s.write('\r');
  matchSnapshot('hep-logs-flow-100x30', await s.settle(/2 logs\)[\s\S]*LOG 77: kamailio[\s\S]*LOG 77: rtpengine/));
  s.write('G');
  matchSnapshot('hep-logs-pane-100x30', await s.settle(/HEP log \(type 100\)[\s\S]*lowest 4\.3 at 0:12/));
});

test('headless -L --flow saves the log rows the TUI flow shows', async () => {
  const { packets, callId } = await sipAsHep();
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'sipscope-hep-logs-'));
  try {
    const out = join(dir, 'flow.txt');
    const rx = startSipscope(['-N', '-q', '-L', `udp:127.0.0.1:${port}`, '--flow', out, '--filter', `callid=${callId}`]);
    await waitFor('the listener', () => udpBound(port), rx.alive);
    const log: HepMessage = { ...packets[0]!, ts: packets[0]!.ts + 1_000_000n, payloadType: LOG, correlationId: Buffer.from(callId),
      payload: Buffer.from('kamailio[4711]: NOTICE: relaying INVITE to the media gateway') };
    const tx = dgram.createSocket('udp4');
    try {
      for (const m of [packets[0]!, log, ...packets.slice(1)]) await new Promise<void>((r) => tx.send(encodeHep3(m), port, '127.0.0.1', () => r()));
      await waitFor('the listener to read them', () => udpDrained(port), rx.alive);
    } finally {
      tx.close();
    }
    rx.child.kill('SIGTERM');
    assert.equal(await rx.exited, 0, rx.stderr());
    const flow = readFileSync(out, 'utf8');
    assert.match(flow, /LOG 77: kamailio\[4711\]: NOTICE: relaying/, 'the log row, cut at the ladder width as the TUI cuts it');
    matchSnapshot('hep-logs-flow-export', flow);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
