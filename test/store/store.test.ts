import { dialogId, held, messageId } from '../support/ids.js';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Datagram } from '../../src/model/datagram.js';
import { Store } from '../../src/store/store.js';
import { invite, request, response } from '../sip/fixtures.js';
import { sdpSessions } from '../../src/media/sdp-endpoints.js';
import { maskBit } from '../../src/sip/message.js';
import { sdpFacts } from '../../src/sip/sdp-facts.js';

let frame = 0;
function dg(payload: Buffer, over: Partial<Datagram> = {}): Datagram {
  frame++;
  return {
    frame, ts: 1_700_000_000_000_000_000n + BigInt(frame) * 1_000_000n, src: '10.0.0.1', sport: 5060,
    dst: '10.0.0.2', dport: 5060, transport: 'UDP', payload, fileOffset: -1, ...over,
  };
}
const back = { src: '10.0.0.2', dst: '10.0.0.1' };

test('groups messages by Call-ID, fills the summary and follows the call state', () => {
  const store = new Store();
  let notified = 0;
  store.subscribe(() => notified++);
  store.addDatagram(dg(invite('c1@h', ['Reason: SIP;cause=200;text="x"'])));
  store.addDatagram(dg(response('180 Ringing', 'c1@h', '314159 INVITE', ['Server: Gateway/2']), back));
  store.addDatagram(dg(request('REGISTER', 'r1@h', 1), { src: '2001:db8::1', sport: 5080, transport: 'TCP' }));
  store.addDatagram(dg(response('200 OK', 'c1@h'), back));
  store.addDatagram(dg(request('ACK', 'c1@h', 314159)));
  store.addDatagram(dg(request('BYE', 'c1@h', 314160)));

  assert.equal(store.dialogCount(), 2);
  assert.equal(store.messageCount(), 6);
  assert.equal(notified, 6);
  assert.equal(store.version, 6);
  const call = held(store, 0);
  const summary = {
    id: 0, callId: 'c1@h', method: 'INVITE', fromUser: 'alice', fromHost: 'atlanta.example.com', fromDisplay: 'Alice A.', toUser: 'bob',
    toHost: 'biloxi.example.com', toDisplay: 'Bob', ruri: 'sip:bob@biloxi.example.com', src: '10.0.0.1:5060', dst: '10.0.0.2:5060',
    transport: 'UDP', messages: [0, 1, 3, 4, 5], messageCount: 5, state: 'COMPLETED',
    xCallId: '', userAgent: 'TestPhone/1.0', reason: 'SIP;cause=200;text="x"', nodes: [], findings: undefined,
  };
  // Field by field: the store's dialog is a class whose messages are a getter.
  assert.deepEqual(Object.fromEntries(Object.keys(summary).map((k) => [k, call[k as keyof typeof call]])), summary);
  assert.ok(call.end > call.start);
  const reg = held(store, 1);
  assert.equal(reg.state, '');
  assert.equal(reg.src, '[2001:db8::1]:5080');
  assert.equal(reg.method, 'REGISTER');

  const m = store.message(messageId(1));
  assert.equal(m.status, 180);
  assert.equal(m.method, '');
  assert.equal(m.cseqMethod, 'INVITE');
  assert.equal(m.dialog, 0);
  assert.equal(store.message(messageId(0)).hasSdp, true);
  assert.equal(store.message(messageId(0)).ref.inFile, false);
  assert.deepEqual(store.messageBytes(messageId(1)), response('180 Ringing', 'c1@h', '314159 INVITE', ['Server: Gateway/2']));
  assert.equal(store.parsed(messageId(0)).method, 'INVITE');
  assert.equal(store.parsed(messageId(0)), store.parsed(messageId(0)));
  assert.deepEqual(store.stats(), { frames: 0, messages: 6, dialogs: 2, skipped: {} });
});

test('skip counting: non-SIP only on SIP ports; unusable SIP always', () => {
  const store = new Store();
  const rtp = Buffer.alloc(172, 0x80);
  store.addDatagram(dg(rtp, { sport: 40000, dport: 40002 }));
  store.addDatagram(dg(rtp, { sport: 40000, dport: 5061 }));
  store.addDatagram(dg(Buffer.from('OPTIONS sip:a@b SIP/2.0\r\nCSeq: 1 OPTIONS\r\n\r\n'), { sport: 1234, dport: 4321 }));
  store.countFrame();
  store.skip('ip4-bad-header');
  assert.deepEqual(store.stats(), {
    frames: 1, messages: 0, dialogs: 0, skipped: { 'not-sip': 1, 'sip-no-call-id': 1, 'ip4-bad-header': 1 },
  });
});

test('payloads in the capture file are read back through readAt, not copied', () => {
  const file = Buffer.concat([Buffer.alloc(100), invite('f@h')]);
  const store = new Store({ readAt: (o, l) => file.subarray(o, o + l) });
  store.addDatagram(dg(Buffer.from(file.subarray(100)), { fileOffset: 100 }));
  assert.deepEqual(store.message(messageId(0)).ref, { inFile: true, offset: 100, length: file.length - 100 });
  assert.deepEqual(store.messageBytes(messageId(0)), file.subarray(100));
});

test('retransmissions: same bytes from the same source', () => {
  const store = new Store();
  const inv = invite('rt@h');
  store.addDatagram(dg(inv));
  store.addDatagram(dg(inv));
  store.addDatagram(dg(inv, { src: '10.0.0.9' }));
  assert.deepEqual([0, 1, 2].map((i) => store.message(messageId(i)).retrans), [false, true, false]);
});

test('HEP copies of raw messages appear once, pairing one to one', () => {
  const store = new Store();
  const inv = invite('hep@h');
  store.addDatagram(dg(inv));
  store.addDatagram(dg(inv, { viaHep: true }));
  // A genuine retransmission captured both ways counts once more.
  store.addDatagram(dg(inv, { viaHep: true }));
  store.addDatagram(dg(inv));
  // A HEP copy far outside the ±2 s window is not a duplicate.
  store.addDatagram(dg(inv, { viaHep: true, ts: 1_800_000_000_000_000_000n }));
  assert.equal(store.messageCount(), 3);
  assert.equal(store.stats().skipped['sip-hep-duplicate'], 2);
  assert.deepEqual([0, 1, 2].map((i) => store.message(messageId(i)).retrans), [false, true, true]);
});

test('-l without rotation ignores new dialogs; -c keeps only INVITE dialogs', () => {
  const limited = new Store({ limit: 1 });
  limited.addDatagram(dg(request('OPTIONS', 'o1', 1)));
  limited.addDatagram(dg(request('OPTIONS', 'o2', 1)));
  limited.addDatagram(dg(response('200 OK', 'o1', '1 OPTIONS')));
  assert.equal(limited.dialogCount(), 1);
  assert.equal(held(limited, 0).messages.length, 2);
  assert.deepEqual(limited.stats().skipped, { 'dialog-limit': 1 });

  const calls = new Store({ invitesOnly: true });
  calls.addDatagram(dg(request('OPTIONS', 'o1', 1)));
  calls.addDatagram(dg(invite('i1')));
  assert.equal(calls.dialogCount(), 1);
  assert.equal(held(calls, 0).callId, 'i1');
  assert.deepEqual(calls.stats().skipped, { 'dialog-not-invite': 1 });
});

test('-l with rotation drops the oldest dialog; ids never shift, a dropped one answers gone', () => {
  const store = new Store({ limit: 2, rotate: true });
  for (const id of ['d0', 'd1', 'd2']) store.addDatagram(dg(request('OPTIONS', id, 1)));
  assert.equal(store.dialogCount(), 2);
  assert.equal(store.firstId, 1);
  assert.equal(store.dialog(dialogId(0)), undefined);
  assert.equal(store.dialog(dialogId(3)), undefined);
  assert.deepEqual([dialogId(1), dialogId(2)].map((id) => store.dialog(id)?.callId), ['d1', 'd2']);
  assert.equal(store.message(messageId(2)).dialog, 2);
  assert.equal(store.message(messageId(0)).dialog, 0, 'messages of a dropped dialog stay readable');
  assert.deepEqual(store.relatedDialogs(dialogId(0)), []);
  // The dropped Call-ID starts a fresh dialog when it shows up again.
  store.addDatagram(dg(request('OPTIONS', 'd0', 2)));
  assert.deepEqual([held(store, 0).callId, held(store, 1).callId], ['d2', 'd0']);
  assert.equal(store.messageCount(), 4);
});

test('a dialog object held past its drop (rotation, F5) keeps what it showed', () => {
  const store = new Store({ limit: 1, rotate: true });
  store.addDatagram(dg(invite('k0@h')));
  store.addDatagram(dg(response('486 Busy Here', 'k0@h', '314159 INVITE', ['Reason: Q.850;cause=17']), back));
  const kept = held(store, 0);
  const before = { method: kept.method, src: kept.src, dst: kept.dst, transport: kept.transport, userAgent: kept.userAgent, state: kept.state, reason: kept.reason, start: kept.start, end: kept.end };
  assert.equal(before.state, 'BUSY');
  store.addDatagram(dg(request('OPTIONS', 'k1@h', 1), { src: '10.9.9.9', transport: 'TCP' }));
  store.clear();
  store.addDatagram(dg(request('REGISTER', 'k2@h', 1), { src: '10.8.8.8' }));
  assert.equal(store.dialog(dialogId(0)), undefined);
  assert.deepEqual({ method: kept.method, src: kept.src, dst: kept.dst, transport: kept.transport, userAgent: kept.userAgent, state: kept.state, reason: kept.reason, start: kept.start, end: kept.end }, before);
  assert.equal(store.dialog(dialogId(2))?.method, 'REGISTER');
});

test('a dialog keeps its first request\'s Request-URI, whether it names the To user at the To host or not, and past its drop', () => {
  const store = new Store({ limit: 3, rotate: true });
  const withParams = Buffer.from(invite('u0@h').toString('latin1').replace('INVITE sip:bob@biloxi.example.com ', 'INVITE sip:bob@biloxi.example.com;user=phone '), 'latin1');
  store.addDatagram(dg(withParams));
  store.addDatagram(dg(request('OPTIONS', 'u1@h', 1)));
  store.addDatagram(dg(response('200 OK', 'u2@h', '1 OPTIONS'), back));
  const uris = ['sip:bob@biloxi.example.com;user=phone', 'sip:bob@192.0.2.4', ''];
  assert.deepEqual([0, 1, 2].map((n) => held(store, n).ruri), uris);
  const kept = [0, 1, 2].map((n) => held(store, n));
  store.clear();
  assert.deepEqual(kept.map((d) => d.ruri), uris);
});

test('methods and reason phrases past the token table\'s bound are read back from their messages', () => {
  const store = new Store();
  // 0xffff distinct tokens fill the table; a few more are read back from the bytes.
  const n = 0x10000 / 2 + 8;
  for (let k = 0; k < n; k++) {
    store.addDatagram(dg(request(`M${k}`, `t${k}@h`, 1)));
    store.addDatagram(dg(response(`499 Phrase ${k}`, `t${k}@h`, `1 M${k}`), back));
  }
  for (const k of [0, n - 1]) {
    const req = store.message(messageId(2 * k));
    const res = store.message(messageId(2 * k + 1));
    assert.deepEqual([req.method, req.cseqMethod, res.method, res.cseqMethod, store.reasonPhrase(messageId(2 * k + 1))], [`M${k}`, `M${k}`, '', `M${k}`, `Phrase ${k}`]);
  }
});

test('relatedDialogs follows X-Call-ID / X-CID both ways', () => {
  const store = new Store();
  store.addDatagram(dg(invite('leg-a')));
  store.addDatagram(dg(invite('leg-b', ['X-Call-ID: leg-a'])));
  store.addDatagram(dg(invite('leg-c', ['X-CID: leg-a'])));
  store.addDatagram(dg(invite('other')));
  assert.deepEqual(store.relatedDialogs(dialogId(0)), [1, 2]);
  assert.deepEqual(store.relatedDialogs(dialogId(1)), [0]);
  assert.deepEqual(store.relatedDialogs(dialogId(3)), []);
  assert.equal(held(store, 1).xCallId, 'leg-a');
});

test('subscribe returns an unsubscribe function', () => {
  const store = new Store();
  let calls = 0;
  const off = store.subscribe(() => calls++);
  store.addDatagram(dg(invite('s1')));
  off();
  store.addDatagram(dg(invite('s2')));
  assert.equal(calls, 1);
});

test('store: SDP facts, header presence and reason phrases per message agree with a full parse', () => {
  const store = new Store();
  store.addDatagram(dg(invite('s1@h', ['Warning: 399 x "y"'])));
  store.addDatagram(dg(response('488 Not Acceptable  Here', 's1@h', '314159 INVITE'), { src: '10.0.0.2', dst: '10.0.0.1' }));
  // Past the table's bounds the store parses the message again: the same facts either way.
  const manyMedia = ['v=0', 'c=IN IP4 192.0.2.1', ...Array.from({ length: 17 }, (_, i) => `m=audio ${4000 + 2 * i} RTP/AVP 0`), ''].join('\r\n');
  store.addDatagram(dg(invite('s2@h', [], manyMedia)));
  for (const id of [0, 1, 2].map(messageId)) {
    const parsed = store.parsed(id);
    const part = sdpSessions(parsed.buf)[0];
    assert.deepEqual(store.sdpFacts(id), part && sdpFacts(part));
    assert.equal(store.reasonPhrase(id), parsed.reasonPhrase);
  }
  assert.equal(store.reasonPhrase(messageId(1)), 'Not Acceptable  Here');
  const warning = 1 << maskBit('Warning');
  assert.notEqual(store.messageHeaderMask(messageId(0)) & warning, 0);
  assert.equal(store.messageHeaderMask(messageId(1)) & warning, 0);
});
