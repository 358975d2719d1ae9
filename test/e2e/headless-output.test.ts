// -N --json writes its dialog lines a batch at a time from one reused buffer: every batch must reach
// the output whole, a reader that goes away must end the run quietly (as a Unix filter does), and
// an output that cannot be written must be one clear line and exit 74.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { closeSync, mkdtempSync, openSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureCapture } from '../bench/bench-capture.js';
import { BIN, runCli } from '../support/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'sipscope-headless-out-'));
test.after(() => rmSync(dir, { recursive: true, force: true }));
/** More dialogs than one batch of lines (4096), and more output than a pipe holds. */
const DIALOGS = 5000;
const pcap = join(dir, 'calls.pcap');
ensureCapture(pcap, { dialogs: DIALOGS }, () => {});

test('headless JSON: every dialog line of every batch, then the summary', async () => {
  const r = await runCli(['-N', '-I', pcap, '--json']);
  assert.equal(r.code, 0, r.stderr);
  const lines = r.stdout.trimEnd().split('\n').map((l) => JSON.parse(l) as { type: string; callId?: string });
  assert.equal(lines.filter((l) => l.type === 'dialog').length, DIALOGS);
  assert.equal(new Set(lines.map((l) => l.callId)).size, DIALOGS + 1);
  assert.equal(lines.at(-1)!.type, 'summary');
});

test('headless JSON: a reader that goes away ends the run quietly with exit 0', async () => {
  const child = spawn(process.execPath, [BIN, '-N', '-I', pcap, '--json'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (b: Buffer) => { stderr += b.toString(); });
  child.stdout.once('data', () => child.stdout.destroy());
  const [code] = (await once(child, 'close')) as [number | null];
  assert.equal(code, 0);
  assert.equal(stderr, '');
});

test('headless JSON: an output that cannot be written is one line and exit 74', async () => {
  const full = openSync('/dev/full', 'w');
  try {
    const child = spawn(process.execPath, [BIN, '-N', '-I', pcap, '--json'], { stdio: ['ignore', full, 'pipe'] });
    let stderr = '';
    child.stderr!.on('data', (b: Buffer) => { stderr += b.toString(); });
    const [code] = (await once(child, 'close')) as [number | null];
    assert.equal(code, 74);
    assert.equal(stderr, 'sipscope: cannot write the output: no space left on device\n');
  } finally {
    closeSync(full);
  }
});
