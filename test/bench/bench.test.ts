import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatTable, median } from './bench.js';

test('median of odd and even counts', () => {
  assert.equal(median([3, 1, 2]), 2);
  assert.equal(median([4, 1, 3, 2]), 2.5);
});

test('tables align columns', () => {
  assert.deepEqual(formatTable([['a', 'bb'], ['ccc', 'd']]), ['a    bb', 'ccc  d']);
});
