// Dialog identity across rotation and F5 (issue 8): Enter always opens the flow of the row under
// the cursor, whatever the store dropped before.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { endFeed, fifoWriter, splitPcap } from './feed.js';
import { PCAPS, PtyScreen, REPO } from './pty-screen.js';

const AAA = `${PCAPS}sngrep/aaa.pcap`;
const dir = mkdtempSync(join(tmpdir(), 'sipscope-identity-'));
const running: PtyScreen[] = [];
after(() => {
  for (const s of running) s.kill();
  rmSync(dir, { recursive: true, force: true });
});

/** Call-IDs of the dialogs `sipscope -N --json ARGS` lists, in list order. */
function callIds(args: string[]): string[] {
  const out = execFileSync(process.execPath, [`${REPO}bin/sipscope`, '-N', '--json', ...args], { cwd: REPO, encoding: 'utf8' });
  return out.trim().split('\n').map((l) => JSON.parse(l) as { type: string; callId?: string }).filter((l) => l.type === 'dialog').map((l) => l.callId!);
}

test('-l 3 -R: Enter on each row opens that row\'s own flow', async () => {
  const expected = callIds(['-l', '3', '-R', '-I', AAA]);
  assert.equal(expected.length, 3);
  const s = new PtyScreen(['-l', '3', '-R', '-I', AAA], 160, 40);
  running.push(s);
  await s.settle(/Dialogs: 3 /);
  for (const [row, callId] of expected.entries()) {
    s.write('\r');
    const flow = await s.settle(`Call flow  Call-ID: ${callId}`);
    assert.doesNotMatch(flow, /gone/);
    s.write('q');
    await s.settle(/Dialogs: 3 /);
    if (row < expected.length - 1) s.write('\x1b[B');
  }
  s.write('qy');
  assert.equal(await s.exited(), 0);
});

test('F5 on a capture still arriving, then a new dialog, then Enter opens its flow', async () => {
  const fifo = join(dir, 'f5.fifo');
  const writer = fifoWriter(fifo);
  const [first, rest] = splitPcap(readFileSync(join(REPO, AAA)), 200);
  const s = new PtyScreen(['--input=-'], 160, 40, {}, fifo);
  running.push(s);
  writer.write(first);
  await s.settle(/Mode: Online {2}Dialogs: [1-9]/);
  s.write('\x1b[15~');
  await s.settle(/Clear all dialogs\? \[y\/n\]/);
  s.write('y');
  await s.settle(/Dialogs: 0 /);
  await endFeed(writer, rest);
  const list = await s.settle(/Dialogs: [1-9]/);
  // Numbering goes on after F5: the first row is a dialog opened after the clear.
  const firstRow = Number(/\n\[ \] (\d+) /.exec(list)?.[1]);
  assert.ok(firstRow > 1, `first row after F5 is dialog ${firstRow}`);
  s.write('\r');
  const flow = await s.settle(/Call flow {2}Call-ID: \S+/);
  const callId = /Call flow {2}Call-ID: (\S+)/.exec(flow)![1]!;
  assert.ok(callIds(['-I', AAA]).includes(callId), `${callId} is a dialog of the capture`);
  assert.doesNotMatch(flow, /gone|internal error/);
  s.write('q');
  await s.settle(/Dialogs: [1-9]/);
  s.write('qy');
  assert.equal(await s.exited(), 0);
});

test('an open call flow grows while its dialog goes on', async () => {
  const fifo = join(dir, 'grow.fifo');
  const writer = fifoWriter(fifo);
  const [first, rest] = splitPcap(readFileSync(join(REPO, AAA)), 100);
  const s = new PtyScreen(['--input=-'], 160, 40, {}, fifo);
  running.push(s);
  writer.write(first);
  await s.settle(/Mode: Online {2}Dialogs: 1 /);
  s.write('\r');
  const early = await s.settle(/Call flow {2}Call-ID: \S+ {2}\(\d+ messages\)/);
  const before = Number(/\((\d+) messages\)/.exec(early)![1]);
  await endFeed(writer, rest);
  const later = await s.settle(new RegExp(`\\((?!${before} )\\d+ messages\\)`));
  assert.ok(Number(/\((\d+) messages\)/.exec(later)![1]) > before, 'more messages on the ladder');
  s.write('q');
  await s.settle(/Dialogs: 6/);
  s.write('qy');
  assert.equal(await s.exited(), 0);
});
