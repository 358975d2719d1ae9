// The list index (sort and filter over the Store's columns) against the dialog-by-dialog path, which reads
// the same keys from the dialog objects: same rows, same order, on every shared capture and on a growing,
// rotating, cleared store.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import type { DialogId } from '../../src/model/ids.js';
import { InputError } from '../../src/model/errors.js';
import { compileFilter, filterDialogs, isFilterError, type DialogFilter, type FilterableStore } from '../../src/store/filter.js';
import { sortDialogs, SORT_KEYS } from '../../src/store/sort.js';
import type { Store } from '../../src/store/store.js';
import { loadCapture } from './filter-captures.js';
import { sharedPcap } from '../support/shared-pcaps.js';
import { addCalls, realStore } from '../bench/real-store.js';
import { radixOrder, Scratch } from '../../src/store/column-sort.js';

/** The store as a stand-in without a list index sees it: every key read from the dialog. */
export function withoutIndex(store: Store): FilterableStore {
  return Object.create(store, { listIndex: { value: undefined } }) as FilterableStore;
}

/** Filters over the fields the list index keeps, alone and mixed with fields it does not. */
export const COLUMN_FILTERS = [
  'method INVITE', 'method=register', 'not method invite', 'state "in call"', 'state completed or state rejected',
  'src 10.', 'dst :5060', 'src=10.0.0.1:5060', 'ua kamailio', 'ua=""', 'method invite and from 1', 'not (ua x or dst 1)',
  'method options or has diversion', 'state busy and streams=0', 'callid a and not src 192.168',
];

function compiled(expr: string): DialogFilter {
  const f = compileFilter(expr);
  if (isFilterError(f)) assert.fail(`${expr}: ${f.message}`);
  return f;
}

/** Every sort key both ways and every filter, through the index and without it. */
export function assertSameAsDialogPath(store: Store, what: string): void {
  const plain = withoutIndex(store);
  const held = Uint32Array.from({ length: store.dialogCount() }, (_, k) => store.firstId + k);
  for (const key of SORT_KEYS) {
    for (const descending of [false, true]) {
      assert.deepEqual(sortDialogs(store, held, key, descending), sortDialogs(plain, held, key, descending), `${what}: sort ${key} ${descending ? 'down' : 'up'}`);
    }
  }
  for (const expr of COLUMN_FILTERS) {
    // Fresh filters: each binds to the first store it meets.
    assert.deepEqual(filterDialogs(store, compiled(expr)), filterDialogs(plain, compiled(expr)), `${what}: filter ${expr}`);
  }
}

test('sort and filter through the list index match the dialog path on every shared capture', async () => {
  const manifest = readFileSync(sharedPcap('MANIFEST.tsv'), 'utf8').split('\n').slice(1).map((l) => l.split('\t')[0]!).filter((p) => p !== '');
  let compared = 0;
  for (const rel of manifest) {
    // A few are formats sipscope refuses (Network Monitor, truncated files): nothing to compare.
    const store = await loadCapture(rel).catch((e: unknown) => (e instanceof InputError ? undefined : Promise.reject(e)));
    if (store === undefined) continue;
    assertSameAsDialogPath(store, rel);
    compared++;
  }
  assert.ok(compared > 60, `${compared} captures compared`);
});

test('a subset with gone dialogs sorts like the dialog path, gone ones first up and last down', async () => {
  const s = realStore(3000);
  const ids = Uint32Array.from([5, 2999, 3000, 17, 4000, 17, 0, 1500]);
  for (const key of ['method', 'src', 'state', 'msgs', 'time'] as const) {
    for (const descending of [false, true]) {
      assert.deepEqual(sortDialogs(s, ids, key, descending), sortDialogs(withoutIndex(s), ids, key, descending), `${key} ${descending}`);
    }
  }
  assert.equal(filterDialogs(s, compiled('method invite'), 2990, 3010).length, 10);
});

test('the index follows a store that grows, rotates and is cleared', async () => {
  // -l 100 -R with 5000 dialogs: rotation compacts the columns with the dialogs (every 1024 drops).
  const rotating = realStore(5000, { limit: 100, rotate: true });
  assert.equal(rotating.firstId, 4900);
  assertSameAsDialogPath(rotating, 'rotating');
  const big = realStore(5000);
  assertSameAsDialogPath(big, 'realStore(5000)');
  big.clear();
  assert.equal(big.dialogCount(), 0);
  assertSameAsDialogPath(big, 'cleared');
  const f = compiled('method invite');
  assert.equal(f.test(big, 0 as DialogId), false);
});

test('orders kept between sorts follow new, rotated and cleared dialogs', () => {
  const s = realStore(2000, { limit: 3000, rotate: true });
  assertSameAsDialogPath(s, '2000');
  addCalls(s, 2000, 2500);
  assertSameAsDialogPath(s, '2500');
  // 1500 more: 1000 of the oldest leave.
  addCalls(s, 2500, 4000);
  assert.equal(s.firstId, 1000);
  assertSameAsDialogPath(s, '4000, rotated');
  s.clear();
  addCalls(s, 4000, 4100);
  assertSameAsDialogPath(s, 'cleared, then 100 more');
});

test('radix placement over 1 to 4 digit passes is a stable sort of 64-bit keys', () => {
  // Pseudo-random keys below 2^16, 2^32 and 2^48, with repeats, against a stable comparison sort.
  let seed = 7;
  const next = (): number => (seed = (seed * 1103515245 + 12345) % 2147483648);
  for (const [loBits, hiBits] of [[12, 0], [31, 0], [32, 12], [32, 20]] as const) {
    const n = 5000;
    const lo = new Uint32Array(n), hi = new Uint32Array(n);
    const ids = Uint32Array.from({ length: n }, (_, k) => 10 * k);
    for (let k = 0; k < n; k++) {
      lo[k] = (next() % 64) * 2 ** (loBits - 6) + (k % 3);
      hi[k] = hiBits === 0 ? 0 : next() % 2 ** hiBits;
    }
    const key = (k: number): number => hi[k]! * 2 ** 32 + lo[k]!;
    const expected = [...ids.keys()].sort((a, b) => key(a) - key(b) || a - b).map((k) => ids[k]!);
    const got = radixOrder(ids, n, lo.slice(), Math.max(...lo), hi.slice(), Math.max(...hi), new Scratch());
    assert.deepEqual([...got], expected, `${loBits}+${hiBits} bits`);
  }
});
