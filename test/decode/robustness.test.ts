import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Collector, INVITE, ethTcp, ethUdp, sip } from './packets.js';

/** Deterministic pseudo-random bytes, so a failure reproduces. */
function* random(seed: number): Generator<number> {
  let x = seed;
  for (;;) {
    x = (x * 1103515245 + 12345) >>> 0;
    yield x >>> 16;
  }
}

test('random mutations of valid frames never throw, whatever the link type', () => {
  const rnd = random(42);
  const next = (n: number): number => (rnd.next().value as number) % n;
  const seeds = [ethUdp(sip(INVITE)), ethTcp(1, sip(INVITE))];
  const c = new Collector();
  for (let i = 0; i < 20_000; i++) {
    const frame = Buffer.from(seeds[i % seeds.length]);
    for (let k = next(8); k >= 0; k--) frame[next(frame.length)] = next(256);
    const cut = frame.subarray(0, next(frame.length + 1));
    for (const linktype of [1, 101, 0, 113, 276]) c.push(linktype, cut);
  }
  c.flush();
  assert.ok(c.skipped.size > 0);
});
