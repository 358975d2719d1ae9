import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatTable, median, missedTargets, quantile, ratio, targetsTable } from './bench.js';

test('median of odd and even counts', () => {
  assert.equal(median([3, 1, 2]), 2);
  assert.equal(median([4, 1, 3, 2]), 2.5);
});

test('tables align columns', () => {
  assert.deepEqual(formatTable([['a', 'bb'], ['ccc', 'd']]), ['a    bb', 'ccc  d']);
});

test('nearest-rank quantiles', () => {
  const values = Array.from({ length: 100 }, (_, i) => 100 - i);
  assert.equal(quantile(values, 0.95), 95);
  assert.equal(quantile(values, 0.5), 50);
  assert.equal(quantile([7], 0.95), 7);
});

test('ratios to sngrep, and a failed target is named with its figure, sngrep\'s and the limit', () => {
  assert.equal(ratio(3, 12), '0.25×');
  assert.equal(ratio(3, undefined), '');
  const results = [
    { name: 'load time vs sngrep', figure: '6.00 s', sngrep: '20.00 s', ratio: '0.30×', limit: '<= 0.15× sngrep', pass: false },
    { name: 'first rows', figure: '0.20 s', sngrep: '', ratio: '', limit: '<= 0.50 s', pass: true },
    { name: 'RSS per dialog', figure: '2.1 KiB', sngrep: '', ratio: '', limit: '(stated)', pass: null },
  ];
  assert.deepEqual(missedTargets(results), ['missed: load time vs sngrep: 6.00 s (0.30× sngrep\'s 20.00 s), limit <= 0.15× sngrep']);
  const table = targetsTable(results);
  assert.match(table[1]!, /^load time vs sngrep +6\.00 s +20\.00 s +0\.30× +<= 0\.15× sngrep +FAIL$/);
  assert.match(table[2]!, /^first rows +0\.20 s +- +- +<= 0\.50 s +PASS$/);
  assert.match(table[3]!, /stated$/);
});
