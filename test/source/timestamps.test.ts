import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openFile } from '../../src/source/file-source.js';
import { block, classicPcap, collect, interfaceBlock, option, packetBlock, sectionHeader, simplePacketBlock, writeTmp } from './captures.js';

const SEC = 1_700_000_000;
const SEC_NS = 1_700_000_000_000_000_000n;

test('big-endian classic pcap, microsecond and nanosecond', async () => {
  for (const nanosecond of [false, true]) {
    const records = [
      { sec: SEC, frac: nanosecond ? 123_456_789 : 123_456, data: Buffer.from('first') },
      { sec: SEC + 1, frac: nanosecond ? 999_999_999 : 999_999, data: Buffer.from('second!') },
    ];
    const file = writeTmp(`be-${nanosecond}.pcap`, classicPcap({ le: false, nanosecond, linktype: 101 }, records));
    const { frames, end } = await collect(openFile(file));
    assert.equal(end.frames, 2);
    const expected = nanosecond ? [SEC_NS + 123_456_789n, SEC_NS + 1_999_999_999n] : [SEC_NS + 123_456_000n, SEC_NS + 1_999_999_000n];
    assert.deepEqual(frames.map((f) => f.ts), expected);
    assert.deepEqual(frames.map((f) => [f.linktype, f.data.toString(), f.origLen, f.fileOffset]), [
      [101, 'first', 5, 40],
      [101, 'second!', 7, 40 + 5 + 16],
    ]);
  }
});

test('pcapng: time units per interface, offsets, SPB, obsolete PB, sections of both byte orders', async () => {
  const le = true;
  const tsresol = (v: number, order: boolean): Buffer => option(9, Buffer.from([v]), order);
  const tsoffset = (seconds: bigint, order: boolean): Buffer => {
    const b = Buffer.alloc(8);
    if (order) b.writeBigInt64LE(seconds);
    else b.writeBigInt64BE(seconds);
    return option(14, b, order);
  };
  const capture = Buffer.concat([
    sectionHeader(le),
    interfaceBlock(1, le, [tsresol(0x80 | 20, le)]), // 2^-20 s
    block(4, Buffer.alloc(8), le), // a Name Resolution Block: skipped
    interfaceBlock(113, le, [option(2, Buffer.from('eth0'), le), tsresol(3, le), tsoffset(SEC_NS / 1_000_000_000n, le)]),
    packetBlock(6, 0, (BigInt(SEC) << 20n) + (1n << 19n), Buffer.from('half a second'), le),
    packetBlock(6, 1, 250n, Buffer.from('ms with offset'), le),
    simplePacketBlock(Buffer.from('no time'), le),
    packetBlock(2, 1, 1n, Buffer.from('obsolete'), le),
    block(0x40000bad, Buffer.from('custom'), le),
    sectionHeader(!le),
    interfaceBlock(228, !le), // default unit: microseconds
    packetBlock(6, 0, BigInt(SEC) * 1_000_000n + 7n, Buffer.from('big-endian'), !le),
  ]);
  const { frames, end } = await collect(openFile(writeTmp('units.pcapng', capture)));
  assert.equal(end.frames, 5);
  assert.deepEqual(
    frames.map((f) => [f.index, f.linktype, f.data.toString(), f.ts]),
    [
      [1, 1, 'half a second', SEC_NS + 500_000_000n],
      [2, 113, 'ms with offset', SEC_NS + 250_000_000n],
      [3, 1, 'no time', SEC_NS + 250_000_000n],
      [4, 113, 'obsolete', SEC_NS + 1_000_000n],
      [5, 228, 'big-endian', SEC_NS + 7_000n],
    ],
  );
  assert.deepEqual(frames.map((f) => f.origLen), [17, 18, 7, 12, 14]);
  for (const f of frames) assert.equal(capture.toString('latin1', f.fileOffset, f.fileOffset + f.data.length), f.data.toString());
});

test('pcapng: a packet for an interface never described is corrupt', async () => {
  const capture = Buffer.concat([sectionHeader(true), interfaceBlock(1, true), packetBlock(6, 0, 0n, Buffer.from('ok'), true), packetBlock(6, 3, 0n, Buffer.from('x'), true)]);
  const file = writeTmp('no-iface.pcapng', capture);
  const { end } = await collect(openFile(file));
  assert.equal(end.frames, 1);
  assert.match(end.truncated!, /corrupt record at offset \d+ \(packet block for undefined interface 3\)/);
});
