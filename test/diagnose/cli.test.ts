import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../support/cli.js';
import { ALICE, BOB, basicCall, sdp, writePcap, type Call } from './scenario.js';

const dir = mkdtempSync(join(tmpdir(), 'sipscope-diag-'));
test.after(() => rmSync(dir, { recursive: true, force: true }));

/** The classic: the 200 OK is resent for 32 s, no ACK arrives, the callee hangs up. */
const dropped: Call = {
  callId: 'dropped@gen',
  msgs: [
    { at: 0, from: ALICE, to: BOB, line: 'INVITE 1', sdp: sdp(ALICE.ip, 4000, '0') },
    { at: 10, from: BOB, to: ALICE, line: '180 1 INVITE' },
    ...[1000, 1500, 2500, 4500, 8500, 16500, 32500].map((at) => ({ at, from: BOB, to: ALICE, line: '200 1 INVITE', sdp: sdp(BOB.ip, 5000, '0') })),
    { at: 33000, from: BOB, to: ALICE, line: 'BYE 1' },
    { at: 33005, from: ALICE, to: BOB, line: '200 1 BYE' },
  ],
};

test('--json dialog lines carry findings; --report prints the triage table', async () => {
  const pcap = join(dir, 'dropped.pcap');
  writePcap(pcap, [dropped, basicCall('fine@gen')]);
  const json = await runCli(['-N', '-I', pcap, '--json']);
  assert.equal(json.code, 0, json.stderr);
  const lines = json.stdout.trim().split('\n').map((l) => JSON.parse(l) as { type: string; findings?: unknown[] });
  assert.deepEqual(lines[0].findings, [{
    code: 'dropped-after-32s',
    severity: 'error',
    text: "BYE from 10.2.2.20:5060 32 s after the 200 OK, sent 7 times, and no ACK seen: the ACK did not reach 10.2.2.20:5060; " +
      "the 200 OK's Contact is <sip:4989654321@10.2.2.20:5060> (a private address)",
  }]);
  assert.deepEqual(lines[1].findings, []);

  const report = await runCli(['-N', '-I', pcap, '--report']);
  assert.equal(report.code, 0, report.stderr);
  assert.equal(report.stdout, [
    'Dialogs: 2',
    '',
    'Findings:',
    '  severity  code               dialogs  meaning',
    '  error     dropped-after-32s        1  BYE about 32 s after the 200 OK with the ACK missing: the classic NAT / Record-Route / Contact fault',
    '',
    'Responses:',
    '  code  dialogs',
    '  100         1',
    '  180         2',
    '  200         2',
    '',
  ].join('\n'));
});

test('--no-diagnose: no rule runs, every findings list is empty, the response counts stay', async () => {
  const pcap = join(dir, 'dropped-undiagnosed.pcap');
  writePcap(pcap, [dropped, basicCall('fine@gen')]);
  const json = await runCli(['-N', '-I', pcap, '--json', '--no-diagnose']);
  assert.equal(json.code, 0, json.stderr);
  const dialogs = json.stdout.trim().split('\n').map((l) => JSON.parse(l) as { type: string; findings?: unknown[] }).filter((l) => l.type === 'dialog');
  assert.deepEqual(dialogs.map((d) => d.findings), [[], []]);
  const report = await runCli(['-N', '-I', pcap, '--report', '--no-diagnose']);
  assert.equal(report.code, 0, report.stderr);
  assert.match(report.stdout, /^Dialogs: 2\n\nFindings: none\n\nResponses:\n {2}code {2}dialogs\n {2}100 {9}1\n/);
});
