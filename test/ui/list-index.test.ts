import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compileFilter, isFilterError, type DialogFilter } from '../../src/store/filter.js';
import { ListIndex } from '../../src/ui/widgets/list-index.js';
import { FakeStore } from './fake-store.js';

function filter(expr: string): DialogFilter {
  const f = compileFilter(expr);
  assert.ok(!isFilterError(f), expr);
  return f;
}

function shown(index: ListIndex, store: FakeStore): number[] {
  const total = store.dialogCount();
  index.update(store, total, 0);
  return Array.from({ length: index.count(total) }, (_, r) => index.at(r, total));
}

test('without a filter row r is position r; a filter keeps the matching positions and follows a growing store', () => {
  const store = new FakeStore(20_000);
  const index = new ListIndex();
  assert.equal(index.update(store, 20_000, 0), false);
  assert.equal(index.count(20_000), 20_000);
  assert.equal(index.at(12_345, 20_000), 12_345);
  assert.equal(index.filtered, false);
  index.setFilter(filter('srcnum=1017'));
  assert.deepEqual(shown(index, store), [17, 9017, 18017]);
  assert.equal(index.filtered, true);
  store.grow(10_000);
  assert.deepEqual(shown(index, store), [17, 9017, 18017, 27017]);
  index.setFilter(filter(''));
  assert.equal(shown(index, store).length, 30_000);
});

test('sorting by a column, both ways; arrival order reversed costs nothing', () => {
  const store = new FakeStore(30);
  const index = new ListIndex();
  index.setSort('index', true);
  assert.deepEqual(shown(index, store).slice(0, 3), [29, 28, 27]);
  index.setSort('state', false);
  const states = shown(index, store).map((i) => store.dialog(i).state);
  assert.deepEqual(states, [...states].sort());
  index.setSort('state', true);
  assert.deepEqual(shown(index, store).map((i) => store.dialog(i).state), [...states].reverse());
});

test('a growing sorted list re-sorts at most every RESORT_MS; rows that arrived meanwhile wait at the end', () => {
  const store = new FakeStore(10);
  const index = new ListIndex();
  index.setSort('to', true);
  index.update(store, 10, 1000);
  store.grow(5);
  assert.equal(index.update(store, 15, 1100), true, 'deferred');
  const total = store.dialogCount();
  assert.deepEqual(Array.from({ length: 5 }, (_, k) => index.at(10 + k, total)), [10, 11, 12, 13, 14]);
  assert.equal(index.update(store, 15, 1600), false);
  const tos = Array.from({ length: 15 }, (_, r) => store.dialog(index.at(r, total)).toUser);
  assert.deepEqual(tos, [...tos].sort().reverse());
});

test('F9 keeps only the matching dialogs held now, whatever the filter becomes; new ones still show; F5 forgets it', () => {
  const store = new FakeStore(100);
  const index = new ListIndex();
  index.setFilter(filter('state completed'));
  index.keepMatching(store, 100);
  index.setFilter(undefined);
  const kept = shown(index, store);
  assert.ok(kept.length > 0 && kept.every((i) => store.dialog(i).state === 'COMPLETED'));
  assert.equal(index.filtered, true);
  store.grow(3);
  assert.deepEqual(shown(index, store).slice(-3), [100, 101, 102]);
  store.clear();
  index.reset();
  store.grow(4);
  assert.deepEqual(shown(index, store), [0, 1, 2, 3]);
  assert.equal(index.filtered, false);
});

test('rotation moves every position down and drops the ones that left', () => {
  const store = new FakeStore(50);
  const index = new ListIndex();
  index.setFilter(filter('srcnum 1001 or srcnum 1040'));
  assert.deepEqual(shown(index, store), [1, 40]);
  // Rotation: 10 dialogs arrived and the 10 oldest left, so the count stays 50 and positions 40… are new.
  store.rotated = 10;
  assert.deepEqual(shown(index, store), [30, 40]);
});
