import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureCapture } from './bench-capture.js';

const dir = mkdtempSync(join(tmpdir(), 'sipscope-capture-'));
test.after(() => rmSync(dir, { recursive: true, force: true }));

test('a capture is generated once and regenerated when its generator version is older', () => {
  const pcap = join(dir, 'b.pcap');
  const logged: string[] = [];
  const log = (line: string): void => { logged.push(line); };
  const first = ensureCapture(pcap, { dialogs: 50 }, log);
  assert.equal(logged.length, 1);
  assert.deepEqual(ensureCapture(pcap, { dialogs: 50 }, log), first);
  assert.equal(logged.length, 1, 'kept');

  writeFileSync(`${pcap}.json`, JSON.stringify({ ...first, version: first.version - 1 }));
  assert.deepEqual(ensureCapture(pcap, { dialogs: 50 }, log), first);
  assert.equal(logged.length, 2, 'regenerated');
  assert.equal(JSON.parse(readFileSync(`${pcap}.json`, 'utf8')).version, first.version);

  ensureCapture(pcap, { dialogs: 60 }, log);
  assert.equal(logged.length, 3, 'regenerated for another size');
});
