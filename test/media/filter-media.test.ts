// The media fields of the filter language over real captures: codec, streams, mos, loss, jitter.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compileFilter, filterDialogs, isFilterError } from '../../src/store/filter.js';
import { parseFilter } from '../../src/store/filter-parse.js';
import type { Store } from '../../src/store/store.js';
import { loadCapture, sharedPcap } from './support.js';

function callIds(store: Store, expr: string): string[] {
  const f = compileFilter(expr);
  if (isFilterError(f)) throw new Error(`${expr}: ${f.message}`);
  return [...filterDialogs(store, f)].map((id) => store.dialog(id as never)!.callId);
}

test('codec=, codec, streams=N', async () => {
  const { store } = await loadCapture(sharedPcap('sipnab/sip-rtp-g711.pcap'));
  assert.deepEqual(callIds(store, 'codec=PCMA'), ['1-1968@10.0.2.20']);
  assert.deepEqual(callIds(store, 'codec pcm'), ['1-1966@10.0.2.20', '1-1968@10.0.2.20']);
  assert.deepEqual(callIds(store, 'codec=pcmu'), ['1-1966@10.0.2.20'], 'any case');
  assert.deepEqual(callIds(store, 'streams=1'), ['1-1966@10.0.2.20', '1-1968@10.0.2.20']);
  assert.equal(callIds(store, 'streams=0').length, store.dialogCount() - 2);
  assert.deepEqual(callIds(store, 'streams >= 1 and not codec=PCMA'), ['1-1966@10.0.2.20']);
});

test('mos<, loss>, jitter> read the worst stream of the dialog', async () => {
  const { store } = await loadCapture(sharedPcap('sipnab/Asterisk_ZFONE_XLITE.pcap'));
  // One stream lost 369 of 574 (64 %): the call is unusable.
  const bad = callIds(store, 'loss>50');
  assert.equal(bad.length, 1);
  assert.deepEqual(callIds(store, 'mos<3.5'), bad);
  assert.deepEqual(callIds(store, 'mos < 2 and loss > 2'), bad);
  assert.deepEqual(callIds(store, 'loss>70'), []);
  assert.deepEqual(callIds(store, 'jitter>6'), bad, 'max jitter 6.8 ms on the other stream of the call');
  assert.deepEqual(callIds(store, 'jitter>30'), []);
  assert.ok(!callIds(store, 'mos>=1').some((c) => !bad.includes(c)), 'dialogs without streams have no MOS');
});

test('comparisons that do not parse say where', () => {
  assert.deepEqual(parseFilter('mos<abc'), { message: "'abc' is not a number", position: 0 });
  assert.deepEqual(parseFilter('codec=PCMA and loss'), { message: "comparison expected after 'loss' (loss<N, loss>N, loss=N)", position: 19 });
  assert.deepEqual(parseFilter('jitter >'), { message: "number expected after 'jitter>'", position: 8 });
  assert.deepEqual(parseFilter('streams = 0'), { kind: 'compare', field: 'streams', op: '=', value: 0, position: 0 });
});
