// The TUI on a live capture, as root: capture on lo while a tiny UAC/UAS plays calls over UDP and
// TCP, pause and resume the list, then stop with SIGHUP (an SSH drop) and check the terminal and -O.
import { held } from '../support/ids.js';
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import dgram from 'node:dgram';
import { spawnSync } from 'node:child_process';
import { createReadStream, createWriteStream, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { loadCapture } from '../media/support.js';
import { playCall } from '../support/sip-peer.js';
import { PCAPS, PtyScreen, REPO } from './pty-screen.js';

const dir = mkdtempSync(join(tmpdir(), 'sipscope-live-tui-'));
const running: PtyScreen[] = [];
after(() => {
  for (const s of running) s.kill();
  rmSync(dir, { recursive: true, force: true });
});

function whyNotLive(): string | undefined {
  if (process.getuid?.() !== 0) return 'live capture needs root';
  if (!existsSync(join(REPO, 'node_modules/pcap/build/Release/pcap_binding.node'))) return 'the pcap module is not built (libpcap-dev missing)';
  return undefined;
}

function packets(screen: string): number {
  return Number(/Packets: ([\d,]+)/.exec(screen)?.[1]?.replace(/,/g, '') ?? -1);
}

/** Sends a non-SIP datagram to `port` until the header counts a captured packet: libpcap is then listening. */
async function untilCapturing(s: PtyScreen, port: number): Promise<void> {
  const probe = dgram.createSocket('udp4');
  try {
    for (let i = 0; i < 100 && packets(s.text()) < 1; i++) {
      probe.send('probe', port, '127.0.0.1');
      await sleep(100);
    }
  } finally {
    probe.close();
  }
  await s.settle(/Packets: [1-9]/);
}

test('live TUI on lo: dialogs appear, p pauses and resumes, SIGHUP restores the terminal and leaves a complete -O', { skip: whyNotLive() }, async () => {
  const port = 20000 + Math.floor(Math.random() * 20000);
  const out = join(dir, 'live.pcap');
  const s = new PtyScreen(['-d', 'lo', '-O', out, 'udp', 'port', String(port), 'or', 'tcp', 'port', String(port + 10)], 80, 24);
  running.push(s);
  await s.settle(/Mode: Online/);
  await untilCapturing(s, port);

  await playCall({ transport: 'udp', port, callId: 'live-tui-udp' });
  await playCall({ transport: 'tcp', port: port + 10, callId: 'live-tui-tcp' });
  const two = await s.settle(/Mode: Online {2}Dialogs: 2 [\s\S]*COMPLETED[\s\S]*COMPLETED/);
  assert.match(two, new RegExp(`Device: lo[\\s\\S]*BPF: udp port ${port} or tcp port ${port + 10}`));
  // libpcap's own counters: what it received (the probes and both calls' packets) and dropped.
  assert.match(two, /Received: [1-9][\d,]* {2}Dropped: 0/);

  s.write('p');
  const paused = packets(await s.settle(/Dialogs: 2 {2}Paused/));
  await playCall({ transport: 'udp', port, callId: 'live-tui-while-paused' });
  // The capture goes on (the packet count grows) while the list stays as it was.
  const during = await s.settle(new RegExp(`Packets: (?!${paused} )`));
  assert.match(during, /Dialogs: 2 {2}Paused/);
  s.write('p');
  const resumed = await s.settle(/Dialogs: 3 /);
  assert.doesNotMatch(resumed, /Paused/);

  s.signal('SIGHUP');
  assert.equal(await s.exited(), 0);
  assert.ok(await s.restored(), 'the terminal is back to normal');

  const { store } = await loadCapture(out);
  const dialogs = Array.from({ length: store.dialogCount() }, (_, i) => held(store, i));
  assert.deepEqual(dialogs.map((d) => [d.callId, d.messages.length, d.state]), [
    ['live-tui-udp', 7, 'COMPLETED'],
    ['live-tui-tcp', 7, 'COMPLETED'],
    ['live-tui-while-paused', 7, 'COMPLETED'],
  ]);
  const tshark = spawnSync('tshark', ['-r', out, '-Y', 'sip'], { encoding: 'utf8' });
  if (tshark.status === 0) assert.equal(tshark.stdout.trim().split('\n').length, 21, 'tshark sees every SIP packet');
});

test('-O on a full disk: the header says so, the list keeps filling, the message is repeated on exit', { skip: existsSync('/dev/full') ? undefined : 'no /dev/full' }, async () => {
  const fifo = join(dir, 'capture.fifo');
  execFileSync('mkfifo', [fifo]);
  const s = new PtyScreen(['--input=-', '-O', '/dev/full'], 160, 40, {}, fifo);
  running.push(s);
  const feed = createWriteStream(fifo);
  createReadStream(join(REPO, `${PCAPS}sngrep/aaa.pcap`)).pipe(feed);
  const shown = await s.settle(/Dialogs: 6 [\s\S]*cannot write \/dev\/full: no space left on device/);
  assert.match(shown, /\[ \] 6 /, 'every dialog is listed');
  s.write('qy');
  assert.equal(await s.exited(), 0);
  assert.match(s.text(), /sipscope: warning: cannot write \/dev\/full: no space left on device/);
});
