import { test } from 'node:test';
import assert from 'node:assert/strict';
import { synthFrame } from '../../src/sink/synth-frame.js';
import { ip6Bytes } from '../../src/source/synth-frame.js';

const payload = Buffer.from('INVITE sip:bob@example.com SIP/2.0\r\nContent-Length: 0\r\n\r\n');

/** Folded one's-complement sum; 0xffff means the checksum inside the summed bytes is right. */
function onesSum(...parts: Buffer[]): number {
  let s = 0;
  for (const b of parts) for (let i = 0; i < b.length; i += 2) s += (b[i]! << 8) | (b[i + 1] ?? 0);
  while (s > 0xffff) s = (s & 0xffff) + (s >>> 16);
  return s;
}

function pseudo(src: Buffer, dst: Buffer, proto: number, len: number): Buffer {
  const p = Buffer.alloc(4);
  p.writeUInt16BE(proto, 0);
  p.writeUInt16BE(len, 2);
  return Buffer.concat([src, dst, p]);
}

test('IPv4/UDP: lengths, header checksum and UDP checksum are right', () => {
  const f = synthFrame({ src: '192.168.1.10', sport: 5060, dst: '10.0.0.1', dport: 5080, transport: 'UDP', payload });
  assert.equal(f.linktype, 101);
  const d = f.data;
  assert.equal(d[0], 0x45);
  assert.equal(d.readUInt16BE(2), d.length);
  assert.equal(d[9], 17);
  assert.equal(onesSum(d.subarray(0, 20)), 0xffff);
  assert.deepEqual([...d.subarray(12, 20)], [192, 168, 1, 10, 10, 0, 0, 1]);
  const udp = d.subarray(20);
  assert.equal(udp.readUInt16BE(0), 5060);
  assert.equal(udp.readUInt16BE(2), 5080);
  assert.equal(udp.readUInt16BE(4), 8 + payload.length);
  assert.equal(onesSum(pseudo(d.subarray(12, 16), d.subarray(16, 20), 17, udp.length), udp), 0xffff);
  assert.deepEqual(udp.subarray(8), payload);
});

test('IPv6/TCP: PSH|ACK, running sequence per direction, valid checksum', () => {
  const seq = new Map<string, number>();
  const m = { src: '2001:db8::1', sport: 40000, dst: '2001:db8::2', dport: 5060, transport: 'TCP' as const, payload };
  const a = synthFrame(m, seq).data;
  const b = synthFrame(m, seq).data;
  const reply = synthFrame({ ...m, src: m.dst, sport: m.dport, dst: m.src, dport: m.sport }, seq).data;
  assert.equal(a[0]! >> 4, 6);
  assert.equal(a.readUInt16BE(4), 20 + payload.length);
  assert.equal(a[6], 6);
  const tcp = a.subarray(40);
  assert.equal(tcp[13], 0x18);
  assert.equal(tcp[12]! >> 4, 5);
  assert.equal(tcp.readUInt32BE(4), 1);
  assert.equal(b.subarray(40).readUInt32BE(4), 1 + payload.length);
  assert.equal(reply.subarray(40).readUInt32BE(8), 1 + 2 * payload.length, 'the reply acknowledges both segments');
  assert.equal(onesSum(pseudo(a.subarray(8, 24), a.subarray(24, 40), 6, tcp.length), tcp), 0xffff);
  assert.deepEqual(tcp.subarray(20), payload);
});

test('ip6Bytes expands "::" and a dotted IPv4 tail', () => {
  assert.equal(ip6Bytes('::1').toString('hex'), '00000000000000000000000000000001');
  assert.equal(ip6Bytes('2001:db8::5:6').toString('hex'), '20010db8000000000000000000050006');
  assert.equal(ip6Bytes('::ffff:1.2.3.4').toString('hex'), '00000000000000000000ffff01020304');
  assert.equal(ip6Bytes('fe80::1%eth0').toString('hex'), 'fe800000000000000000000000000001');
});
