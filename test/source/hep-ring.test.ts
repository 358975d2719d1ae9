import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AGENT_ROOM, newRing, RingReader, RingWriter } from '../../src/source/hep-ring.js';

const datagram = (n: number, size: number): Buffer => Buffer.alloc(size, n & 0xff);

function drainAll(reader: RingReader): { bytes: Buffer[]; agents: string[] } {
  const bytes: Buffer[] = [];
  const agents: string[] = [];
  reader.drain(Infinity, (buf, off, end) => {
    bytes.push(Buffer.from(buf.subarray(off, end)));
    agents.push(reader.agent());
  });
  return { bytes, agents };
}

test('the ring hands datagrams over in order, wrapping around its end, with their agents', () => {
  const ring = newRing(4096);
  const w = new RingWriter(ring);
  const r = new RingReader(ring);
  const sent: Buffer[] = [];
  // Odd sizes, many times round the ring: every record boundary and the wrap marker get exercised.
  for (let k = 0; k < 500; k++) {
    const d = datagram(k, 1 + ((k * 37) % 700));
    assert.equal(w.put(d, k % 2 ? '10.0.0.1' : 'fd00::1').kept, true);
    sent.push(d);
    if (k % 3 === 2) {
      const got = drainAll(r);
      assert.deepEqual(got.bytes, sent.splice(0));
      assert.equal(got.agents.at(-1), k % 2 ? '10.0.0.1' : 'fd00::1');
    }
  }
  assert.deepEqual(drainAll(r).bytes, sent);
  assert.equal(r.dropped(), 0);
});

test('a full ring drops and counts what does not fit, and keeps what it holds', () => {
  const ring = newRing(4 * (8 + AGENT_ROOM + 100));
  const w = new RingWriter(ring);
  const r = new RingReader(ring);
  const kept = Array.from({ length: 6 }, (_, k) => w.put(datagram(k, 100), 'a').kept);
  // One record's room always stays free, so a full ring never looks empty.
  assert.deepEqual(kept, [true, true, true, false, false, false]);
  assert.equal(r.dropped(), 3);
  assert.deepEqual(drainAll(r).bytes, [0, 1, 2].map((k) => datagram(k, 100)));
  assert.equal(w.put(datagram(9, 100), 'a').kept, true);
  assert.deepEqual(drainAll(r).bytes, [datagram(9, 100)]);
});

test('the writer wakes a reader that went to sleep, once', () => {
  const ring = newRing(4096);
  const w = new RingWriter(ring);
  const r = new RingReader(ring);
  assert.equal(w.put(datagram(1, 10), 'a').wake, false, 'a reader that is awake is not woken');
  assert.equal(r.sleep(), false, 'something is waiting: the reader drains instead of sleeping');
  drainAll(r);
  assert.equal(r.sleep(), true);
  assert.equal(w.put(datagram(2, 10), 'a').wake, true);
  assert.equal(w.put(datagram(3, 10), 'a').wake, false);
});
