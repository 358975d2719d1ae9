import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Collector, INVITE, OK, ethernet, ip4, sctp, sctpData, sip } from './packets.js';

const BEGIN_END = 0x03;
const BEGIN = 0x02;
const END = 0x01;
const invite = sip(INVITE, 'v=0\r\n'.repeat(100));
const ok = sip(OK);
const frame = (...chunks: Buffer[]): Buffer => ethernet(0x0800, ip4('10.0.0.1', '10.0.0.2', 132, sctp(5060, 5060, ...chunks)));

test('each unfragmented DATA chunk is a datagram; control chunks are ignored', () => {
  const sack = Buffer.from([3, 0, 0, 16, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 0]);
  const c = new Collector().push(1, frame(sctpData(1, 0, BEGIN_END, invite), sack, sctpData(2, 1, BEGIN_END, ok)), 0);
  assert.deepEqual(c.payloads, [invite, ok].map((m) => m.toString('latin1')));
  assert.deepEqual(c.datagrams.map((d) => [d.transport, d.sport, d.fileOffset]), [['SCTP', 5060, 14 + 20 + 12 + 16], ['SCTP', 5060, c.datagrams[1].fileOffset]]);
  assert.deepEqual(c.skips(), {});
});

test('fragmented user messages are joined from B to E', () => {
  const c = new Collector()
    .push(1, frame(sctpData(10, 3, BEGIN, invite.subarray(0, 200))))
    .push(1, frame(sctpData(11, 3, 0, invite.subarray(200, 400))))
    .push(1, frame(sctpData(12, 3, END, invite.subarray(400))));
  assert.deepEqual(c.payloads, [invite.toString('latin1')]);
  assert.equal(c.datagrams[0].fileOffset, -1);
});

test('a hole in a fragmented message drops it with a reason', () => {
  const c = new Collector()
    .push(1, frame(sctpData(10, 3, BEGIN, invite.subarray(0, 200))))
    .push(1, frame(sctpData(12, 3, END, invite.subarray(400))))
    .push(1, frame(sctpData(20, 4, BEGIN, invite.subarray(0, 200))))
    .flush();
  assert.equal(c.datagrams.length, 0);
  assert.deepEqual(c.skips(), { 'sctp-incomplete': 2 });
});
