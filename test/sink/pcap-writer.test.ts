import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import { InputError } from '../../src/model/errors.js';
import { PcapWriter } from '../../src/sink/pcap-writer.js';
import { openFile } from '../../src/source/file-source.js';
import { collect, samplePath, tmpPath, type KeptFrame } from '../source/captures.js';

const essentials = (frames: KeptFrame[]): unknown[] => frames.map((f) => [f.ts, f.linktype, f.data, f.origLen]);

test('round trip: what is written reads back the same, and the file is valid after every write', async () => {
  const { frames } = await collect(openFile(samplePath('sngrep/aaa.pcap')));
  const file = tmpPath('round-trip.pcap');
  const writer = PcapWriter.open(file, 1);
  assert.equal(writer.path, file);
  for (const [i, frame] of frames.entries()) {
    writer.write(frame);
    if (i % 97 === 0) {
      const midway = await collect(openFile(file));
      assert.deepEqual(midway.end, { frames: i + 1 });
    }
  }
  writer.close();
  assert.equal(writer.packets, frames.length);
  assert.equal(writer.error, undefined);
  assert.deepEqual(essentials((await collect(openFile(file))).frames), essentials(frames));
});

test('nanosecond files keep nanoseconds; snaplen cuts the data but keeps the wire length', async () => {
  const { frames } = await collect(openFile(samplePath('sipnab/sipp-branch-scenario.pcapng')));
  const file = tmpPath('nano.pcap');
  const writer = PcapWriter.open(file, 1, { nanosecond: true, snaplen: 64 });
  for (const frame of frames.slice(0, 50)) writer.write(frame);
  writer.close();
  const back = (await collect(openFile(file))).frames;
  assert.deepEqual(
    back.map((f) => [f.ts, f.data, f.origLen]),
    frames.slice(0, 50).map((f) => [f.ts, f.data.subarray(0, 64), f.origLen]),
  );
  assert.ok(back.some((f) => f.ts % 1000n !== 0n));
});

test('a pcap holds one link type: frames of another are refused and counted', () => {
  const writer = PcapWriter.open(tmpPath('one-type.pcap'), 1);
  writer.write({ ts: 0n, data: Buffer.from('eth'), origLen: 3, linktype: 1 });
  writer.write({ ts: 0n, data: Buffer.from('sll'), origLen: 3, linktype: 113 });
  writer.write({ ts: 0n, data: Buffer.from('default'), origLen: 7 });
  writer.close();
  assert.equal(writer.packets, 2);
  assert.equal(writer.refused, 1);
});

test('a file that cannot be created is an InputError', () => {
  const file = tmpPath('no-such-dir/out.pcap');
  assert.throws(() => PcapWriter.open(file, 1), new InputError(`cannot write ${file}: no such file or directory`));
  if (fs.existsSync('/dev/full')) {
    assert.throws(() => PcapWriter.open('/dev/full', 1), new InputError('cannot write /dev/full: no space left on device'));
  }
});

test('a write failure stops writing without throwing and leaves a valid file', async () => {
  // A child with a 4 KiB file-size limit (and SIGXFSZ ignored) hits EFBIG part-way through a record.
  const file = tmpPath('limited.pcap');
  const writerModule = new URL('../../src/sink/pcap-writer.js', import.meta.url).href;
  const script = `
    import { PcapWriter } from ${JSON.stringify(writerModule)};
    process.on('SIGXFSZ', () => {});
    const w = PcapWriter.open(${JSON.stringify(file)}, 1);
    for (let i = 0; i < 100; i++) w.write({ ts: BigInt(i) * 1000000000n, data: Buffer.alloc(300, i), origLen: 300 });
    w.close();
    console.log(JSON.stringify({ packets: w.packets, error: w.error }));`;
  const out = execFileSync('sh', ['-c', 'ulimit -f 8 && exec "$0" --input-type=module -e "$1"', process.execPath, script], { encoding: 'utf8' });
  const { packets, error } = JSON.parse(out) as { packets: number; error: string };
  assert.equal(error, `cannot write ${file}: file too large`);
  assert.ok(packets > 0 && packets < 100);
  assert.equal(fs.statSync(file).size, 24 + packets * 316);
  assert.deepEqual((await collect(openFile(file))).end, { frames: packets });
});
