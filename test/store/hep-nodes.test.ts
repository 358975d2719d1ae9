// Traffic from several HEP agents in one store: the same dialog seen by two nodes is one dialog
// with messages from both; identical copies of one packet are kept once; the node column and
// the node filter field tell the agents apart.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Datagram } from '../../src/model/datagram.js';
import type { DialogId } from '../../src/model/ids.js';
import { Store } from '../../src/store/store.js';
import { compileFilter, filterDialogs, isFilterError } from '../../src/store/filter.js';
import { columnById } from '../../src/layout/call-columns.js';
import { invite, request, response } from '../sip/fixtures.js';
import { held } from '../support/ids.js';

const T0 = 1_700_000_000_000_000_000n;
function dg(payload: Buffer, node: string | undefined, ms: number, over: Partial<Datagram> = {}): Datagram {
  return {
    frame: 1, ts: T0 + BigInt(ms) * 1_000_000n, src: '10.0.0.1', sport: 5060, dst: '10.0.0.2', dport: 5060,
    transport: 'UDP', payload, fileOffset: -1, viaHep: node !== undefined, node, ...over,
  };
}

test('a proxy and a B2BUA see one call: one dialog, both nodes, identical copies once, retransmissions kept', () => {
  const store = new Store();
  const inv = invite('two-nodes@h');
  const ringing = response('180 Ringing', 'two-nodes@h');
  store.addDatagram(dg(inv, 'proxy', 0));
  store.addDatagram(dg(inv, 'b2bua', 3)); // the same packet, captured on the other box
  store.addDatagram(dg(inv, 'proxy', 500)); // a retransmission on the proxy…
  store.addDatagram(dg(inv, 'b2bua', 502)); // …and its copy on the B2BUA
  store.addDatagram(dg(ringing, 'b2bua', 600, { src: '10.0.0.2', dst: '10.0.0.1' }));
  store.addDatagram(dg(request('ACK', 'two-nodes@h', 314159), 'proxy', 700));
  assert.equal(store.dialogCount(), 1);
  const d = held(store, 0);
  assert.equal(d.messages.length, 4);
  assert.deepEqual(d.nodes, ['proxy', 'b2bua']);
  assert.equal(store.stats().skipped['sip-hep-duplicate'], 2);
  assert.deepEqual(d.messages.map((m) => store.message(m).node), ['proxy', 'proxy', 'b2bua', 'proxy']);
  assert.equal(columnById('node').value(d, {}), 'proxy,b2bua');
});

test('a local capture and its HEP copy are one message (as before); copies more than 2 s apart are not', () => {
  const store = new Store();
  const inv = invite('local@h');
  store.addDatagram(dg(inv, undefined, 0, { viaHep: false }));
  store.addDatagram(dg(inv, '2002', 10));
  store.addDatagram(dg(inv, '2002', 5000));
  const d = held(store, 0);
  assert.equal(d.messages.length, 2);
  assert.deepEqual(d.nodes, ['2002']);
  assert.equal(store.message(d.messages[0]!).node, '');
});

test('node filter: contains, or = for one whole node name', () => {
  const store = new Store();
  store.addDatagram(dg(invite('a@h'), 'sbc-1', 0));
  store.addDatagram(dg(invite('b@h'), 'sbc-12', 0));
  store.addDatagram(dg(invite('c@h'), undefined, 0, { viaHep: false }));
  const pick = (expr: string): string[] => {
    const f = compileFilter(expr);
    assert.ok(!isFilterError(f));
    return [...filterDialogs(store, f)].map((id) => store.dialog(id as DialogId)!.callId);
  };
  assert.deepEqual(pick('node sbc-1'), ['a@h', 'b@h']);
  assert.deepEqual(pick('node=sbc-1'), ['a@h']);
  assert.deepEqual(pick('not node sbc'), ['c@h']);
});
