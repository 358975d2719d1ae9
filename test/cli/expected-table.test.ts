// Every capture in ../shared/pcaps/EXPECTED.tsv gives exactly the expected SIP message and dialog counts
// through the real headless binary, or the expected one-line error, or at least no crash.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { runCli, sharedPcap } from '../support/cli.js';

interface Row { file: string; messages: string; dialogs: string; expect: string; note: string }

const rows: Row[] = readFileSync(sharedPcap('EXPECTED.tsv'), 'utf8')
  .trim()
  .split('\n')
  .slice(1)
  .map((line) => {
    const [file = '', messages = '', dialogs = '', expect = '', note = ''] = line.split('\t');
    return { file, messages, dialogs, expect, note };
  });

test('EXPECTED.tsv lists the shared captures', () => {
  assert.ok(rows.length >= 60, `only ${rows.length} rows`);
});

for (const row of rows) {
  test(`${row.file}: ${row.expect === 'ok' ? `${row.messages} messages, ${row.dialogs} dialogs` : row.expect}`, async () => {
    const r = await runCli(['-N', '--json', '-I', sharedPcap(row.file)]);
    assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace');
    if (row.expect === 'error') {
      assert.notEqual(r.code, 0, 'non-zero exit');
      assert.equal(r.stderr.trim().split('\n').length, 1, `one line: ${r.stderr}`);
      assert.match(r.stderr, /not a pcap or pcapng file/);
      return;
    }
    assert.equal(r.code, 0, r.stderr);
    const lines = r.stdout.trim().split('\n');
    const summary = JSON.parse(lines.at(-1)!) as { type: string; dialogs: number; messages: number };
    assert.equal(summary.type, 'summary');
    const dialogLines = lines.filter((l) => l.startsWith('{"type":"dialog"'));
    assert.equal(dialogLines.length, summary.dialogs, 'one line per dialog');
    if (row.expect === 'ok') {
      assert.equal(summary.messages, Number(row.messages), 'SIP messages');
      assert.equal(summary.dialogs, Number(row.dialogs), 'dialogs');
    }
  });
}
