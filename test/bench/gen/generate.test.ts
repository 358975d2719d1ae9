import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateCapture, type CaptureMeta } from './generate.js';

interface Packet {
  tsMicros: number;
  ipHeader: Buffer;
  udpLength: number;
  payload: string;
}

/** Just enough of a classic pcap reader to check the generator's framing. */
function readPcap(file: Buffer): Packet[] {
  assert.equal(file.readUInt32LE(0), 0xa1b2c3d4);
  assert.equal(file.readUInt32LE(20), 1, 'LINKTYPE_ETHERNET');
  const packets: Packet[] = [];
  for (let at = 24; at < file.length;) {
    const length = file.readUInt32LE(at + 8);
    const frame = file.subarray(at + 16, at + 16 + length);
    assert.equal(frame.readUInt16BE(12), 0x0800);
    assert.equal(frame[23], 17, 'UDP');
    packets.push({
      tsMicros: file.readUInt32LE(at) * 1e6 + file.readUInt32LE(at + 4),
      ipHeader: frame.subarray(14, 34),
      udpLength: frame.readUInt16BE(38),
      payload: frame.subarray(42).toString('latin1'),
    });
    at += 16 + length;
  }
  return packets;
}

function header(payload: string, name: string): string {
  return new RegExp(`^${name}: (.*)$`, 'm').exec(payload)?.[1] ?? '';
}

function ipChecksumOk(ip: Buffer): boolean {
  let sum = 0;
  for (let i = 0; i < 20; i += 2) sum += ip.readUInt16BE(i);
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
  return sum === 0xffff;
}

const dir = mkdtempSync(join(tmpdir(), 'sipscope-bench-'));
const path = join(dir, 'small.pcap');
let meta: CaptureMeta;
let file: Buffer;
let packets: Packet[];

test.before(() => {
  meta = generateCapture(path, { dialogs: 400, seed: 7 });
  file = readFileSync(path);
  packets = readPcap(file);
});
test.after(() => rmSync(dir, { recursive: true, force: true }));

test('the summary matches what was written', () => {
  assert.equal(file.length, meta.bytes);
  assert.equal(packets.length, meta.messages);
  assert.equal(new Set(packets.map((p) => header(p.payload, 'Call-ID'))).size, meta.dialogs);
  assert.equal(Object.values(meta.states).reduce((a, b) => a + b, 0), meta.dialogs);
});

test('frames are well-formed and in time order', () => {
  let previous = 0;
  for (const p of packets) {
    assert.ok(p.tsMicros >= previous, 'timestamps never go back');
    previous = p.tsMicros;
    assert.ok(ipChecksumOk(p.ipHeader));
    assert.equal(p.ipHeader.readUInt16BE(2), 20 + p.udpLength);
    assert.equal(p.udpLength, 8 + p.payload.length);
  }
});

test('every message is complete SIP with a correct Content-Length', () => {
  for (const p of packets) {
    const split = p.payload.indexOf('\r\n\r\n');
    assert.ok(split > 0);
    assert.match(p.payload, /^(?:[A-Z]+ sip:\S+ SIP\/2\.0|SIP\/2\.0 \d{3} [A-Za-z ]+)\r\n/);
    assert.equal(Number(header(p.payload, 'Content-Length').trim()), p.payload.length - split - 4);
    assert.match(header(p.payload, 'Via'), /^SIP\/2\.0\/UDP [\d.]+:\d+;branch=z9hG4bK\w+/);
    assert.match(header(p.payload, 'CSeq'), /^\d+ [A-Z]+\r?$/);
  }
});

test('unanswered INVITEs are retransmitted byte for byte on timer A', () => {
  const byCallId = new Map<string, Packet[]>();
  for (const p of packets) {
    const id = header(p.payload, 'Call-ID');
    byCallId.set(id, [...(byCallId.get(id) ?? []), p]);
  }
  const unanswered = [...byCallId.values()].filter((ps) => ps.length === 7 && ps.every((p) => p.payload.startsWith('INVITE ')));
  assert.equal(unanswered.length, meta.states['CALL SETUP']);
  for (const ps of unanswered) {
    assert.ok(ps.every((p) => p.payload === ps[0]!.payload));
    assert.deepEqual(ps.map((p) => (p.tsMicros - ps[0]!.tsMicros) / 1e6), [0, 0.5, 1.5, 3.5, 7.5, 15.5, 31.5]);
  }
});

test('B2BUA legs point at their A-leg through X-Call-ID', () => {
  const callIds = new Set(packets.map((p) => header(p.payload, 'Call-ID')));
  const links = packets.map((p) => header(p.payload, 'X-Call-ID')).filter(Boolean);
  assert.ok(links.length > 0);
  for (const link of links) assert.ok(callIds.has(link));
});

test('the same seed gives the same bytes', () => {
  const again = join(dir, 'again.pcap');
  generateCapture(again, { dialogs: 400, seed: 7 });
  assert.ok(readFileSync(again).equals(file));
});
