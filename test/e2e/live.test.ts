import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createWriteStream, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PCAPS, PtyScreen, REPO } from './pty-screen.js';

/** A classic pcap cut at a record boundary: the header and the first `records` records, then the rest. */
function splitPcap(bytes: Buffer, records: number): [Buffer, Buffer] {
  let off = 24;
  for (let i = 0; i < records && off < bytes.length; i++) off += 16 + bytes.readUInt32LE(off + 8);
  return [bytes.subarray(0, off), bytes.subarray(off)];
}

const dir = mkdtempSync(join(tmpdir(), 'sipscope-live-'));
const running: PtyScreen[] = [];
after(() => {
  for (const s of running) s.kill();
  rmSync(dir, { recursive: true, force: true });
});

test('a capture still arriving: the list grows, the cursor stays, quitting asks first', async () => {
  const fifo = join(dir, 'capture.fifo');
  execFileSync('mkfifo', [fifo]);
  const [first, rest] = splitPcap(readFileSync(join(REPO, `${PCAPS}sngrep/aaa.pcap`)), 200);
  const s = new PtyScreen(['--input=-'], 80, 24, {}, fifo);
  running.push(s);
  const writer = createWriteStream(fifo);
  writer.write(first);
  const early = await s.settle(/Mode: Online {2}Dialogs: \d/);
  const before = Number(/Dialogs: (\d+)/.exec(early)![1]);
  assert.ok(before < 6, `only part of the capture so far (${before} dialogs)`);

  s.write('\x1b[B'.repeat(before - 1));
  s.write('q');
  await s.settle(/Quit sipscope\? \[y\/n\]/);
  s.write('n');
  await s.settle(/^(?![\s\S]*Quit sipscope)/);

  await new Promise<void>((resolve) => writer.end(rest, resolve));
  const later = await s.settle(/Dialogs: 6/);
  // The cursor row (drawn in the cursor colours) is still the one it was on.
  assert.match(later, new RegExp(`\\n\\[ \\] ${before} `));
  s.write(' ');
  await s.settle(new RegExp(`\\[\\*\\] ${before} `));
  s.write('q');
  assert.equal(await s.exited(), 0, 'the capture has ended, so q quits at once');
});
