// CSV cells a spreadsheet would run as formulas (OWASP "CSV injection") stay text.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { csvField } from '../../src/sink/csv.js';
import { PcapWriter } from '../../src/sink/pcap-writer.js';
import { synthFrame, SYNTH_LINKTYPE } from '../../src/sink/synth-frame.js';
import { runCli } from '../support/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'sipscope-csv-'));
after(() => rmSync(dir, { recursive: true, force: true }));

test('a cell starting with = + - @, tab or CR gets a leading quote; others are as RFC 4180 has them', () => {
  for (const [value, cell] of [
    ['=HYPERLINK("http://x")', `"'=HYPERLINK(""http://x"")"`],
    ['+1+2', "'+1+2"],
    ['-2+3', "'-2+3"],
    ['@SUM(A1)', "'@SUM(A1)"],
    ['alice', 'alice'],
    ['a,b', '"a,b"'],
    ['1-2', '1-2'],
  ] as const) assert.equal(csvField(value), cell, value);
  // Tab and CR are control characters the one sanitizer shows as placeholders; the cell is guarded all the same.
  for (const value of ['\t=1', '\r=1']) assert.match(csvField(value), /^"?'/, JSON.stringify(value));
});

test('--csv: a From user that is a formula is written as text', async () => {
  const capture = join(dir, 'formula.pcap');
  const w = PcapWriter.open(capture, SYNTH_LINKTYPE);
  const invite = [
    'INVITE sip:bob@example.com SIP/2.0', 'Via: SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bK1', 'From: <sip:=2+5@example.com>;tag=1',
    'To: <sip:bob@example.com>', 'Call-ID: formula-1@192.0.2.1', 'CSeq: 1 INVITE', 'Content-Length: 0', '', '',
  ].join('\r\n');
  const { data } = synthFrame({ src: '192.0.2.1', sport: 5060, dst: '192.0.2.2', dport: 5060, transport: 'UDP', payload: Buffer.from(invite) });
  w.write({ ts: 1_700_000_000_000_000_000n, data, origLen: data.length });
  w.close();
  const out = join(dir, 'list.csv');
  const r = await runCli(['-N', '-F', '-I', capture, '--csv', out]);
  assert.equal(r.code, 0, r.stderr);
  const rows = readFileSync(out, 'utf8').trim().split('\r\n');
  assert.equal(rows.length, 2);
  assert.ok(rows[1]!.split(',').includes("'=2+5"), rows[1]);
});
