import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Collector, INVITE, cat, ethernet, ip4, ip6, sip, u16, udp, vlan } from './packets.js';

const msg = sip(INVITE);
const v4 = ip4('192.0.2.1', '192.0.2.2', 17, udp(5060, 5080, msg));
const v6 = ip6('2001:db8::1', '2001:db8::2', 17, udp(5060, 5080, msg));

function one(linktype: number, data: Buffer): Collector {
  const c = new Collector().push(linktype, data);
  assert.deepEqual(c.skips(), {});
  assert.equal(c.datagrams.length, 1);
  assert.equal(c.payloads[0], msg.toString('latin1'));
  return c;
}

test('Ethernet II carries IPv4 and IPv6', () => {
  const d = one(1, ethernet(0x0800, v4)).datagrams[0];
  assert.deepEqual([d.src, d.sport, d.dst, d.dport, d.transport], ['192.0.2.1', 5060, '192.0.2.2', 5080, 'UDP']);
  assert.equal(one(1, ethernet(0x86dd, v6)).datagrams[0].src, '2001:db8::1');
});

test('802.1Q, 802.1ad and stacked QinQ tags are skipped', () => {
  one(1, ethernet(0x8100, vlan(100, 0x0800, v4)));
  one(1, ethernet(0x88a8, vlan(10, 0x8100, vlan(20, 0x86dd, v6))));
  one(1, ethernet(0x9100, vlan(10, 0x8100, vlan(20, 0x0800, v4))));
});

test('PPPoE session stage carries PPP-framed IPv4 and IPv6', () => {
  const pppoe = (proto: number, ip: Buffer): Buffer => cat([0x11, 0], u16(0x1234), u16(ip.length + 2), u16(proto), ip);
  one(1, ethernet(0x8864, pppoe(0x0021, v4)));
  one(1, ethernet(0x8864, pppoe(0x0057, v6)));
});

test('Linux cooked captures v1 and v2', () => {
  one(113, cat(u16(0), u16(1), u16(6), [1, 2, 3, 4, 5, 6, 0, 0], u16(0x0800), v4));
  one(276, cat(u16(0x86dd), u16(0), [0, 0, 0, 1], u16(1), [0, 6], [1, 2, 3, 4, 5, 6, 0, 0], v6));
});

test('raw IP link types pick the version from the first nibble', () => {
  for (const lt of [101, 12, 14]) {
    one(lt, v4);
    one(lt, v6);
  }
  one(228, v4);
  one(229, v6);
});

test('BSD null loopback accepts the family in either byte order, and every BSD AF_INET6', () => {
  const le = (n: number): number[] => [n & 0xff, 0, 0, 0];
  const be = (n: number): number[] => [0, 0, 0, n];
  one(0, cat(le(2), v4));
  one(0, cat(be(2), v4));
  for (const af of [24, 28, 30]) {
    one(0, cat(le(af), v6));
    one(0, cat(be(af), v6));
  }
});

test('OpenBSD loop has a big-endian family', () => {
  one(108, cat([0, 0, 0, 2], v4));
  one(108, cat([0, 0, 0, 24], v6));
});

test('unsupported or short link layers are skipped with a reason', () => {
  const c = new Collector()
    .push(147, v4)
    .push(1, Buffer.from([1, 2, 3]))
    .push(1, ethernet(0x0806, Buffer.alloc(28)))
    .push(1, ethernet(40, Buffer.alloc(40)));
  assert.deepEqual(c.skips(), { 'linktype-unsupported': 1, 'eth-short': 1, 'ethertype-unsupported': 1, 'eth-llc': 1 });
  // The packet values go to the details, never into the reason (which stays a fixed set).
  assert.deepEqual(c.details, ['linktype-unsupported=147', 'ethertype-unsupported=0x0806']);
  assert.equal(c.datagrams.length, 0);
});

test('fileOffset points at the payload in the file when it lies there unmodified', () => {
  const frame = ethernet(0x0800, v4);
  const d = new Collector().push(1, frame, 5000).datagrams[0];
  assert.equal(d.fileOffset, 5000 + 14 + 20 + 8);
  assert.equal(new Collector().push(1, frame, -1).datagrams[0].fileOffset, -1);
});
