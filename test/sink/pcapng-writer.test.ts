import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PcapngWriter } from '../../src/sink/pcapng-writer.js';
import { openFile } from '../../src/source/file-source.js';
import { collect, samplePath, tmpPath, type KeptFrame } from '../source/captures.js';

const essentials = (frames: KeptFrame[]): unknown[] => frames.map((f) => [f.ts, f.linktype, f.data, f.origLen]);

test('round trip with mixed link types and nanoseconds, valid after every write', async () => {
  const ethernet = (await collect(openFile(samplePath('sipnab/sipp-branch-scenario.pcapng')))).frames.slice(0, 300);
  const cooked = (await collect(openFile(samplePath('sngrep/ipv6frag.pcap')))).frames;
  const raw = (await collect(openFile(samplePath('heplify/ipip0.pcap')))).frames;
  const mixed = [...ethernet.slice(0, 100), ...cooked, ...ethernet.slice(100), ...raw];
  const file = tmpPath('mixed.pcapng');
  const writer = PcapngWriter.open(file, 1);
  for (const [i, frame] of mixed.entries()) {
    writer.write(frame);
    if (i % 53 === 0 || i === 100) assert.deepEqual((await collect(openFile(file))).end, { frames: i + 1 });
  }
  writer.close();
  assert.equal(writer.packets, mixed.length);
  assert.equal(writer.error, undefined);
  const back = (await collect(openFile(file))).frames;
  assert.deepEqual(essentials(back), essentials(mixed));
  assert.deepEqual([...new Set(back.map((f) => f.linktype))], [1, 113, 101]);
});

test('frames without a link type use the one given at open; snaplen cuts data', async () => {
  const file = tmpPath('default-type.pcapng');
  const writer = PcapngWriter.open(file, 228, { snaplen: 4 });
  writer.write({ ts: 1_700_000_000_123_456_789n, data: Buffer.from('abcdefgh'), origLen: 8 });
  writer.close();
  const [frame] = (await collect(openFile(file))).frames;
  assert.deepEqual([frame!.ts, frame!.linktype, frame!.data.toString(), frame!.origLen], [1_700_000_000_123_456_789n, 228, 'abcd', 8]);
});
