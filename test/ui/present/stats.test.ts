import { test } from 'node:test';
import assert from 'node:assert/strict';
import { captureStats, emptyStats } from '../../../src/store/capture-stats.js';
import { statsLines } from '../../../src/ui/present/stats.js';
import { lineWidth } from '../../../src/layout/text-width.js';
import { aliasOf } from '../../../src/layout/alias.js';
import { FakeStore } from '../fake-store.js';

const text = (l: { text: string }[]): string => l.map((s) => s.text).join('').trimEnd();

test('captureStats counts the held dialogs, the calls by state and the messages by method and response class', () => {
  // Eight calls of INVITE 100 180 200 ACK BYE 200, one in each state ('' is no call).
  const s = captureStats(new FakeStore(8));
  assert.equal(s.dialogs, 8);
  assert.equal(s.calls, 7);
  assert.deepEqual(Object.values(s.states), [1, 1, 1, 1, 1, 1, 1]);
  assert.equal(s.messages, 56);
  assert.equal(s.methods.INVITE, 8);
  assert.equal(s.methods.ACK, 8);
  assert.equal(s.methods.BYE, 8);
  assert.equal(s.methods.REGISTER, 0);
  assert.deepEqual(s.responses, [0, 16, 16, 0, 0, 0, 0]);
});

test('statsLines: sngrep\'s box, totals beside the states, then methods beside the response classes, with shares', () => {
  const lines = statsLines(captureStats(new FakeStore(8)), 68, false).map(text);
  // The right column starts half way.
  const row = (left: string, right: string): string => left.padEnd(34) + right;
  assert.equal(lines[0], row('Dialogs:  8', 'COMPLETED:  1 (14.3%)'));
  assert.equal(lines[1], row('Calls:    7 (87.5%)', 'CANCELLED:  1 (14.3%)'));
  assert.equal(lines[2], row('Messages: 56', 'IN CALL:    1 (14.3%)'));
  assert.equal(lines[6], row('', 'CALL SETUP: 1 (14.3%)'));
  assert.match(lines[7]!, /^─{68}$/);
  assert.equal(lines[8], row('INVITE:    8 (14.3%)', '1XX: 16 (28.6%)'));
  assert.ok(lines.includes('ACK:       8 (14.3%)'));
  // PRACK, REFER and other methods show only when they occur; sngrep's own list always does.
  assert.ok(!lines.some((l) => /PRACK|REFER|Other/.test(l)));
  assert.equal(lines.length, 8 + 12);
  // Narrow: one list after the other, never wider than asked.
  const narrow = statsLines(captureStats(new FakeStore(8)), 30, true);
  for (const l of narrow) assert.ok(lineWidth(l, true) <= 30);
  assert.ok(narrow.map(text).includes('COMPLETED:  1 (14.3%)'));
  assert.deepEqual(statsLines(emptyStats(), 68, false).map(text), ['No information to display']);
});

test('aliasOf: an ip:port alias first, then the ip\'s with the port kept; nothing when no alias applies', () => {
  const aliases = new Map([['10.0.0.1', 'pbx'], ['10.0.0.2:5080', 'gw'], ['2001:db8::1', 'v6']]);
  assert.equal(aliasOf('10.0.0.1:5060', aliases), 'pbx:5060');
  assert.equal(aliasOf('10.0.0.2:5080', aliases), 'gw');
  assert.equal(aliasOf('10.0.0.2:5060', aliases), undefined);
  assert.equal(aliasOf('[2001:db8::1]:5060', aliases), 'v6:5060');
  assert.equal(aliasOf('10.0.0.1:5060', undefined), undefined);
});
