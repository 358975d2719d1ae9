// Live capture through the real binary, as root: capture on lo while a tiny UAC/UAS plays a UDP and a
// TCP call, stop with SIGHUP (an SSH drop), and check the headless output and the -O file.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import dgram from 'node:dgram';
import { spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { untilCapturing, untilSaved } from '../support/live-capture.js';
import { playCall } from '../support/sip-peer.js';
import { countFrames, startSipscope, whyNotLive } from '../support/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'sipscope-live-'));
const children: ChildProcess[] = [];
after(() => {
  for (const c of children) c.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});



for (const signal of ['SIGHUP', 'SIGTERM', 'SIGINT'] as const) {
  test(`headless live capture on lo, stopped by ${signal}: dialogs printed, -O complete`, { skip: whyNotLive() }, async () => {
    const port = 20000 + Math.floor(Math.random() * 20000);
    const out = join(dir, `live-${signal}.pcap`);
    const run = startSipscope(['-N', '--json', '-d', 'lo', '-O', out, 'udp', 'port', String(port), 'or', 'tcp', 'port', String(port + 10)]);
    const { child, exited } = run;
    children.push(child);

    const running = (): boolean => child.exitCode === null;
    const probe = dgram.createSocket('udp4');
    await untilCapturing(out, () => probe.send('probe', port, '127.0.0.1'), running).finally(() => probe.close());
    await playCall({ transport: 'udp', port, callId: `live-udp-${signal}` });
    await playCall({ transport: 'tcp', port: port + 10, callId: `live-tcp-${signal}` });
    await untilSaved(out, [`live-udp-${signal}`, `live-tcp-${signal}`], 7, running);
    child.kill(signal);
    const code = await exited;

    assert.equal(code, 0, run.stderr());
    const lines = run.stdout().trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    const dialogs = lines.filter((l) => l.type === 'dialog');
    assert.deepEqual(dialogs.map((d) => d.callId).sort(), [`live-tcp-${signal}`, `live-udp-${signal}`]);
    for (const d of dialogs) {
      assert.equal(d.msgs, 7);
      assert.equal(d.state, 'COMPLETED');
    }
    const summary = lines.find((l) => l.type === 'summary')!;
    assert.ok(typeof summary.received === 'number' && summary.received >= 14, `libpcap received ${String(summary.received)}`);
    assert.equal(typeof summary.dropped, 'number');
    const frames = await countFrames(out);
    // 7 UDP datagrams, and the TCP call's 7 segments plus handshake, ACKs and teardown.
    assert.ok(frames >= 14 + 3, `${frames} frames in -O`);
    // The ports are random: one may be registered to another protocol in tshark, so name them as SIP.
    const asSip = ['-d', `udp.port==${port},sip`, '-d', `tcp.port==${port + 10},sip`];
    const tshark = spawnSync('tshark', ['-r', out, ...asSip, '-Y', 'sip'], { encoding: 'utf8' });
    if (tshark.status === 0) assert.equal(tshark.stdout.trim().split('\n').length, 14, 'tshark sees every SIP packet');
  });
}
