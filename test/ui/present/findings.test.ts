import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Finding } from '../../../src/model/finding.js';
import type { MessageId } from '../../../src/model/ids.js';
import type { Dialog } from '../../../src/model/sip.js';
import { findingLines, flowFindings } from '../../../src/ui/present/findings.js';
import { lineWidth, wrapWords } from '../../../src/layout/text-width.js';

const text = (l: { text: string }[]): string => l.map((s) => s.text).join('').trimEnd();

const info: Finding = { code: 'nat-mismatch', severity: 'info', text: 'Via sent-by 192.168.1.2 but the next hop received it from 80.230.219.70:5060: the sender is behind NAT' };
const error: Finding = { code: 'forbidden', severity: 'error', text: '403 Wrong password to INVITE', message: 7 as MessageId };
const warning: Finding = { code: 'unavailable', severity: 'warning', text: '480 Error to INVITE', message: 9 as MessageId };

test('flowFindings: the findings of every dialog on the ladder, worst first, in the rules\' order within a severity', () => {
  const dialogs = [{ findings: [info, warning] }, { findings: undefined }, { findings: [error] }] as unknown as Dialog[];
  assert.deepEqual(flowFindings(dialogs).map((f) => f.code), ['forbidden', 'unavailable', 'nat-mismatch']);
  assert.deepEqual(flowFindings([]), []);
});

test('findingLines: one line per finding cut to the width; the one under the cursor wraps at words under its code', () => {
  const list = [error, warning, info];
  const { lines, first } = findingLines(list, 60, 2, false);
  assert.deepEqual(first, [0, 1, 2]);
  assert.deepEqual(lines.map(text), [
    'error   forbidden     403 Wrong password to INVITE',
    'warning unavailable   480 Error to INVITE',
    'info    nat-mismatch  Via sent-by 192.168.1.2 but the next',
    '                      hop received it from',
    '                      80.230.219.70:5060: the sender is',
    '                      behind NAT',
  ]);
  assert.equal(lines[0]![0]!.style, 'findingError');
  assert.equal(lines[2]![0]!.style, 'findingInfo');
  const narrow = findingLines(list, 40, 0, true);
  for (const l of narrow.lines) assert.ok(lineWidth(l, true) <= 40);
  assert.equal(narrow.first[2], 3, 'the chosen finding took two lines');
  assert.equal(text(narrow.lines.at(-1)!), 'info    nat-mismatch  Via sent-by 192.1~');
});

test('wrapWords breaks at spaces and cuts only a word longer than the line', () => {
  assert.deepEqual(wrapWords('INVITE to 8969669 sent 7 times', 12), ['INVITE to', '8969669 sent', '7 times']);
  assert.deepEqual(wrapWords('abcdefghij k', 4), ['abcd', 'efgh', 'ij k']);
  assert.deepEqual(wrapWords('', 5), ['']);
});
