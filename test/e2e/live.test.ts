import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { endFeed, fifoWriter, splitPcap } from './feed.js';
import { PCAPS, PtyScreen, REPO } from './pty-screen.js';

const dir = mkdtempSync(join(tmpdir(), 'sipscope-live-'));
const running: PtyScreen[] = [];
after(() => {
  for (const s of running) s.kill();
  rmSync(dir, { recursive: true, force: true });
});

test('a capture still arriving: the list grows, the cursor stays, quitting asks first', async () => {
  const fifo = join(dir, 'capture.fifo');
  const writer = fifoWriter(fifo);
  const [first, rest] = splitPcap(readFileSync(join(REPO, `${PCAPS}sngrep/aaa.pcap`)), 200);
  const s = new PtyScreen(['--input=-'], 80, 24, {}, fifo);
  running.push(s);
  writer.write(first);
  const early = await s.settle(/Mode: Online {2}Dialogs: \d/);
  const before = Number(/Dialogs: (\d+)/.exec(early)![1]);
  assert.ok(before < 6, `only part of the capture so far (${before} dialogs)`);

  s.write('\x1b[B'.repeat(before - 1));
  s.write('q');
  await s.settle(/Quit sipscope\? \[y\/n\]/);
  s.write('n');
  await s.settle(/^(?![\s\S]*Quit sipscope)/);

  await endFeed(writer, rest);
  const later = await s.settle(/Dialogs: 6/);
  // The cursor row (drawn in the cursor colours) is still the one it was on.
  assert.match(later, new RegExp(`\\n\\[ \\] ${before} `));
  s.write(' ');
  await s.settle(new RegExp(`\\[\\*\\] ${before} `));
  s.write('q');
  // The capture has ended: the question is the plain exit prompt, not the running-capture one.
  const asked = await s.settle(/Quit sipscope\? \[y\/n\]/);
  assert.doesNotMatch(asked, /capture is running/);
  s.write('y');
  assert.equal(await s.exited(), 0);
});
