import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { DialogId } from '../../src/model/ids.js';
import { compileFilter, isFilterError, type DialogFilter } from '../../src/store/filter.js';
import { DialogQuery, RESORT_MS, type DialogWindow } from '../../src/store/query.js';
import { Store } from '../../src/store/store.js';
import { dialogId } from '../support/ids.js';
import { FakeStore } from '../ui/fake-store.js';

function filter(expr: string): DialogFilter {
  const f = compileFilter(expr);
  assert.ok(!isFilterError(f), expr);
  return f;
}

function shown(w: DialogWindow): number[] {
  return Array.from({ length: w.count }, (_, r) => w.idAt(r));
}

test('without a filter row r is the r-th dialog held; a filter keeps the matching ids and follows a growing store', () => {
  const store = new FakeStore(20_000);
  const w = store.query();
  assert.equal(w.count, 20_000);
  assert.equal(w.idAt(12_345), 12_345);
  assert.equal(w.rowOf(dialogId(12_345)), 12_345);
  assert.equal(w.filtered, false);
  w.setFilter(filter('srcnum=1017'));
  assert.deepEqual(shown(w), [17, 9017, 18017]);
  assert.equal(w.rowOf(dialogId(9017)), 1);
  assert.equal(w.rowOf(dialogId(9018)), -1);
  assert.equal(w.filtered, true);
  const version = w.version;
  store.grow(10_000);
  assert.deepEqual(shown(w), [17, 9017, 18017, 27017]);
  assert.ok(w.version > version, 'the window version moves with its rows');
  w.setFilter(filter(''));
  assert.equal(w.count, 30_000);
  assert.deepEqual(w.rows(29_998, 5).map((d) => d.id), [29_998, 29_999]);
});

test('sorting by a column, both ways; arrival order reversed costs nothing; rowOf inverts idAt', () => {
  const store = new FakeStore(30);
  const w = store.query({ sort: { key: 'index', descending: true } });
  assert.deepEqual(shown(w).slice(0, 3), [29, 28, 27]);
  assert.equal(w.rowOf(dialogId(29)), 0);
  w.setSort({ key: 'state', descending: false });
  const states = w.rows(0, 30).map((d) => d.state);
  assert.deepEqual(states, [...states].sort());
  for (let r = 0; r < 30; r++) assert.equal(w.rowOf(w.idAt(r)), r);
  w.setSort({ key: 'state', descending: true });
  assert.deepEqual(w.rows(0, 30).map((d) => d.state), [...states].reverse());
  for (let r = 0; r < 30; r++) assert.equal(w.rowOf(w.idAt(r)), r);
});

test('a growing sorted window re-sorts at most every RESORT_MS; rows that arrived meanwhile wait at the end', () => {
  const store = new FakeStore(10);
  let now = 1000;
  const w = new DialogQuery(store, { sort: { key: 'to', descending: true }, clock: () => now });
  assert.equal(w.count, 10);
  store.grow(5);
  now = 1100;
  assert.equal(w.resortPending, true, 'deferred');
  assert.deepEqual(Array.from({ length: 5 }, (_, k) => w.idAt(10 + k)), [10, 11, 12, 13, 14]);
  now = 1000 + RESORT_MS;
  assert.equal(w.resortPending, false);
  const tos = w.rows(0, 15).map((d) => d.toUser);
  assert.deepEqual(tos, [...tos].sort().reverse());
});

test('F9 keeps only the matching dialogs held now, whatever the filter becomes; new ones still show; F5 forgets it', () => {
  const store = new FakeStore(100);
  const w = store.query({ filter: filter('state completed') });
  w.keepMatching();
  w.setFilter(undefined);
  const kept = w.rows(0, w.count);
  assert.ok(kept.length > 0 && kept.every((d) => d.state === 'COMPLETED'));
  assert.equal(w.filtered, true);
  store.grow(3);
  assert.deepEqual(shown(w).slice(-3), [100, 101, 102]);
  store.clear();
  store.grow(4);
  assert.deepEqual(shown(w), [103, 104, 105, 106]);
  assert.equal(w.filtered, false);
});

test('p pauses the window at the dialogs there are; resuming shows the rest', () => {
  const store = new FakeStore(5);
  const w = store.query();
  w.pause(true);
  store.grow(5);
  assert.equal(w.count, 5);
  w.pause(false);
  assert.equal(w.count, 10);
});

test('rotation drops the ids that left; the rest keep their ids, and a dropped id has no row', () => {
  const store = new Store({ limit: 3, rotate: true });
  const w = store.query({ filter: filter('callid c') });
  const invite = (callId: string): Buffer => Buffer.from(
    `INVITE sip:b@h SIP/2.0\r\nCall-ID: ${callId}\r\nCSeq: 1 INVITE\r\nFrom: <sip:a@h>;tag=1\r\nTo: <sip:b@h>\r\nContent-Length: 0\r\n\r\n`);
  const add = (callId: string): void => store.addDatagram({
    frame: 1, ts: 1n, src: '10.0.0.1', sport: 5060, dst: '10.0.0.2', dport: 5060, transport: 'UDP', payload: invite(callId), fileOffset: -1,
  });
  for (const callId of ['c0', 'x1', 'c2']) add(callId);
  assert.deepEqual(shown(w), [0, 2]);
  add('c3');
  add('x4');
  assert.deepEqual(shown(w), [2, 3]);
  assert.equal(w.rowOf(0 as DialogId), -1);
  assert.equal(store.dialog(dialogId(0)), undefined);
  assert.equal(w.rows(0, 5)[1]?.callId, 'c3');
});

test('sorting back to a key sorted before over the same rows reads no dialog; new rows or another filter sort again', () => {
  const store = new FakeStore(50);
  let reads = 0;
  const dialog = store.dialog.bind(store);
  store.dialog = (id) => {
    reads++;
    return dialog(id);
  };
  const w = new DialogQuery(store, { sort: { key: 'to', descending: false }, clock: () => 0 });
  const byTo = shown(w);
  w.setSort({ key: 'state', descending: false });
  const byState = shown(w);
  w.setSort({ key: 'index', descending: false });
  assert.equal(w.count, 50);
  reads = 0;
  w.setSort({ key: 'to', descending: false });
  assert.deepEqual(shown(w), byTo);
  w.setSort({ key: 'state', descending: true });
  assert.deepEqual(shown(w), [...byState].reverse());
  assert.equal(reads, 0, 'the kept orders are the answer');
  store.grow(10);
  w.setSort({ key: 'to', descending: false });
  assert.equal(w.count, 60);
  assert.ok(reads > 0, 'new rows: sorted again');
  const tos = w.rows(0, 60).map((d) => d.toUser);
  assert.deepEqual(tos, [...tos].sort());
  w.setFilter(filter('state completed'));
  w.setSort({ key: 'state', descending: false });
  assert.deepEqual(w.rows(0, 60).map((d) => d.state), Array.from({ length: w.count }, () => 'COMPLETED'));
  assert.ok(w.count > 0 && w.count < 60);
});
