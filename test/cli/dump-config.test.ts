import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseRc } from '../../src/config/rc.js';
import { applyBindings, DEFAULT_KEYMAP } from '../../src/ui/keymap.js';
import { runCli } from '../support/cli.js';

test('-D prints the settings and every key binding, as rc lines that read back to the same keymap', async () => {
  const r = await runCli(['-F', '-D']);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /^set /m);
  for (const [scope, bindings] of Object.entries(DEFAULT_KEYMAP)) {
    for (const b of bindings) assert.match(r.stdout, new RegExp(`^bind ${scope}\\.${b.action} `, 'm'), `${scope}.${b.action} is printed`);
  }
  const read = parseRc(r.stdout, '-D output');
  assert.deepEqual(read.warnings, []);
  assert.deepEqual(applyBindings(DEFAULT_KEYMAP, read.bindings).keymap, DEFAULT_KEYMAP);
});

test('-D shows a key the rc file rebinds', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'sipscope-rc-'));
  try {
    writeFileSync(join(dir, 'rc'), 'bind list.save f2,w\n');
    const r = await runCli(['-f', join(dir, 'rc'), '-D']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^bind list\.save f2,w$/m);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
