import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { PassThrough, Readable } from 'node:stream';
import { InputError } from '../../src/model/errors.js';
import { openFile } from '../../src/source/file-source.js';
import { openStdin } from '../../src/source/stdin-source.js';
import { collect, samplePath, type KeptFrame } from './captures.js';

function inPieces(bytes: Buffer, size: number): Readable {
  return Readable.from(
    (function* () {
      for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
    })(),
  );
}

const withoutOffset = (frames: KeptFrame[]): KeptFrame[] => frames.map((f) => ({ ...f, fileOffset: -1 }));

test('a stream delivering one byte at a time gives the same frames as the file', async () => {
  // gzip gets odd-sized pieces: zlib costs ~50 µs per write, which adds up over single bytes.
  const samples = [['heplify/sip_ipv4_tcp.pcap', 1], ['sipnab/sip-488-codec-reject.pcapng', 1], ['wswiki/h223-over-rtp.pcap.gz', 97]] as const;
  for (const [name, pieceSize] of samples) {
    const file = samplePath(name);
    const expected = await collect(openFile(file));
    const source = openStdin(inPieces(fs.readFileSync(file), pieceSize));
    assert.equal(source.live, true);
    assert.equal(source.readAt, undefined);
    const streamed = await collect(source);
    assert.deepEqual(streamed.end, expected.end);
    assert.deepEqual(streamed.frames, withoutOffset(expected.frames));
  }
});

test('frames are delivered as soon as their bytes arrive, and stop() ends a stream that stays open', async () => {
  const bytes = fs.readFileSync(samplePath('sngrep/aaa.pcap'));
  const input = new PassThrough();
  const source = openStdin(input);
  const seen: number[] = [];
  let firstFrame!: () => void;
  const arrived = new Promise<void>((resolve) => (firstFrame = resolve));
  const done = source.start({
    frame: (f) => {
      seen.push(f.index);
      firstFrame();
    },
  });
  input.write(bytes.subarray(0, 24 + 16 + 92 + 5)); // the header, frame 1 and a bit of frame 2
  await arrived;
  assert.deepEqual(seen, [1]);
  source.stop();
  assert.deepEqual(await done, { frames: 1 });
});

test('stdin that is not a capture is rejected', async () => {
  const source = openStdin(Readable.from([Buffer.from('hello, this is text and not a capture at all\n')]));
  await assert.rejects(source.start({ frame: () => {} }), new InputError('stdin: not a pcap or pcapng file (plain text)'));
  await assert.rejects(openStdin(Readable.from([])).start({ frame: () => {} }), new InputError('stdin: no data'));
});
