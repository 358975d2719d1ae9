// The decoding thread's records (cli/decoded-records.ts) written and read in one thread: what the
// reader hands on is what the writer was given, and the keys it gives Call-IDs and other texts
// name them faithfully across the writer's renumbering.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DatagramRecordReader, DatagramRecordWriter, type DecodedSink } from '../../src/cli/decoded-records.js';
import type { Datagram } from '../../src/model/datagram.js';
import { newRing, RingReader, RingWriter } from '../../src/source/ring.js';
import type { SipScan } from '../../src/sip/message.js';
import { MAX_TEXT_KEY, type TextKeys } from '../../src/store/string-table.js';

const message = (callId: string, method: string): Buffer =>
  Buffer.from(`${method} sip:bob@example.com SIP/2.0\r\nCall-ID: ${callId}\r\nCSeq: 1 ${method}\r\nFrom: <sip:alice@example.com>;tag=1\r\nTo: <sip:bob@example.com>\r\nContent-Length: 0\r\n\r\n`, 'latin1');

test('Call-IDs and recurring texts arrive with keys that name them, past the writer numbering them again', () => {
  const ring = newRing(1 << 20);
  const writer = new DatagramRecordWriter(new RingWriter(ring, false), () => {});
  const reader = new RingReader(ring);
  const got: { callId: string; method: string; src: string; keys: TextKeys }[] = [];
  const sink: DecodedSink = {
    frames: () => {},
    udp: () => false,
    skip: () => assert.fail('nothing is skipped'),
    event: () => {},
    datagram: (d, _inFrame, scan, _names, _places, _hash, keys) => {
      const s = scan as SipScan;
      got.push({ callId: s.callId, method: s.method, src: d.src, keys: { ...keys } });
    },
  };
  const records = new DatagramRecordReader(sink);
  // More Call-IDs than the writer numbers before it starts again, each Call-ID twice, close together.
  const calls = MAX_TEXT_KEY + 100;
  const sent: string[] = [];
  for (let k = 0; k < calls; k++) {
    for (const method of ['INVITE', 'ACK']) {
      const callId = `call-${k}@example.com`;
      const d: Datagram = {
        frame: k, ts: BigInt(k), src: `10.0.${k & 1}.1`, sport: 5060, dst: '10.0.0.2', dport: 5060, transport: 'UDP', payload: message(callId, method), fileOffset: -1,
      };
      writer.datagram(d);
      sent.push(callId);
      reader.drain(16, records.each);
    }
  }
  assert.equal(got.length, sent.length);
  const byKey = new Map<number, string>();
  const methods = new Map<number, string>();
  for (let i = 0; i < got.length; i++) {
    const g = got[i]!;
    assert.equal(g.callId, sent[i], `message ${i}`);
    assert.ok(g.keys.callId >= 0 && g.keys.callId < MAX_TEXT_KEY);
    // The second message of a call names the first one's key, and the same string.
    if (i % 2 === 1) {
      assert.equal(g.keys.callId, got[i - 1]!.keys.callId);
      assert.ok(Object.is(g.callId, got[i - 1]!.callId));
    }
    byKey.set(g.keys.callId, g.callId);
    const known = methods.get(g.keys.method);
    if (known !== undefined) assert.equal(known, g.method);
    methods.set(g.keys.method, g.method);
    assert.ok(g.keys.src >= 0);
  }
  // Keys were given again once the numbering was full.
  assert.ok(byKey.size < calls);
});

test('a carrier frame arrives as where it lies in the ring (raw) and as the same bytes and time when read whole', () => {
  const ring = newRing(1 << 16);
  const writer = new DatagramRecordWriter(new RingWriter(ring, false), () => {});
  const reader = new RingReader(ring);
  const payload = message('carried@example.com', 'INVITE');
  const frameData = Buffer.concat([Buffer.alloc(42, 7), payload]);
  const seen: { data: Buffer; raw: Buffer; sec: number; nsec: number; ts: bigint }[] = [];
  const records = new DatagramRecordReader({
    frames: () => {}, udp: () => false, skip: () => assert.fail('nothing is skipped'), event: () => {},
    datagram: (d) => {
      const f = d.carrier!;
      const r = f.raw!;
      seen.push({ data: Buffer.from(f.data), raw: Buffer.from(r.bytes.subarray(r.start, r.end)), sec: r.sec, nsec: r.nsec, ts: f.ts });
    },
  });
  // After 1970, and before it (seconds round down, nanoseconds stay within the second).
  for (const ts of [1_700_000_000_123_456_789n, -1_500_000_001n]) {
    const carrier = { index: 1, ts, linktype: 1, data: frameData, origLen: frameData.length, fileOffset: 100 };
    writer.datagram({
      frame: 1, ts, src: '10.0.0.1', sport: 5060, dst: '10.0.0.2', dport: 5060, transport: 'UDP', payload: frameData.subarray(42), fileOffset: 142, carrier,
    });
    reader.drain(16, records.each);
  }
  assert.equal(seen.length, 2);
  for (const s of seen) {
    assert.deepEqual(s.data, frameData);
    assert.deepEqual(s.raw, frameData);
    assert.equal(BigInt(s.sec) * 1_000_000_000n + BigInt(s.nsec), s.ts);
    assert.ok(s.nsec >= 0 && s.nsec < 1_000_000_000);
  }
  assert.equal(seen[1]!.sec, -2);
});

test('a payload and its frame arrive byte for byte wherever their source bytes lie (the copy is aligned to them)', () => {
  const ring = newRing(1 << 20);
  const writer = new DatagramRecordWriter(new RingWriter(ring, false), () => {});
  const reader = new RingReader(ring);
  const got: { payload: string; frame: string }[] = [];
  const sink: DecodedSink = {
    frames: () => {}, udp: () => false, skip: () => assert.fail('nothing is skipped'), event: () => {},
    datagram: (d) => got.push({ payload: d.payload.toString('latin1'), frame: d.carrier?.data.toString('latin1') ?? '' }),
  };
  const records = new DatagramRecordReader(sink);
  const sent: { payload: string; frame: string }[] = [];
  const chunk = Buffer.alloc(4096);
  for (let shift = 0; shift < 16; shift++) {
    const payload = message(`call-${shift}@example.com`, 'INVITE');
    const frame = chunk.subarray(shift, shift + 42 + payload.length);
    frame.fill(shift, 0, 42);
    payload.copy(frame, 42);
    writer.datagram({
      frame: shift, ts: 0n, src: '10.0.0.1', sport: 5060, dst: `10.0.0.${shift}`, dport: 5060, transport: 'UDP', payload: frame.subarray(42), fileOffset: -1,
      carrier: { index: shift, ts: 0n, linktype: 1, data: frame, origLen: frame.length, fileOffset: -1 },
    });
    sent.push({ payload: payload.toString('latin1'), frame: frame.toString('latin1') });
    reader.drain(16, records.each);
  }
  assert.deepEqual(got, sent);
});
