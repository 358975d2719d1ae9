import { test } from 'node:test';
import assert from 'node:assert/strict';
import { deflateSync, gzipSync } from 'node:zlib';
import { rtcpFromJson } from '../../src/source/hep-codec.js';
import { Collector, INVITE, OK, cat, ethTcp, ethUdp, hep3, hep3Chunk, ip6Bytes, sip, u16, u32 } from './packets.js';

const msg = sip(INVITE);

function hepV3(payload: Buffer, payloadType = 15, extra: Buffer[] = []): Buffer {
  return hep3(
    hep3Chunk(1, [2]),
    hep3Chunk(2, [6]),
    hep3Chunk(3, [192, 168, 1, 1]),
    hep3Chunk(4, [192, 168, 1, 2]),
    hep3Chunk(7, u16(5080)),
    hep3Chunk(8, u16(5090)),
    hep3Chunk(9, u32(1_500_000_000)),
    hep3Chunk(10, u32(123_456)),
    hep3Chunk(11, [1]),
    ...extra,
    hep3Chunk(payloadType, payload),
  );
}

test('HEP3 in UDP on any port: addresses, ports, protocol and time come from the chunks', () => {
  const c = new Collector().push(1, ethUdp(hepV3(msg), '10.9.9.9', '10.9.9.8', 40000, 12345), 0);
  assert.equal(c.datagrams.length, 1);
  const d = c.datagrams[0];
  assert.deepEqual([d.src, d.sport, d.dst, d.dport, d.transport, d.viaHep], ['192.168.1.1', 5080, '192.168.1.2', 5090, 'TCP', true]);
  assert.equal(d.ts, 1_500_000_000_123_456_000n);
  assert.equal(d.payload.toString(), msg.toString());
  assert.equal(d.fileOffset, 14 + 20 + 8 + hepV3(msg).length - msg.length);
});

test('HEP3 with IPv6 addresses and vendor chunks', () => {
  const v6 = hep3(
    hep3Chunk(5, ip6Bytes('2001:db8::5')),
    hep3Chunk(6, ip6Bytes('2001:db8::6')),
    cat([0, 0x21], u16(99), u16(8), [1, 2]),
    hep3Chunk(15, msg),
  );
  const d = new Collector().push(1, ethUdp(v6)).datagrams[0];
  assert.deepEqual([d.src, d.dst, d.transport], ['2001:db8::5', '2001:db8::6', 'UDP']);
});

test('compressed HEP3 payloads are inflated (chunk 0x10, or gzip/zlib magic)', () => {
  for (const packet of [hepV3(deflateSync(msg), 16), hepV3(gzipSync(msg)), hepV3(deflateSync(msg))]) {
    const d = new Collector().push(1, ethUdp(packet)).datagrams[0];
    assert.equal(d.payload.toString(), msg.toString());
    assert.equal(d.fileOffset, -1);
  }
  const c = new Collector().push(1, ethUdp(hepV3(Buffer.from('not deflate at all'), 16)));
  assert.deepEqual(c.skips(), { 'hep-compressed': 1 });
});

test('malformed HEP3 is skipped with a reason', () => {
  const good = hepV3(msg);
  const badChunk = Buffer.from(good);
  badChunk.writeUInt16BE(3, 10);
  const c = new Collector()
    .push(1, ethUdp(good.subarray(0, 40)))
    .push(1, ethUdp(badChunk))
    .push(1, ethUdp(hep3(hep3Chunk(3, [1, 2, 3, 4]))));
  assert.deepEqual(c.skips(), { 'hep-truncated': 1, 'hep-bad-chunk': 1, 'hep-no-payload': 1 });
});

test('HEPv2: fixed header, IPv4 addresses and little-endian time', () => {
  const v2 = cat([2, 16, 2, 17], u16(5060), u16(5070), [10, 1, 1, 1, 10, 1, 1, 2], [0x10, 0, 0, 0, 0x20, 0, 0, 0, 1, 0, 0, 0], msg);
  const d = new Collector().push(1, ethUdp(v2, '127.0.0.1', '127.0.0.1', 1000, 9060)).datagrams[0];
  assert.deepEqual([d.src, d.sport, d.dst, d.dport, d.viaHep], ['10.1.1.1', 5060, '10.1.1.2', 5070, true]);
  assert.equal(d.ts, 16_000_000_000n + 32_000n);
  assert.equal(d.payload.toString(), msg.toString());
});

test('HEP3 packets on a TCP stream are framed by their length', () => {
  const ok = sip(OK);
  const stream = cat(hepV3(msg), hepV3(ok));
  const c = new Collector().push(1, ethTcp(1, stream.subarray(0, 50), undefined, '10.0.0.1', '10.0.0.2', 40000, 9061)).push(1, ethTcp(51, stream.subarray(50), undefined, '10.0.0.1', '10.0.0.2', 40000, 9061));
  assert.deepEqual(c.payloads, [msg, ok].map((m) => m.toString('latin1')));
  assert.ok(c.datagrams.every((d) => d.viaHep === true && d.src === '192.168.1.1'));
});

test('JSON RTCP reports (HEP type 5, heplify form) become the SR or RR they describe; anything else is not a report', () => {
  const sr = rtcpFromJson(JSON.stringify({
    type: 200, ssrc: '3535621694', sender_information: { ntp_timestamp_sec: 1, ntp_timestamp_usec: 2, rtp_timestamp: 3, packets: 4, octets: 5 },
    report_blocks: [{ source_ssrc: 7, fraction_lost: 12, packets_lost: -2, highest_seq_no: 9, ia_jitter: 10.7, lsr: 11, dlsr: 12 }],
  }))!;
  assert.equal(sr.toString('hex'), [
    '81c8000c', 'd2bd4e3e', '00000001', '00000002', '00000003', '00000004', '00000005',
    '00000007', '0cfffffe', '00000009', '0000000a', '0000000b', '0000000c',
  ].join(''));
  assert.deepEqual([...rtcpFromJson('{"type":201,"ssrc":1}')!], [0x80, 201, 0, 1, 0, 0, 0, 1]);
  for (const bad of ['not json', '[]', '{"type":202,"ssrc":1}', '{"type":200,"ssrc":1}', '{"type":201}', '{"type":201,"ssrc":-1}', 'null']) {
    assert.equal(rtcpFromJson(bad), undefined, bad);
  }
});
