import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { DialogId } from '../../src/model/ids.js';
import { dialogId } from '../support/ids.js';
import { linkedDialogs } from '../../src/ui/screens/call-flow.js';

test('the extended flow follows X-Call-ID links transitively', () => {
  const links: Record<number, number[]> = { 1: [5], 5: [1, 9], 9: [5], 3: [] };
  const related = (d: DialogId): DialogId[] => (links[d] ?? []).map(dialogId);
  assert.deepEqual(linkedDialogs([dialogId(9)], related), [1, 5, 9]);
  assert.deepEqual(linkedDialogs([dialogId(3)], related), [3]);
});
