import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Collector, INVITE, OK, TCP_ACK, TCP_FIN_ACK, TCP_SYN, cat, ethTcp, sip } from './packets.js';

const ISN = 1000;
const a = sip(INVITE, 'v=0\r\no=- 1 1 IN IP4 10.0.0.1\r\n');
const b = sip(OK);
const c3 = sip('BYE sip:bob@example.com SIP/2.0');

test('several messages in one segment, and keep-alive CRLFs between them', () => {
  const c = new Collector().push(1, ethTcp(ISN, cat(a, Buffer.from('\r\n\r\n'), b, c3)), 100);
  assert.deepEqual(c.payloads, [a, b, c3].map((m) => m.toString('latin1')));
  assert.deepEqual(c.skips(), {});
  assert.equal(c.datagrams[0].transport, 'TCP');
  // Messages inside one segment lie in the file as they are.
  assert.equal(c.datagrams[0].fileOffset, 100 + 14 + 20 + 20);
});

test('one message across many segments, framed by Content-Length', () => {
  const big = sip(INVITE, 'a'.repeat(70_000));
  const c = new Collector().push(1, ethTcp(ISN - 1, Buffer.alloc(0), TCP_SYN));
  for (let off = 0; off < big.length; off += 1400) c.push(1, ethTcp(ISN + off, big.subarray(off, off + 1400)));
  assert.equal(c.datagrams.length, 1);
  assert.equal(c.payloads[0], big.toString('latin1'));
  assert.equal(c.datagrams[0].fileOffset, -1);
  assert.equal(c.datagrams[0].frame, 1 + Math.ceil(big.length / 1400));
});

test('out-of-order segments wait for the gap to fill', () => {
  const data = cat(a, b);
  const cut = 30;
  const c = new Collector()
    .push(1, ethTcp(ISN, data.subarray(0, cut)))
    .push(1, ethTcp(ISN + cut + 40, data.subarray(cut + 40)))
    .push(1, ethTcp(ISN + cut, data.subarray(cut, cut + 40)));
  assert.deepEqual(c.payloads, [a, b].map((m) => m.toString('latin1')));
  assert.deepEqual(c.skips(), {});
});

test('retransmissions and overlapping segments are trimmed', () => {
  const data = cat(a, b);
  const c = new Collector()
    .push(1, ethTcp(ISN, data.subarray(0, 50)))
    .push(1, ethTcp(ISN, data.subarray(0, 50)))
    .push(1, ethTcp(ISN + 20, data.subarray(20, 120)))
    .push(1, ethTcp(ISN + 120, data.subarray(120)));
  assert.deepEqual(c.payloads, [a, b].map((m) => m.toString('latin1')));
  assert.deepEqual(c.skips(), { 'tcp-retransmission': 1 });
});

test('compact "l:" and a missing Content-Length (meaning 0)', () => {
  const compact = sip(INVITE, 'hello', 'l');
  const none = Buffer.from(`${OK}\r\nCall-ID: x\r\n\r\n`);
  const c = new Collector().push(1, ethTcp(ISN, cat(compact, none, b)));
  assert.deepEqual(c.payloads, [compact, none, b].map((m) => m.toString('latin1')));
});

test('a capture starting mid-message resynchronises on the next start line', () => {
  const c = new Collector().push(1, ethTcp(ISN, cat(a.subarray(40), b)));
  assert.deepEqual(c.payloads, [b.toString('latin1')]);
  assert.deepEqual(c.skips(), { 'tcp-resync': 1 });
});

test('both directions of a connection are separate streams', () => {
  const c = new Collector()
    .push(1, ethTcp(ISN, a.subarray(0, 60)))
    .push(1, ethTcp(5000, b.subarray(0, 10), undefined, '10.0.0.2', '10.0.0.1', 5060, 40000))
    .push(1, ethTcp(ISN + 60, a.subarray(60)))
    .push(1, ethTcp(5010, b.subarray(10), undefined, '10.0.0.2', '10.0.0.1', 5060, 40000));
  assert.deepEqual(c.payloads, [a, b].map((m) => m.toString('latin1')));
  assert.equal(c.datagrams[1].src, '10.0.0.2');
  assert.equal(c.datagrams[1].sport, 5060);
});

test('HTTP on the SIP port is not SIP, and the stream is given up', () => {
  const http = Buffer.from('HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello');
  const c = new Collector();
  for (let i = 0; i < 6; i++) c.push(1, ethTcp(ISN + i * http.length, http));
  assert.equal(c.datagrams.length, 0);
  assert.deepEqual(c.skips(), { 'tcp-not-sip': 6 });
});

test('TLS without its handshake is counted once per session and not buffered', () => {
  const record = cat([0x17, 0x03, 0x03, 0x00, 0x10], Buffer.alloc(16));
  const c = new Collector().push(1, ethTcp(ISN, record)).push(1, ethTcp(ISN + 21, record));
  assert.deepEqual(c.skips(), { 'tls-no-handshake': 1 });
});

test('at the end of input, data behind a lost segment is still delivered', () => {
  const c = new Collector().push(1, ethTcp(ISN, a.subarray(0, 30))).push(1, ethTcp(ISN + a.length + 100, b));
  assert.equal(c.datagrams.length, 0);
  c.flush();
  assert.deepEqual(c.payloads, [b.toString('latin1')]);
  assert.deepEqual(c.skips(), { 'tcp-gap': 1 });
});

test('a message cut by the end of the connection is counted as incomplete', () => {
  const c = new Collector().push(1, ethTcp(ISN, a.subarray(0, 30))).push(1, ethTcp(ISN + 30, Buffer.alloc(0), TCP_FIN_ACK));
  assert.deepEqual(c.skips(), { 'tcp-incomplete': 1 });
  c.push(1, ethTcp(ISN + 31, Buffer.alloc(0), TCP_ACK)).flush();
  assert.equal(c.datagrams.length, 0);
});

test('a gap that waits too long is given up and the stream resynchronises', () => {
  const c = new Collector()
    .push(1, ethTcp(ISN, a.subarray(0, 30)), -1, 1_000_000_000n)
    .push(1, ethTcp(ISN + a.length + 50, b), -1, 2_000_000_000n)
    .push(1, ethTcp(ISN + a.length + 50 + b.length, c3), -1, 9_000_000_000n);
  assert.deepEqual(c.payloads, [b, c3].map((m) => m.toString('latin1')));
  assert.deepEqual(c.skips(), { 'tcp-gap': 1 });
});

test('after junk, a start line cut by the segment end is kept for the next segment', () => {
  const junk = Buffer.from('tail of a lost body\r\n');
  const c = new Collector()
    .push(1, ethTcp(ISN, a))
    .push(1, ethTcp(ISN + a.length, cat(junk, b.subarray(0, 6))))
    .push(1, ethTcp(ISN + a.length + junk.length + 6, b.subarray(6)));
  assert.deepEqual(c.payloads, [a, b].map((m) => m.toString('latin1')));
  assert.deepEqual(c.skips(), { 'tcp-resync': 1 });
});
