// One filter engine for the command line: --filter, the sngrep match expression (-m/-i/-v), -c and the rc file.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli, sharedPcap } from '../support/cli.js';

const AAA = sharedPcap('sngrep/aaa.pcap');

async function json(args: string[]): Promise<{ dialogs: Record<string, unknown>[]; summary: Record<string, unknown> }> {
  const r = await runCli(['-N', '--json', ...args]);
  assert.equal(r.code, 0, r.stderr);
  const lines = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
  return { dialogs: lines.filter((l) => l.type === 'dialog'), summary: lines.at(-1)! };
}

test('--filter chooses the dialogs printed and says so in the summary', async () => {
  const { dialogs, summary } = await json(['-I', AAA, '--filter', 'method INVITE and state busy']);
  assert.deepEqual(dialogs.map((d) => d.state), ['BUSY']);
  assert.deepEqual(summary.filter, { expression: 'method INVITE and state busy', total: 6 });
  assert.equal(summary.dialogs, 1);
  const count = await runCli(['-N', '-I', AAA, '--filter', 'method REGISTER']);
  assert.equal(count.stdout, 'Dialog count: 2\n');
});

test('a bad --filter is one line pointing at the column', async () => {
  const r = await runCli(['-N', '-I', AAA, '--filter', 'dstnum=1 and (']);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /^sipscope: --filter: .* at column \d+ of 'dstnum=1 and \('\n$/);
});

test('the match expression decides on the first message of a dialog, -v inverts, -i ignores case', async () => {
  assert.equal((await json(['-I', AAA, 'INVITE sip'])).dialogs.length, 4);
  assert.deepEqual((await json(['-I', AAA, '-v', 'INVITE sip'])).dialogs.map((d) => d.method), ['REGISTER', 'REGISTER']);
  assert.equal((await json(['-I', AAA, 'invite SIP'])).dialogs.length, 0);
  assert.equal((await json(['-I', AAA, '-i', 'invite SIP'])).dialogs.length, 4);
});

test('-c keeps only INVITE dialogs', async () => {
  const { dialogs } = await json(['-c', '-I', AAA]);
  assert.deepEqual([...new Set(dialogs.map((d) => d.method))], ['INVITE']);
});

test('rc file: -f reads it, bad lines warn with file and line, -D prints the effective settings', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'sipscope-rc-'));
  const rc = join(dir, 'rc');
  writeFileSync(rc, '# test\nset capture.limit 3\nset nonsense 1\n');
  const r = await runCli(['-f', rc, '-N', '-I', AAA]);
  assert.equal(r.code, 0);
  assert.equal(r.stdout, 'Dialog count: 3\n');
  assert.equal(r.stderr, `sipscope: warning: ${rc}:3: unknown setting 'nonsense'\n`);
  const dump = await runCli(['-f', rc, '-D']);
  assert.match(dump.stdout, /^set capture.limit 3$/m);
  const ignored = await runCli(['-f', rc, '-F', '-N', '-I', AAA]);
  assert.equal(ignored.stdout, 'Dialog count: 6\n');
});
