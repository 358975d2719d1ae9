import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { DialogId } from '../../../src/model/ids.js';
import { triage } from '../../../src/diagnose/triage.js';
import { triageLines } from '../../../src/ui/present/triage.js';
import { lineWidth } from '../../../src/layout/text-width.js';

const text = (l: { text: string }[]): string => l.map((s) => s.text).join('').trimEnd();

test('triageLines: a row per finding code and per response code with its dialogs, share and the filter Enter applies', () => {
  const findings = new Map([[0, [{ code: 'busy', severity: 'info' as const, text: '' }]], [1, [{ code: 'no-ack', severity: 'error' as const, text: '' }]]]);
  const responses = new Map([[0, [100, 486]], [1, [100, 200]], [2, [100, 200]], [3, [200]]]);
  const t = triage([0, 1, 2, 3] as DialogId[], { findings: (id) => findings.get(id) ?? [], responseCodes: (id) => responses.get(id) ?? [] });
  const { lines, entries } = triageLines(t, 100, true);
  assert.deepEqual(lines.map(text), [
    'Findings                  dialogs  share            meaning',
    `  error   no-ack                1  ###          25%  ${t.findings[0]!.description}`,
    `  info    busy                  1  ###          25%  ${t.findings[1]!.description}`,
    '',
    'Response codes            dialogs  share',
    '          100                   3  ########     75%',
    '          200                   3  ########     75%',
    '          486                   1  ###          25%',
  ].map((l) => (l.length > 100 ? l.slice(0, 99) + '~' : l)));
  assert.deepEqual(entries, [
    { line: 1, filter: 'finding=no-ack' }, { line: 2, filter: 'finding=busy' },
    { line: 5, filter: 'response=100' }, { line: 6, filter: 'response=200' }, { line: 7, filter: 'response=486' },
  ]);
  assert.equal(lines[7]![0]!.style, 'response4xx');
  for (const l of triageLines(t, 60, false).lines) assert.ok(lineWidth(l) <= 60);
});

test('triageLines of an empty capture says so in both sections', () => {
  const { lines, entries } = triageLines({ dialogs: 0, findings: [], responses: [] }, 80, false);
  assert.deepEqual(lines.map(text).filter((l) => l.includes('none')), ['  none so far', '  none so far']);
  assert.deepEqual(entries, []);
});

test('triageLines ends with the capture\'s skip reasons, most first, none when nothing was skipped', () => {
  const t = { dialogs: 0, findings: [], responses: [] };
  const { lines, entries } = triageLines(t, 80, false, { 't38-length': 2, 'not-sip': 5, 'udptl-short': 0 });
  assert.deepEqual(lines.slice(-3).map(text), [
    'Skipped (packets or parts of them, by reason)',
    '  not-sip                       5',
    '  t38-length                    2',
  ]);
  assert.deepEqual(entries, [], 'skip reasons are not rows Enter acts on');
  assert.ok(!triageLines(t, 80, false, {}).lines.map(text).some((l) => l.startsWith('Skipped')));
});
