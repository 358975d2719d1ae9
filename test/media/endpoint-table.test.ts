import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EndpointTable } from '../../src/media/endpoint-table.js';

test('endpoint table: sets, replaces and deletes as a Map keyed by address and port would, through growth and backward shifts', () => {
  // Entries are numbers whose keys the owner keeps: here one entry per set().
  const keys: { address: string; port: number }[] = [];
  const table = new EndpointTable((n) => keys[n]!.address, (n) => keys[n]!.port);
  const ref = new Map<string, number>();
  let seed = 1;
  const rnd = (n: number) => {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    return seed % n;
  };
  const check = () => {
    assert.equal(table.size, ref.size);
    for (const e of ref.values()) assert.equal(table.get(keys[e]!.address, keys[e]!.port), e);
  };
  for (let i = 0; i < 60000; i++) {
    const address = `10.0.${rnd(30)}.${rnd(30)}`;
    const port = rnd(2000);
    if (rnd(3) < 2) {
      const e = keys.push({ address, port }) - 1;
      table.set(e);
      ref.set(`${address}|${port}`, e);
    } else {
      table.delete(address, port);
      ref.delete(`${address}|${port}`);
      assert.equal(table.get(address, port), -1);
    }
    if (i % 4999 === 0) check();
  }
  check();
});
