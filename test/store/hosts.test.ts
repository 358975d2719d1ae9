// From/To hosts are visible: in the dialog, in JSON, in the From URI / To URI columns, in the sort,
// and the `from`/`to` filter fields (and so the From/To filter form) match them.
import { held } from '../support/ids.js';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { DialogId } from '../../src/model/ids.js';
import { udpDatagram } from '../support/datagram.js';
import { JsonLines } from '../../src/sink/json.js';
import { compileFilter, displayFilter, filterDialogs, isFilterError } from '../../src/store/filter.js';
import { Store } from '../../src/store/store.js';
import { columnById } from '../../src/layout/call-columns.js';
import { invite, request } from '../sip/fixtures.js';

const dg = udpDatagram;

function store(): Store {
  const s = new Store();
  s.addDatagram(dg(invite('c1@h'))); // alice@atlanta.example.com → bob@biloxi.example.com
  s.addDatagram(dg(request('REGISTER', 'r1@h', 1)));
  return s;
}

function matching(s: Store, expr: string): string[] {
  const f = compileFilter(expr);
  assert.ok(!isFilterError(f), expr);
  return [...filterDialogs(s, f)].map((i) => s.dialog(i as DialogId)!.callId);
}

test('dialogs carry the From and To hosts; JSON has fromHost and toHost', () => {
  const s = store();
  const d = held(s, 0);
  assert.equal(d.fromHost, 'atlanta.example.com');
  assert.equal(d.toHost, 'biloxi.example.com');
  const json = JSON.parse(new JsonLines().dialog(d)) as Record<string, unknown>;
  assert.equal(json.from, 'alice');
  assert.equal(json.fromHost, 'atlanta.example.com');
  assert.equal(json.to, 'bob');
  assert.equal(json.toHost, 'biloxi.example.com');
  assert.deepEqual(Object.keys(json).slice(0, 7), ['type', 'callId', 'method', 'from', 'fromHost', 'to', 'toHost']);
});

test('the From URI and To URI columns show user@host', () => {
  const d = held(store(), 0);
  assert.equal(columnById('fromUri').title, 'From URI');
  assert.equal(columnById('fromUri').value(d, {}), 'alice@atlanta.example.com');
  assert.equal(columnById('toUri').value(d, {}), 'bob@biloxi.example.com');
});

test('from/to match the host, user@host exactly, and the filter form does too', () => {
  const s = store();
  const all = matching(s, 'from atlanta.example.com');
  assert.ok(all.includes('c1@h'));
  assert.deepEqual(matching(s, 'to biloxi'), matching(s, 'to bob'));
  assert.deepEqual(matching(s, 'from=alice@atlanta.example.com'), all);
  assert.deepEqual(matching(s, 'from=atlanta.example'), [], 'exact needs the whole host');
  assert.deepEqual(matching(s, 'from nowhere.example'), []);
  assert.deepEqual([...filterDialogs(s, displayFilter({ from: "atlanta.example.com" }))].map((i) => s.dialog(i as DialogId)!.callId), all);
});
