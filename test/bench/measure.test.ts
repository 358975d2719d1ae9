import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { measure } from './measure.js';

const dir = mkdtempSync(join(tmpdir(), 'sipscope-measure-'));
test.after(() => rmSync(dir, { recursive: true, force: true }));

test('measures the peak RSS and keeps stdout in the file', async () => {
  const stdoutFile = join(dir, 'out.txt');
  const script = 'const b = Buffer.alloc(96 << 20, 1); setTimeout(() => { console.log("done", b.length); }, 150);';
  const m = await measure(process.execPath, ['-e', script], { cwd: dir, stdoutFile, timeoutMs: 10_000 });
  assert.equal(m.exitCode, 0);
  assert.equal(m.timedOut, false);
  assert.ok(m.hwmKiB > 96 * 1024, `VmHWM ${m.hwmKiB} KiB`);
  // getrusage's maxrss and /proc's VmHWM count pages a little differently: they agree, not to the KiB.
  if (m.timeMaxRssKiB !== null) assert.ok(Math.abs(m.timeMaxRssKiB - m.hwmKiB) <= m.hwmKiB * 0.05, `time ${m.timeMaxRssKiB} KiB vs VmHWM ${m.hwmKiB} KiB`);
  assert.ok(m.wallMs >= 150);
  assert.equal(readFileSync(stdoutFile, 'utf8'), `done ${96 << 20}\n`);
  assert.equal(m.stderr, '');
  if (m.cpuMs !== null) assert.ok(m.cpuMs > 0, `CPU ${m.cpuMs} ms`);
});

test('with stdout a pipe, keeps the end of what the command printed', async () => {
  const script = 'for (let i = 0; i < 20000; i++) console.log("line " + i);';
  const m = await measure(process.execPath, ['-e', script], { cwd: dir, stdoutFile: 'pipe', timeoutMs: 10_000 });
  assert.equal(m.exitCode, 0);
  assert.ok(m.stdoutTail.length <= 128 * 1024, `${m.stdoutTail.length} bytes kept`);
  assert.ok(m.stdoutTail.endsWith('line 19998\nline 19999\n'));
});

test('kills a command that runs past the timeout', async () => {
  const m = await measure(process.execPath, ['-e', 'setTimeout(() => {}, 60_000)'], {
    cwd: dir, stdoutFile: join(dir, 'slow.txt'), timeoutMs: 300,
  });
  assert.equal(m.timedOut, true);
  assert.notEqual(m.exitCode, 0);
  assert.ok(m.wallMs < 5000);
});
