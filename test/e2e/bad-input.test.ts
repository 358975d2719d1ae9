// Bad input in TUI mode is refused exactly as with -N: one `sipscope: …` line, the same exit code,
// and the screen never opens (no switch to the alternate screen). Also: a terminal that goes away
// (an SSH drop) ends sipscope quietly, without an entry in the error log.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawn } from 'node-pty';
import { REPO, runCli } from '../support/cli.js';
import { PCAPS, PtyScreen } from './pty-screen.js';

const ALTERNATE_SCREEN = '\x1b[?1049h';

/** Runs bin/sipscope in a pseudo-terminal (so it would open the TUI) and returns all it wrote and its exit code. */
function inTerminal(args: string[]): Promise<{ output: string; code: number }> {
  return new Promise((resolve) => {
    const env = { ...process.env, TERM: 'xterm-256color' } as Record<string, string>;
    const pty = spawn(process.execPath, [`${REPO}/bin/sipscope`, ...args], { cols: 100, rows: 30, cwd: REPO, env });
    let output = '';
    pty.onData((d) => (output += d));
    pty.onExit((e) => resolve({ output, code: e.exitCode }));
  });
}

const cases: [string, string[], RegExp][] = [
  ['a missing file', ['-I', '/no/such/capture.pcap'], /^sipscope: cannot open \/no\/such\/capture\.pcap: no such file or directory$/],
  ['a directory', ['-I', 'test'], /^sipscope: cannot open test: is a directory$/],
  ['a file that is not a capture', ['-I', 'package.json'], /^sipscope: package\.json: not a pcap or pcapng file \(plain text\)$/],
  ['a bad BPF filter', ['-I', 'test/fixtures/sample.pcap', 'port', '99999999'], /^sipscope: invalid BPF filter 'port 99999999': illegal port number 99999999 > 65535$/],
  ['a missing rc file', ['-f', '/missing', '-I', 'test/fixtures/sample.pcap'], /^sipscope: cannot read rc file \/missing: no such file$/],
  ['-l abc', ['-l', 'abc', '-I', 'test/fixtures/sample.pcap'], /^sipscope: -l expects a dialog count: a whole number from 1 up, e\.g\. -l 5000; got 'abc'$/],
];

for (const [what, args, line] of cases) {
  test(`${what}: one line and exit 2 before the screen opens, as with -N`, async () => {
    const headless = await runCli(['-N', ...args]);
    assert.equal(headless.code, 2);
    assert.equal(headless.stdout, '');
    assert.match(headless.stderr.trimEnd(), line);
    assert.equal(headless.stderr.trimEnd().split('\n').length, 1, headless.stderr);

    const tui = await inTerminal(args);
    assert.equal(tui.code, 2);
    assert.ok(!tui.output.includes(ALTERNATE_SCREEN), 'the screen never opened');
    assert.equal(tui.output.replace(/\r\n/g, '\n').trimEnd(), headless.stderr.trimEnd());
  });
}

test('a terminal that hangs up (SSH drop) ends sipscope cleanly and writes no error log', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'sipscope-hup-'));
  try {
    const s = new PtyScreen(['-I', `${PCAPS}sngrep/aaa.pcap`], 80, 24, { TMPDIR: dir });
    await s.settle(/Dialogs: 6/);
    const exit = s.hangUp();
    const { exitCode, signal } = await exit;
    assert.equal(signal, 0, 'not killed by a signal (Node aborts when it restores a terminal that is gone)');
    assert.equal(exitCode, 0);
    assert.ok(!existsSync(join(dir, 'sipscope-error.log')), 'nothing in the error log');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
