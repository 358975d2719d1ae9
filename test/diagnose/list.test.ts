import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Store } from '../../src/store/store.js';
import { Diagnosis } from '../../src/diagnose/engine.js';
import { compileFilter, isFilterError } from '../../src/store/filter.js';
import { columnById } from '../../src/layout/call-columns.js';
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

test('filter field response: a status code, or its first digits for a class', () => {
  const store = loaded();
  assert.deepEqual(matching(store, 'response=486'), ['busy@gen']);
  assert.deepEqual(matching(store, 'response 4'), ['busy@gen']);
  assert.deepEqual(matching(store, 'response 48'), ['busy@gen']);
  assert.deepEqual(matching(store, 'response=48'), []);
  assert.deepEqual(matching(store, 'response 2 and not response 4'), ['fine@gen']);
  assert.deepEqual(matching(store, 'not response 1'), ['unanswered@gen', 'busy@gen']);
  const bad = compileFilter('response=ok');
  assert.ok(isFilterError(bad));
  assert.equal(bad.message, "response wants a status code (486) or its first digits (4): 'ok'");
});

test('the Findings column shows the worst code, coloured by its severity; it sorts worst first', () => {
  const store = loaded();
  const column = columnById('findings');
  const d = (n: number) => store.dialog(n as DialogId)!;
  assert.deepEqual([0, 1, 2].map((n) => column.value(d(n), store)), ['', 'no-response', 'busy']);
  assert.deepEqual([0, 1, 2].map((n) => column.style?.(d(n), store)), [undefined, 'findingError', 'findingInfo']);
  assert.deepEqual(store.query({ sort: { key: 'findings', descending: false } }).rows(0, 3).map((x) => x.callId),
    ['unanswered@gen', 'busy@gen', 'fine@gen']);
});

test('a live window re-filters finding= and severity= when findings come later, and state= when a message moves the call', () => {
  const store = new Store();
  const diagnosis = new Diagnosis(store);
  const window = (expr: string) => {
    const f = compileFilter(expr);
    assert.ok(!isFilterError(f), expr);
    return store.query({ filter: f, sort: { key: 'findings', descending: false } });
  };
  const noResponse = window('finding=no-response');
  const errors = window('severity=error');
  const none = window('not finding no-response');
  const inCall = window('state "call setup"');
  const ids = (w: ReturnType<typeof window>) => w.rows(0, 10).map((d) => d.callId);
  const all = datagrams([basicCall('fine@gen'), unanswered, busy]);
  store.addDatagram(all[0]!);
  assert.deepEqual(ids(inCall), [store.dialog(0 as DialogId)!.callId], 'the first INVITE sets a call up');
  for (const d of all.slice(1)) store.addDatagram(d);
  // Every message is in, the rules have not looked yet: no findings.
  assert.deepEqual(ids(noResponse), []);
  assert.deepEqual(ids(errors), []);
  assert.deepEqual(ids(none).sort(), ['busy@gen', 'fine@gen', 'unanswered@gen']);
  assert.deepEqual(ids(inCall), ['unanswered@gen'], 'the answered calls left CALL SETUP');
  const version = noResponse.version;
  // The rules look (as the TUI's timer has them do): the unanswered INVITE is no-response, and the windows follow.
  diagnosis.runPending();
  assert.deepEqual(ids(noResponse), ['unanswered@gen']);
  assert.deepEqual(ids(errors), ['unanswered@gen']);
  assert.deepEqual(ids(none).sort(), ['busy@gen', 'fine@gen']);
  assert.ok(noResponse.version > version, 'the window version moves when a row joins');
  assert.equal(noResponse.rowOf(1 as DialogId), 0);
  store.setFindings(1 as DialogId, []);
  assert.deepEqual(ids(noResponse), []);
  assert.deepEqual(ids(none).sort(), ['busy@gen', 'fine@gen', 'unanswered@gen']);
});
