import { test } from 'node:test';
import assert from 'node:assert/strict';
import { KeyedIds, KeyMemo, MAX_TEXT_KEY, StringTable } from '../../src/store/string-table.js';

test('a key memo answers only for the key with the text it was given', () => {
  const memo = new KeyMemo();
  assert.equal(memo.get(3, 'a'), -1);
  memo.set(3, 'a', 7);
  assert.equal(memo.get(3, 'a'), 7);
  assert.equal(memo.get(3, 'b'), -1, 'the key now names another text');
  assert.equal(memo.get(2, 'a'), -1);
  memo.set(-1, 'a', 1);
  memo.set(MAX_TEXT_KEY, 'a', 1);
  assert.equal(memo.get(-1, 'a'), -1, 'no key: nothing remembered');
  memo.set(5000, 'z', 9);
  assert.equal(memo.get(5000, 'z'), 9, 'grows');
  assert.equal(memo.get(3, 'a'), 7, 'keeps what it had');
});

test('keyed ids are the table ids, whatever a key named before', () => {
  const table = new StringTable();
  const ids = new KeyedIds(table);
  const a = ids.id(0, 'alpha');
  assert.equal(a, table.id('alpha'));
  assert.equal(ids.id(0, 'alpha'), a);
  // The numbering started again: key 0 is another text now.
  const b = ids.id(0, 'beta');
  assert.equal(b, table.id('beta'));
  assert.notEqual(a, b);
  assert.equal(ids.id(1, 'alpha'), a);
  assert.equal(ids.id(-1, 'gamma'), table.id('gamma'));
  const limited = new KeyedIds(new StringTable(), 1);
  assert.equal(limited.id(0, 'one'), 0);
  assert.equal(limited.id(1, 'two'), -1, 'the table is full');
  assert.equal(limited.id(0, 'one'), 0);
});
