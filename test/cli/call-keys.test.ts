import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CallKeys } from '../../src/cli/call-keys.js';

test('Call-ID keys: a new Call-ID takes the key given longest ago; one that comes back keeps its key until then', () => {
  const keys = 8;
  const table = new CallKeys(keys);
  // The numbering as a Map does it: the model the table must follow step by step.
  const model = new Map<string, number>();
  const owner: string[] = [];
  let next = 0;
  let seed = 1;
  for (let step = 0; step < 20000; step++) {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    // Twenty Call-IDs for eight keys: keys are taken back all the time, and the table's freed slots pile up.
    const callId = `call-${seed % 20}@example.com`;
    let want = model.get(callId);
    if (want === undefined) {
      const key = next;
      next = (key + 1) % keys;
      if (key < owner.length) model.delete(owner[key]!);
      owner[key] = callId;
      model.set(callId, key);
      want = -1 - key;
    }
    assert.equal(table.key(callId), want, `step ${step}`);
  }
});
