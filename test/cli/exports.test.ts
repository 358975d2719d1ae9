import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli, sharedPcap } from '../support/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'sipscope-exports-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const CAPTURE = sharedPcap('sngrep/aaa.pcap');
const env = { ...process.env, TZ: 'UTC' };

async function dialogLines(args: string[]): Promise<Record<string, unknown>[]> {
  const r = await runCli(['-N', '-F', '-I', CAPTURE, '--json', ...args], { env });
  assert.equal(r.code, 0, r.stderr);
  return r.stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>).filter((o) => o.type === 'dialog');
}

/** RFC 4180 rows (quoted fields may hold commas, quotes and line breaks). */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  const re = /("(?:[^"]|"")*"|[^,\r\n]*)(,|\r\n|$)/g;
  let row: string[] = [];
  for (let m = re.exec(text); m !== null && m.index < text.length; m = re.exec(text)) {
    const v = m[1]!;
    row.push(v.startsWith('"') ? v.slice(1, -1).replace(/""/g, '"') : v);
    if (m[2] !== ',') { rows.push(row); row = []; }
  }
  return rows;
}

test('--csv writes the filtered list with the visible columns, sorted as the rc file says', async () => {
  const rc = join(dir, 'rc');
  writeFileSync(rc, 'set cl.columns index,method,from,to,msgs,callId,state\nset cl.sortfield msgs\nset cl.sortorder desc\n');
  const out = join(dir, 'list.csv');
  const r = await runCli(['-N', '-f', rc, '-I', CAPTURE, '--filter', 'method=INVITE', '--csv', out], { env });
  assert.equal(r.code, 0, r.stderr);
  const rows = parseCsv(readFileSync(out, 'utf8'));
  assert.deepEqual(rows[0], ['Idx', 'Method', 'SIP From', 'SIP To', 'Msgs', 'Call-ID', 'Call State']);
  const expected = await dialogLines(['--filter', 'method=INVITE']);
  assert.equal(rows.length - 1, expected.length);
  const msgs = rows.slice(1).map((row) => Number(row[4]));
  assert.deepEqual(msgs, [...msgs].sort((a, b) => b - a), 'sorted by Msgs, descending');
  assert.deepEqual(new Set(rows.slice(1).map((row) => row[5])), new Set(expected.map((d) => d.callId)));
  for (const row of rows.slice(1)) assert.equal(row[1], 'INVITE');
});

test('--json messages: one line per SIP message with time, addresses, transport, start line, headers and body', async () => {
  const r = await runCli(['-N', '-F', '-I', CAPTURE, '--json', 'messages'], { env });
  assert.equal(r.code, 0, r.stderr);
  interface Line { type: string; callId: string; time: string; src: string; transport: string; startLine: string; body: string; headers: { name: string; value: string }[] }
  const lines = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as Line);
  const dialogs = await dialogLines([]);
  assert.equal(lines.length, dialogs.reduce((n, d) => n + (d.msgs as number), 0));
  for (const m of lines) {
    assert.equal(m.type, 'message');
    assert.match(m.time, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/);
    assert.match(m.src, /:\d+$/);
    assert.equal(m.transport, 'UDP');
    assert.match(m.startLine, /SIP\/2\.0/);
    assert.ok(m.headers.some((h) => h.name === 'Call-ID'));
    if (m.headers.some((h) => h.name === 'Content-Type' && h.value.includes('sdp'))) assert.match(m.body, /^v=0/);
  }
  assert.equal(new Set(lines.map((m) => m.callId)).size, dialogs.length);
});

test('-T FILE writes the dialogs as sngrep text', async () => {
  const out = join(dir, 'dialogs.txt');
  const r = await runCli(['-N', '-F', '-I', CAPTURE, '-T', out], { env });
  assert.equal(r.code, 0, r.stderr);
  const text = readFileSync(out, 'utf8');
  const heads = text.match(/^\d{4}\/\d\d\/\d\d \d\d:\d\d:\d\d\.\d{6} \S+ -> \S+$/gm) ?? [];
  const dialogs = await dialogLines([]);
  assert.equal(heads.length, dialogs.reduce((n, d) => n + (d.msgs as number), 0));
});

test('--json followed by a trailing word still reads the word as a match expression', async () => {
  const r = await runCli(['-N', '-F', '-I', CAPTURE, '--json', 'INVITE'], { env });
  assert.equal(r.code, 0, r.stderr);
  assert.ok(r.stdout.includes('"type":"summary"'));
});

test('rotation options: bad sizes and durations, and rotation without -O, are one clear line', async () => {
  for (const [args, message] of [
    [['--rotate-size', '5X'], /--rotate-size expects a file size, e\.g\. 100M/],
    [['--rotate-time', '0s'], /--rotate-time expects a duration/],
    [['-O', join(dir, 'r.pcap'), '--rotate-files', '3'], /--rotate-files needs --rotate-size or --rotate-time/],
    [['--rotate-size', '1M'], /--rotate-size, --rotate-time and --rotate-files need -O FILE/],
  ] as const) {
    const r = await runCli(['-N', '-F', '-I', CAPTURE, ...args]);
    assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
    assert.match(r.stderr, new RegExp(`^sipscope: ${message.source}`));
  }
});
