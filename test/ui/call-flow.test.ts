import { test } from 'node:test';
import assert from 'node:assert/strict';
import { linkedDialogs } from '../../src/ui/screens/call-flow.js';

test('the extended flow follows X-Call-ID links transitively', () => {
  const links: Record<number, number[]> = { 1: [5], 5: [1, 9], 9: [5], 3: [] };
  assert.deepEqual(linkedDialogs([9], (d) => links[d] ?? []), [1, 5, 9]);
  assert.deepEqual(linkedDialogs([3], (d) => links[d] ?? []), [3]);
});
