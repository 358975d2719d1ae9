import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PayloadSpool } from '../../src/store/payload-spool.js';

test('spool returns what was appended, across blocks and for big payloads', () => {
  const spool = new PayloadSpool();
  const items: [number, Buffer][] = [];
  for (let i = 0; i < 20; i++) {
    const b = Buffer.alloc(i === 7 ? 3_000_000 : 700_000, i);
    items.push([spool.append(b), b]);
  }
  for (const [offset, b] of items) assert.deepEqual(spool.read(offset, b.length), b);
  assert.ok(spool.size >= 16_000_000);
});
