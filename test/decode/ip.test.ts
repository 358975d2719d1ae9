import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatIp6 } from '../../src/decode/address.js';
import { Decoder } from '../../src/decode/decoder.js';
import type { Frame } from '../../src/model/frame.js';
import { Collector, INVITE, OPTIONS_8, cat, ethUdp, ethernet, ip4, ip6, ip6Bytes, ip6Fragment, sip, udp } from './packets.js';

const body = 'v=0\r\n'.repeat(300);
const msg = sip(INVITE, body);
const datagram = udp(5060, 5060, msg);

test('IPv4 options are skipped through the header length', () => {
  const c = new Collector().push(101, ip4('10.0.0.1', '10.0.0.2', 17, datagram, { options: [0x94, 4, 0, 0] }));
  assert.equal(c.payloads[0], msg.toString('latin1'));
});

test('IPv4 fragments are reassembled in any order', () => {
  const pieces = [0, 600, 1200].map((off) => datagram.subarray(off, Math.min(off + 600, datagram.length)));
  const frag = (i: number): Buffer =>
    ip4('10.0.0.1', '10.0.0.2', 17, pieces[i], { id: 7, fragOffset: i * 600, more: i < pieces.length - 1 });
  const c = new Collector();
  for (const i of [2, 0, 1]) c.push(101, frag(i));
  assert.equal(c.datagrams.length, 1);
  assert.equal(c.payloads[0], msg.toString('latin1'));
  assert.equal(c.datagrams[0].fileOffset, -1);
  assert.equal(c.datagrams[0].frame, 3);
});

test('duplicate and overlapping IPv4 fragments still yield one datagram', () => {
  const c = new Collector();
  const f = (off: number, end: number, more: boolean): Buffer => ip4('10.0.0.1', '10.0.0.2', 17, datagram.subarray(off, end), { id: 9, fragOffset: off, more });
  c.push(101, f(0, 800, true)).push(101, f(0, 800, true)).push(101, f(400, 1200, true)).push(101, f(1200, datagram.length, false));
  assert.equal(c.datagrams.length, 1);
  assert.equal(c.payloads[0], msg.toString('latin1'));
});

test('an incomplete datagram is counted when it ages out or the input ends', () => {
  const f = (ts: bigint, id: number): [Buffer, bigint] => [ip4('10.0.0.1', '10.0.0.2', 17, datagram.subarray(0, 600), { id, more: true }), ts];
  const c = new Collector();
  for (const [data, ts] of [f(1n, 1), f(60_000_000_000n, 2)]) c.push(101, data, -1, ts);
  assert.deepEqual(c.skips(), { 'frag-incomplete': 1 });
  c.flush();
  assert.deepEqual(c.skips(), { 'frag-incomplete': 2 });
});

test('IPv6 extension headers are walked to the upper protocol', () => {
  const routing = Buffer.from([0, 0, 0, 0, 0, 0, 0]);
  const c = new Collector().push(101, ip6('2001:db8::1', '2001:db8::2', 17, datagram, [[0, OPTIONS_8], [43, routing], [60, OPTIONS_8]]));
  assert.deepEqual(c.skips(), {});
  assert.equal(c.payloads[0], msg.toString('latin1'));
});

test('IPv6 fragments are reassembled out of order', () => {
  const pieces = [0, 504, 1008].map((off) => datagram.subarray(off, off === 1008 ? datagram.length : off + 504));
  const frag = (i: number): Buffer =>
    ip6('2001:db8::1', '2001:db8::2', 17, pieces[i], [[0, OPTIONS_8], [44, ip6Fragment(i * 504, i < 2, 0xdead)]]);
  const c = new Collector();
  for (const i of [1, 2, 0]) c.push(101, frag(i));
  assert.deepEqual(c.skips(), {});
  assert.equal(c.payloads[0], msg.toString('latin1'));
  assert.equal(c.datagrams[0].src, '2001:db8::1');
});

test('truncated headers and lengths are skipped, never thrown', () => {
  const good = ip4('10.0.0.1', '10.0.0.2', 17, datagram);
  const c = new Collector()
    .push(101, good.subarray(0, 10))
    .push(101, good.subarray(0, 200))
    .push(101, ip6('::1', '::1', 17, datagram).subarray(0, 30))
    .push(101, Buffer.from([0x50, 1, 2]))
    .push(101, ip4('10.0.0.1', '10.0.0.2', 17, udp(1, 2, Buffer.alloc(4)).subarray(0, 6)));
  assert.deepEqual(c.skips(), { 'ip4-truncated': 2, 'ip6-truncated': 1, 'ip-bad-version': 1, 'udp-truncated': 1 });
});

test('Ethernet padding after the IP packet is not part of the payload', () => {
  const small = sip(INVITE);
  const c = new Collector().push(1, cat(ethernet(0x0800, ip4('10.0.0.1', '10.0.0.2', 17, udp(1, 2, small))), Buffer.alloc(20)));
  assert.equal(c.payloads[0], small.toString('latin1'));
});

test('IPv6 addresses print in RFC 5952 form', () => {
  const f = (a: string): string => formatIp6(Buffer.from(ip6Bytes(a)), 0);
  assert.equal(f('2001:db8:0:0:1:0:0:1'), '2001:db8::1:0:0:1');
  assert.equal(f('2001:db8:0:1:1:1:1:1'), '2001:db8:0:1:1:1:1:1');
  assert.equal(f('0:0:0:0:0:0:0:1'), '::1');
  assert.equal(f('0:0:0:0:0:0:0:0'), '::');
  assert.equal(f('fe80:0:0:0:abcd:0:0:0'), 'fe80::abcd:0:0:0');
  assert.equal(f('0:0:0:0:0:ffff:c000:201'), '::ffff:192.0.2.1');
});

test('plain UDP is offered to the sink first; a taken datagram is not emitted, a declined one is', () => {
  const seen: string[] = [];
  let take = true;
  const datagrams: string[] = [];
  const decoder = new Decoder({
    datagram: (d) => datagrams.push(`${d.src}:${d.sport}>${d.dst}:${d.dport} ${d.payload.toString('latin1')}`),
    skip: () => {},
    udp: (u) => {
      seen.push(`${u.src}:${u.sport}>${u.dst}:${u.dport} ${u.buf.toString('latin1', u.off, u.end)} ${u.sec}.${u.nsec}`);
      return take;
    },
  });
  const frame = (n: number): Frame => {
    const data = ethUdp(Buffer.from(`media ${n}`), '10.0.0.1', '10.0.0.2', 20000, 30000);
    return { index: n, ts: BigInt(n) * 1_000_000_001n, linktype: 1, data, origLen: data.length, fileOffset: -1 };
  };
  decoder.push(frame(1));
  take = false;
  decoder.push(frame(2));
  assert.deepEqual(seen, ['10.0.0.1:20000>10.0.0.2:30000 media 1 1.1', '10.0.0.1:20000>10.0.0.2:30000 media 2 2.2']);
  assert.deepEqual(datagrams, ['10.0.0.1:20000>10.0.0.2:30000 media 2']);
});
