import { held } from '../support/ids.js';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { filterDialogs, compileFilter, isFilterError } from '../../src/store/filter.js';
import { sortDialogs, SORT_KEYS } from '../../src/store/sort.js';
import { loadCapture } from './filter-captures.js';
import { SyntheticStore } from './filter-bench.js';

test('sorts by every column, both ways, stably (wswiki/fax-iz-InLife-G711.cap)', async () => {
  const s = await loadCapture('wswiki/fax-iz-InLife-G711.cap');
  const all = Uint32Array.from({ length: s.dialogCount() }, (_, i) => i);
  for (const key of SORT_KEYS) {
    const up = sortDialogs(s, all, key, false);
    const down = sortDialogs(s, all, key, true);
    assert.deepEqual([...up].sort((a, b) => a - b), [...all], key);
    assert.deepEqual([...down].sort((a, b) => a - b), [...all], key);
  }
  const byMsgs = [...sortDialogs(s, all, 'msgs', false)].map((i) => held(s, i).messages.length);
  assert.deepEqual(byMsgs, [...byMsgs].sort((a, b) => a - b));
  const byMethod = sortDialogs(s, all, 'method', true);
  const methods = [...byMethod].map((i) => held(s, i).method);
  assert.deepEqual(methods, [...methods].sort().reverse());
  // Stable: equal methods keep arrival order, descending too.
  for (let k = 1; k < byMethod.length; k++) {
    if (methods[k] === methods[k - 1]) assert.ok(byMethod[k]! > byMethod[k - 1]!);
  }
  assert.deepEqual([...sortDialogs(s, all, 'index', true)], [...all].reverse());
});

test('sorts a filtered subset and leaves the input alone', async () => {
  const s = await loadCapture('wswiki/fax-iz-InLife-G711.cap');
  const f = compileFilter('method INVITE');
  assert.ok(!isFilterError(f));
  const subset = filterDialogs(s, f);
  const copy = subset.slice();
  const sorted = sortDialogs(s, subset, 'time', true);
  assert.deepEqual(subset, copy);
  const starts = [...sorted].map((i) => held(s, i).start);
  for (let k = 1; k < starts.length; k++) assert.ok(starts[k]! <= starts[k - 1]!);
});

test('few distinct keys (placed by counting) and many (compared) sort alike: by key, then arrival, both ways', () => {
  // 5000 dialogs: more distinct Call-IDs and times than the counting path takes, a handful of states and methods.
  const s = new SyntheticStore(5000);
  const all = Uint32Array.from({ length: 5000 }, (_, i) => i);
  for (const key of ['state', 'method', 'callId', 'time'] as const) {
    for (const descending of [false, true]) {
      const keyOf = (id: number): string | number => (key === 'time' ? Number(held(s, id).start / 1000n) : held(s, id)[key]);
      const expected = [...all].sort((a, b) => {
        const x = keyOf(a), y = keyOf(b);
        return x < y ? (descending ? 1 : -1) : x > y ? (descending ? -1 : 1) : a - b;
      });
      assert.deepEqual([...sortDialogs(s, all, key, descending)], expected, `${key} ${descending ? 'descending' : 'ascending'}`);
    }
  }
});
