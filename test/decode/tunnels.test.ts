import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeTzsp } from '../../src/source/tzsp.js';
import { Collector, INVITE, cat, ethernet, gre, ip4, ip6, sip, u16, u32, udp } from './packets.js';

const msg = sip(INVITE);
const inner4 = ip4('172.16.0.1', '172.16.0.2', 17, udp(5060, 5062, msg));
const inner6 = ip6('fd00::1', 'fd00::2', 17, udp(5060, 5062, msg));
const outer = (proto: number, payload: Buffer): Buffer => ethernet(0x0800, ip4('198.51.100.1', '198.51.100.2', proto, payload));

function innermost(frame: Buffer): { src: string; dst: string; sport: number } {
  const c = new Collector().push(1, frame);
  assert.deepEqual(c.skips(), {});
  assert.equal(c.datagrams.length, 1);
  assert.equal(c.payloads[0], msg.toString('latin1'));
  const d = c.datagrams[0];
  return { src: d.src, dst: d.dst, sport: d.sport };
}

test('IP-in-IP (4) and IPv6-in-IPv4 (41) report the inner addresses', () => {
  assert.deepEqual(innermost(outer(4, inner4)), { src: '172.16.0.1', dst: '172.16.0.2', sport: 5060 });
  assert.equal(innermost(outer(41, inner6)).src, 'fd00::1');
});

test('GRE with IPv4, IPv6 and the checksum / key / sequence words', () => {
  innermost(outer(47, gre(0, 0x0800, inner4)));
  innermost(outer(47, gre(0, 0x86dd, inner6)));
  innermost(outer(47, gre(0xb000, 0x0800, inner4, [0, 0, 0, 0, ...u32(42), ...u32(7)])));
});

test('GRE transparent Ethernet bridging carries a whole Ethernet frame', () => {
  assert.equal(innermost(outer(47, gre(0x2000, 0x6558, ethernet(0x0800, inner4), u32(1)))).src, '172.16.0.1');
});

test('enhanced GRE (PPTP) carries PPP with or without address/control bytes', () => {
  const pptp = (ppp: Buffer): Buffer => outer(47, gre(0x3081, 0x880b, ppp, [...u16(ppp.length), ...u16(1), ...u32(5), ...u32(4)]));
  innermost(pptp(cat([0xff, 0x03], u16(0x0021), inner4)));
  innermost(pptp(cat([0x21], inner4)));
  innermost(pptp(cat(u16(0x0057), inner6)));
});

test('ERSPAN type II and III mirrors carry Ethernet', () => {
  innermost(outer(47, gre(0x1000, 0x88be, cat(Buffer.alloc(8), ethernet(0x0800, inner4)), u32(1))));
  innermost(outer(47, gre(0x1000, 0x22eb, cat(Buffer.alloc(12), ethernet(0x0800, inner4)), u32(1))));
});

test('GTP-U G-PDUs on UDP 2152 carry the user IP packet, extension headers included', () => {
  const gtp = (flags: number, extra: number[], inner: Buffer): Buffer =>
    outer(17, udp(2152, 2152, cat([flags, 0xff], u16(extra.length + inner.length), u32(0x1000), extra, inner)));
  assert.equal(innermost(gtp(0x30, [], inner4)).src, '172.16.0.1');
  assert.equal(innermost(gtp(0x32, [0, 1, 0, 0], inner6)).src, 'fd00::1');
  // PDU session container extension (type 0x85), 4 bytes long.
  innermost(gtp(0x34, [0, 0, 0, 0x85, 1, 0x10, 1, 0], inner4));
});

test('a non-GTP payload on port 2152 is an ordinary datagram', () => {
  const rtp = cat([0x80, 0], Buffer.alloc(170));
  const c = new Collector().push(1, outer(17, udp(2152, 40000, rtp)));
  assert.equal(c.datagrams.length, 1);
  assert.equal(c.datagrams[0].dport, 40000);
});

test('TZSP on UDP 37008 carries a frame of its encapsulation', () => {
  const tzsp = cat([1, 0], u16(1), [10, 4, 0, 0, 0, 9, 0, 1], ethernet(0x0800, inner4));
  assert.equal(innermost(outer(17, udp(40000, 37008, tzsp))).src, '172.16.0.1');
  const r = decodeTzsp(tzsp);
  assert.ok(typeof r !== 'string');
  assert.equal(r.linktype, 1);
  assert.equal(decodeTzsp(Buffer.from([1, 4, 0, 1, 1])), 'tzsp-not-packet');
  assert.equal(decodeTzsp(Buffer.from([1, 0, 0, 1, 10, 200])), 'tzsp-truncated');
});

test('absurdly deep nesting is cut off', () => {
  let pkt = inner4;
  for (let i = 0; i < 20; i++) pkt = ip4('10.0.0.1', '10.0.0.2', 4, pkt);
  const c = new Collector().push(101, pkt);
  assert.deepEqual(c.skips(), { 'tunnel-too-deep': 1 });
});
