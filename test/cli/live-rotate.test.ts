// -O rotation on a live capture, as root on lo: --rotate-size starts new files while calls go on,
// SIGUSR1 starts the next one at once; every file is a valid pcap and their frames add up.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { CALL_FLOW, playCall } from '../support/sip-peer.js';
import { countFrames, startSipscope, whyNotLive } from '../support/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'sipscope-rotate-'));
const children: ChildProcess[] = [];
after(() => {
  for (const c of children) c.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});



/** Polls until `ok` holds (the capture writes every frame synchronously, so files show progress). */
async function until(ok: () => boolean | Promise<boolean>, what: string): Promise<void> {
  for (let i = 0; i < 1500; i++) {
    if (await ok()) return;
    await sleep(20);
  }
  throw new Error(`gave up waiting for ${what}`);
}

function files(): string[] {
  return readdirSync(dir).filter((f) => /^rot\.\d+\.pcap$/.test(f)).sort((a, b) => Number(a.split('.')[1]) - Number(b.split('.')[1]));
}

async function totalFrames(): Promise<number> {
  let n = 0;
  for (const f of files()) n += await countFrames(join(dir, f));
  return n;
}

test('live -O with --rotate-size: several valid pcap files whose frames add up; SIGUSR1 starts the next', { skip: whyNotLive() }, async () => {
  const port = 20000 + Math.floor(Math.random() * 20000);
  const out = join(dir, 'rot.pcap');
  const run = startSipscope(['-N', '--json', '-d', 'lo', '-O', out, '--rotate-size', '2k', 'udp', 'port', String(port)]);
  const { child, exited } = run;
  children.push(child);

  // The first file gets its header when libpcap opens, before any packet.
  await until(() => existsSync(join(dir, 'rot.1.pcap')) && statSync(join(dir, 'rot.1.pcap')).size === 24, 'the first file');
  const calls = 4;
  for (let k = 0; k < calls; k++) await playCall({ transport: 'udp', port, callId: `rotate-${k}` });
  await until(async () => (await totalFrames()) === calls * CALL_FLOW.length, 'every frame on disk');
  const before = files().length;
  child.kill('SIGUSR1');
  await until(() => files().length === before + 1, 'SIGUSR1 to start a new file');
  await playCall({ transport: 'udp', port, callId: 'rotate-after-usr1' });
  await until(async () => (await totalFrames()) === (calls + 1) * CALL_FLOW.length, 'the last call on disk');
  child.kill('SIGTERM');
  assert.equal(await exited, 0, run.stderr());

  const names = files();
  assert.ok(names.length >= 3, `several files: ${names.join(' ')}`);
  let sum = 0;
  for (const f of names) {
    const path = join(dir, f);
    sum += await countFrames(path); // throws unless the file is a valid pcap on its own
    if (f !== names[names.length - 1]) assert.ok(statSync(path).size <= 2048, `${f} stays within --rotate-size`);
  }
  const summary = run.stdout().trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>).find((l) => l.type === 'summary')!;
  assert.equal(sum, summary.frames, 'the files hold every frame captured');
  assert.equal(sum, (calls + 1) * CALL_FLOW.length);
});
