import { dialogId, held, messageId } from '../support/ids.js';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Datagram } from '../../src/model/datagram.js';
import { compileFilter, filterDialogs, isFilterError } from '../../src/store/filter.js';
import { compileNetwork } from '../../src/store/filter-net.js';
import { normalizeNumber, numberMatcher } from '../../src/store/filter-number.js';
import { Store } from '../../src/store/store.js';
import { invite, response, sip } from '../sip/fixtures.js';

let frame = 0;
function dg(payload: Buffer, over: Partial<Datagram> = {}): Datagram {
  frame++;
  return {
    frame, ts: 1_700_000_000_000_000_000n + BigInt(frame), src: '10.0.0.1', sport: 5060,
    dst: '10.0.0.2', dport: 5060, transport: 'UDP', payload, fileOffset: -1, ...over,
  };
}

function count(store: Store, expr: string): number {
  const f = compileFilter(expr);
  if (isFilterError(f)) assert.fail(`${expr}: ${f.message}`);
  return filterDialogs(store, f).length;
}

test('normalizeNumber: schemes, host, parameters, separators, leading +; 00 is kept', () => {
  assert.equal(normalizeNumber('+1 (208) 621-2025'), '12086212025');
  assert.equal(normalizeNumber('tel:+1-208-621.2025;phone-context=example.com'), '12086212025');
  assert.equal(normalizeNumber('sip:+12086212025@carrier.example;user=phone'), '12086212025');
  assert.equal(normalizeNumber('<SIPS:12086212025@carrier.example>'), '12086212025');
  assert.equal(normalizeNumber('004930123'), '004930123');
  assert.equal(normalizeNumber('*21#'), '*21#');
  assert.equal(normalizeNumber('sip:Alice.Smith@example.com'), 'alice.smith');
  assert.equal(normalizeNumber('12+34'), '12+34');
  const prefix = numberMatcher('+44 20', false);
  assert.equal(prefix('sip:+442071234567@x'), true);
  assert.equal(prefix('4420'), true);
  assert.equal(prefix('442'), false);
  assert.equal(prefix('00442071234567'), false);
  const exact = numberMatcher('442071234567', true);
  assert.equal(exact('+44 (20) 7123-4567'), true);
  assert.equal(exact('4420712345678'), false);
  assert.equal(exact('xx|+442071234567|yy', 3, 16), true);
  assert.equal(numberMatcher('alice', false)('sip:ALICE@example.com'), true);
  assert.equal(numberMatcher('alice', true)('sip:alice2@example.com'), false);
});

test('compileNetwork: IPv4 and IPv6 addresses and CIDR', () => {
  const net = (t: string): ((ip: string) => boolean) => {
    const n = compileNetwork(t);
    if (typeof n === 'string') assert.fail(n);
    return n;
  };
  assert.equal(net('10.1.0.0/16')('10.1.255.3'), true);
  assert.equal(net('10.1.0.0/16')('10.2.0.1'), false);
  assert.equal(net('10.1.2.3')('10.1.2.3'), true);
  assert.equal(net('10.1.2.3')('10.1.2.30'), false);
  assert.equal(net('0.0.0.0/0')('192.0.2.1'), true);
  assert.equal(net('0.0.0.0/0')('2001:db8::1'), false);
  assert.equal(net('2001:db8::/32')('2001:db8:1::5'), true);
  assert.equal(net('2001:db8::/33')('2001:db8:8000::5'), false);
  assert.equal(net('[2001:db8::1]')('2001:db8:0:0:0:0:0:1'), true);
  assert.equal(net('::ffff:192.0.2.0/120')('::ffff:192.0.2.77'), true);
  for (const bad of ['10.0.0', '10.0.0.256', '1.2.3.4/40', '1.2.3.4/x', '2001:db8:::1', 'host.example']) {
    assert.equal(typeof compileNetwork(bad), 'string', bad);
  }
});

test('facts over any message: identity headers in responses, compact and unknown header names', () => {
  const store = new Store();
  store.addDatagram(dg(invite('f1@h', ['P-Asserted-Identity: "Alice" <sip:+1-555-0100@example.com>, <tel:+15550100>', 'X-CID: other@h'])));
  store.addDatagram(dg(response('181 Call Is Being Forwarded', 'f1@h', '314159 INVITE', ['Diversion: <sip:5550199@example.com>;reason=no-answer']), {
    src: '2001:db8::7', dst: '10.0.0.1',
  }));
  store.addDatagram(dg(sip([
    'OPTIONS sip:x@example.com SIP/2.0', 'v: SIP/2.0/UDP h', 'f: <sip:probe@example.com>', 't: <sip:x@example.com>',
    'i: f2@h', 'CSeq: 1 OPTIONS', 'r: <sip:y@example.com>', 'X-Custom-Thing: 1',
  ])));
  assert.equal(store.dialogCount(), 2);
  assert.equal(count(store, 'pai=15550100'), 1);
  assert.equal(count(store, 'pai 1555'), 1);
  assert.equal(count(store, 'diversion=5550199 and has diversion'), 1);
  assert.equal(count(store, 'has x-cid'), 1);
  assert.equal(count(store, 'has X-Custom-Thing and has refer-to and has f and has via'), 1);
  assert.equal(count(store, 'has x-custom-thin'), 0);
  assert.equal(count(store, 'has from'), 2);
  assert.equal(count(store, 'ip 2001:db8::/32'), 1);
  assert.equal(count(store, 'srcip 2001:db8::/32'), 1);
  assert.equal(count(store, 'dstip 2001:db8::/32'), 0);
  assert.equal(count(store, 'dstip 10.0.0.1'), 1);
  assert.equal(count(store, 'ua testphone'), 1);
  assert.equal(count(store, 'from "alice a." and to bob'), 1);
});

test('clear (F5) empties the list; later messages open new dialogs with fresh facts', () => {
  const store = new Store();
  store.addDatagram(dg(invite('c1@h', ['Diversion: <sip:111@example.com>'])));
  store.addDatagram(dg(invite('c2@h')));
  const version = store.version;
  store.clear();
  assert.equal(store.dialogCount(), 0);
  assert.equal(store.firstId, 2);
  assert.equal(store.dialog(dialogId(0)), undefined, 'gone');
  assert.ok(store.version > version);
  store.addDatagram(dg(response('200 OK', 'c1@h')));
  assert.equal(store.dialogCount(), 1);
  assert.equal(held(store, 0).id, 2);
  assert.equal(held(store, 0).messages.length, 1);
  assert.equal(count(store, 'has diversion'), 0);
  assert.equal(store.message(messageId(held(store, 0).messages[0]!)).status, 200);
});

test('facts follow their dialogs through -l rotation and compaction', () => {
  const store = new Store({ limit: 1100, rotate: true });
  for (let n = 0; n < 3000; n++) {
    store.addDatagram(dg(invite(`r${n}@h`, n % 7 === 0 ? [`Diversion: <sip:${n}@example.com>`] : [])));
  }
  assert.equal(store.dialogCount(), 1100);
  const numbers = [...Array(1100).keys()].map((i) => Number(held(store, i).callId.slice(1, -2)));
  assert.equal(count(store, 'has diversion'), numbers.filter((n) => n % 7 === 0).length);
  const f = compileFilter('has diversion');
  assert.ok(!isFilterError(f));
  for (const i of filterDialogs(store, f)) {
    const n = numbers[i - store.firstId]!;
    assert.equal(count(store, `diversion=${n}`), 1);
  }
});
