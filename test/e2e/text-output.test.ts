// -T FILE with the TUI (sngrep 1.7's -T works with and without the interface): the dialogs are
// written as text when sipscope quits; a path that cannot be written is refused before the screen opens.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PCAPS, PtyScreen } from './pty-screen.js';
import { runCli } from '../support/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'sipscope-text-e2e-'));
const running: PtyScreen[] = [];
after(() => {
  for (const s of running) s.kill();
  rmSync(dir, { recursive: true, force: true });
});

test('-T in the TUI writes the dialogs as text when it quits, the same text as -N -T', async () => {
  const out = join(dir, 'tui.txt');
  const s = new PtyScreen(['-F', '-I', `${PCAPS}sngrep/aaa.pcap`, '-T', out], 100, 30);
  running.push(s);
  await s.settle(/Dialogs: 6(?![^\n]*Loading)/);
  s.write('q');
  // Quitting may ask first (the quit prompt setting).
  while (s.exitCode === undefined) {
    if (/Quit sipscope\?/.test(s.text())) s.write('y');
    await new Promise((r) => setTimeout(r, 25));
  }
  assert.equal(await s.exited(), 0);
  const headless = join(dir, 'headless.txt');
  const r = await runCli(['-N', '-F', '-I', `${PCAPS}sngrep/aaa.pcap`, '-T', headless]);
  assert.equal(r.code, 0, r.stderr);
  const text = readFileSync(out, 'utf8');
  assert.match(text, /INVITE sip:/);
  assert.equal(text, readFileSync(headless, 'utf8'));
});

test('-T to a path that cannot be written: one line and an exit code before the screen opens', async () => {
  const s = new PtyScreen(['-F', '-I', `${PCAPS}sngrep/aaa.pcap`, '-T', join(dir, 'missing', 'x.txt')], 100, 30);
  running.push(s);
  assert.notEqual(await s.exited(), 0);
  assert.match(s.text(), /sipscope: cannot write \S+x\.txt: no such file or directory/);
});
