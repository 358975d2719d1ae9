import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Store } from '../../src/store/store.js';
import { Diagnosis } from '../../src/diagnose/engine.js';
import { compileFilter, isFilterError } from '../../src/store/filter.js';
import { columnById } from '../../src/ui/present/call-columns.js';
import type { DialogId } from '../../src/model/ids.js';
import { ALICE, BOB, basicCall, datagrams, sdp, type Call } from './scenario.js';

const unanswered: Call = {
  callId: 'unanswered@gen',
  msgs: [0, 500, 1500, 3500, 7500, 15500, 31500].map((at) => ({ at, from: ALICE, to: BOB, line: 'INVITE 1', sdp: sdp(ALICE.ip, 4000, '0') })),
};
const busy: Call = {
  callId: 'busy@gen',
  msgs: [
    { at: 0, from: ALICE, to: BOB, line: 'INVITE 1' },
    { at: 100, from: BOB, to: ALICE, line: '486 1 INVITE' },
    { at: 110, from: ALICE, to: BOB, line: 'ACK 1' },
  ],
};

function loaded(): Store {
  const store = new Store();
  const diagnosis = new Diagnosis(store);
  for (const d of datagrams([basicCall('fine@gen'), unanswered, busy])) store.addDatagram(d);
  diagnosis.finish();
  return store;
}

function matching(store: Store, expr: string): string[] {
  const f = compileFilter(expr);
  assert.ok(!isFilterError(f), expr);
  return store.query({ filter: f }).rows(0, 10).map((d) => d.callId);
}

test('filter fields finding= and severity=', () => {
  const store = loaded();
  assert.deepEqual(matching(store, 'finding=no-response'), ['unanswered@gen']);
  assert.deepEqual(matching(store, 'finding no-'), ['unanswered@gen']);
  assert.deepEqual(matching(store, 'severity=error'), ['unanswered@gen']);
  assert.deepEqual(matching(store, 'severity info'), ['busy@gen']);
  assert.deepEqual(matching(store, 'not finding busy and not severity=error'), ['fine@gen']);
  const bad = compileFilter('severity=fatal');
  assert.ok(isFilterError(bad));
  assert.equal(bad.message, "unknown severity 'fatal' (error, warning, info)");
});

test('the Findings column shows the worst code, coloured by its severity; it sorts worst first', () => {
  const store = loaded();
  const column = columnById('findings');
  const d = (n: number) => store.dialog(n as DialogId)!;
  assert.deepEqual([0, 1, 2].map((n) => column.value(d(n))), ['', 'no-response', 'busy']);
  assert.deepEqual([0, 1, 2].map((n) => column.style?.(d(n))), [undefined, 'findingError', 'findingInfo']);
  assert.deepEqual(store.query({ sort: { key: 'findings', descending: false } }).rows(0, 3).map((x) => x.callId),
    ['unanswered@gen', 'busy@gen', 'fine@gen']);
});
