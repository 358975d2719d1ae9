import { test } from 'node:test';
import assert from 'node:assert/strict';
import { benchKeyToFrame } from './bench-keys.js';

test('with a million dialogs every key is answered by a frame quickly', async () => {
  // The real target (≤ 20 ms median on 2 cores) is measured by `npm run bench`; this bound only catches O(n) work per key.
  for (const r of await benchKeyToFrame(1_000_000, 5)) assert.ok(r.medianMs < 100, `${r.key}: ${r.medianMs.toFixed(1)} ms`);
});
