import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { InputError } from '../../src/model/errors.js';
import { openFile } from '../../src/source/file-source.js';
import { collect, readTsv, samplePath, tmpPath, writeTmp } from './captures.js';
import { REPO } from '../support/cli.js';
import { waitFor } from '../support/ports.js';

const manifest = readTsv('MANIFEST.tsv');
const READABLE = new Set(['pcap', 'pcapng']);

for (const row of manifest.filter((r) => READABLE.has(r['file_format']!))) {
  test(`${row['local_path']} gives ${row['packets']} frames`, async () => {
    const source = openFile(samplePath(row['local_path']!));
    try {
      let frames = 0;
      const end = await source.start({ frame: (f) => assert.equal(f.index, ++frames) });
      assert.equal(end.frames, Number(row['packets']));
      assert.equal(frames, end.frames);
      assert.equal(end.truncated, undefined);
    } finally {
      source.release!();
    }
  });
}

for (const row of readTsv('EXPECTED.tsv').filter((r) => r['expect'] === 'error')) {
  const format = manifest.find((m) => m['local_path'] === row['file'])!['file_format'];
  const named: Record<string, RegExp> = { netmon2: /Network Monitor 2\.x/, ngwsniffer_1_1: /Sniffer \(Windows\)/, dct2000: /DCT2000/ };
  test(`${row['file']} is rejected naming its format`, async () => {
    const file = samplePath(row['file']!);
    await assert.rejects(openFile(file).start({ frame: () => {} }), (err: Error) => {
      assert.ok(err instanceof InputError);
      assert.ok(!err.message.includes('\n'));
      assert.ok(err.message.startsWith(`${file}: not a pcap or pcapng file`), err.message);
      assert.match(err.message, named[format!]!);
      assert.match(err.message, /editcap -F pcap/);
      return true;
    });
  });
}

async function rejection(file: string): Promise<string> {
  try {
    await openFile(file).start({ frame: () => {} });
  } catch (err) {
    assert.ok(err instanceof InputError);
    assert.ok(!err.message.includes('\n'));
    return err.message;
  }
  assert.fail('start() resolved');
}

test('unopenable and unreadable inputs reject with one line', async () => {
  const missing = tmpPath('does-not-exist.pcap');
  assert.equal(await rejection(missing), `cannot open ${missing}: no such file or directory`);
  const dir = tmpPath('a-directory');
  fs.mkdirSync(dir);
  assert.equal(await rejection(dir), `cannot open ${dir}: is a directory`);
  const empty = writeTmp('empty.pcap', Buffer.alloc(0));
  assert.equal(await rejection(empty), `${empty}: empty file`);
  const text = writeTmp('notes.txt', Buffer.from('INVITE sip:bob@example.com SIP/2.0\r\nVia: x\r\n'));
  assert.equal(await rejection(text), `${text}: not a pcap or pcapng file (plain text)`);
  const snoop = writeTmp('x.snoop', Buffer.concat([Buffer.from('snoop\0\0\0'), Buffer.alloc(600, 1)]));
  assert.match(await rejection(snoop), /\(Solaris snoop capture\); convert it with: editcap -F pcap .*x\.snoop out\.pcap$/);
  const binary = writeTmp('x.bin', Buffer.alloc(600, 0xee));
  assert.match(await rejection(binary), /not a pcap or pcapng file \(unknown binary data starting eeeeeeee\)$/);
  const erf = Buffer.alloc(64);
  erf.writeUInt32LE(1_700_000_000, 4);
  erf[8] = 2; // TYPE_ETH
  erf.writeUInt16BE(64, 10);
  assert.match(await rejection(writeTmp('x.erf', erf)), /\(probably an Endace ERF capture\)/);
});

test('permission denied is named', { skip: process.getuid?.() === 0 && 'root reads anything' }, async () => {
  const locked = writeTmp('locked.pcap', fs.readFileSync(samplePath('sngrep/aaa.pcap')));
  fs.chmodSync(locked, 0);
  assert.equal(await rejection(locked), `cannot open ${locked}: permission denied`);
});

test('frames point at their bytes in the file, readable with readAt until release()', async () => {
  for (const name of ['sngrep/aaa.pcap', 'sipnab/sip-routing-error.pcapng']) {
    const source = openFile(samplePath(name));
    const { frames } = await collect(source);
    source.stop();
    for (const f of frames) assert.deepEqual(source.readAt!(f.fileOffset, f.data.length), f.data);
    source.release!();
    assert.throws(() => source.readAt!(0, 4));
  }
});

test('a file stopped in the middle of its reading (a signal) still serves readAt, until release()', async () => {
  const source = openFile(`${REPO}/test/fixtures/sample.pcap`);
  const offsets: [number, number][] = [];
  let held = false;
  let release!: () => void;
  const ended = source.start({
    frame: (f) => void offsets.push([f.fileOffset, f.data.length]),
    backlog: () => {
      held = true;
      return new Promise<void>((r) => (release = r));
    },
  });
  await waitFor('the source to be held', () => held);
  source.stop();
  release();
  const end = await ended;
  assert.ok(end.frames >= 1 && end.frames === offsets.length, String(end.frames));
  for (const [offset, length] of offsets) assert.equal(source.readAt!(offset, length).length, length);
  source.release!();
  assert.throws(() => source.readAt!(0, 4));
});

test('gzip-compressed captures stream without offsets or readAt', async () => {
  const source = openFile(samplePath('wswiki/h223-over-rtp.pcap.gz'));
  assert.equal(source.readAt, undefined);
  const { frames, end } = await collect(source);
  assert.equal(end.frames, 776);
  assert.ok(frames.every((f) => f.fileOffset === -1));
});

test('progress is reported with the file size', async () => {
  const file = samplePath('sipnab/sipp-branch-scenario.pcapng');
  const reports: [number, number][] = [];
  await openFile(file).start({ frame: () => {}, progress: (read, total) => reports.push([read, total]) });
  const size = fs.statSync(file).size;
  assert.deepEqual(reports.at(-1), [size, size]);
});

/** A copy of a sample whose last record (a packet) is cut short by `cut` bytes, and the facts about that record. */
async function truncatedCopy(source: string, cut: number): Promise<{ file: string; full: number; lastAt: number; lastSize: number }> {
  const bytes = fs.readFileSync(samplePath(source));
  const { frames } = await collect(openFile(samplePath(source)));
  const last = frames.at(-1)!;
  const headerSize = source.endsWith('.pcapng') ? 28 : 16;
  const lastAt = last.fileOffset - headerSize;
  const file = writeTmp(`cut-${cut}-${source.replace('/', '-')}`, bytes.subarray(0, bytes.length - cut));
  return { file, full: frames.length, lastAt, lastSize: bytes.length - lastAt };
}

test('a truncated last record: everything before it is delivered and the cut reported', async () => {
  for (const [sample, cut] of [['sngrep/aaa.pcap', 10], ['sngrep/aaa.pcap', 80], ['sipnab/b2bua-asterisk.pcapng', 5]] as const) {
    const { file, full, lastAt, lastSize } = await truncatedCopy(sample, cut);
    const { end } = await collect(openFile(file));
    assert.equal(end.frames, full - 1);
    assert.equal(end.truncated, `${file}: last record at offset ${lastAt} is truncated (${lastSize - cut} of ${lastSize} bytes)`);
  }
  // Cut inside the record header, the record's size is unknown: the header's is given.
  const { file, lastAt, lastSize } = await truncatedCopy('sngrep/aaa.pcap', 90);
  assert.equal((await collect(openFile(file))).end.truncated, `${file}: last record at offset ${lastAt} is truncated (${lastSize - 90} of 16 bytes)`);
});

test('a record with an absurd length stops reading there', async () => {
  const bytes = Buffer.from(fs.readFileSync(samplePath('sngrep/aaa.pcap')));
  const { frames } = await collect(openFile(samplePath('sngrep/aaa.pcap')));
  const third = frames[2]!.fileOffset - 16;
  bytes.writeUInt32LE(0x10000000, third + 8);
  const file = writeTmp('absurd.pcap', bytes);
  const { end } = await collect(openFile(file));
  assert.equal(end.frames, 2);
  assert.equal(end.truncated, `${file}: corrupt record at offset ${third} (captured length 268435456 exceeds 262144); reading stopped there`);

  bytes.writeUInt32LE(0x10000000, 24 + 8);
  assert.match(await rejection(writeTmp('absurd-first.pcap', bytes)), /corrupt record at offset 24 /);
});

test('a pcapng block with a bad length stops reading there', async () => {
  const bytes = Buffer.from(fs.readFileSync(samplePath('sipnab/sip-auth-failure.pcapng')));
  const { frames } = await collect(openFile(samplePath('sipnab/sip-auth-failure.pcapng')));
  const fifth = frames[4]!.fileOffset - 28;
  bytes.writeUInt32LE(13, fifth + 4);
  const file = writeTmp('bad-block.pcapng', bytes);
  const { end } = await collect(openFile(file));
  assert.equal(end.frames, 4);
  assert.equal(end.truncated, `${file}: corrupt record at offset ${fifth} (block length 13); reading stopped there`);
});

test('a pcap of only its header has no frames and no warning', async () => {
  const header = fs.readFileSync(samplePath('sngrep/aaa.pcap')).subarray(0, 24);
  assert.deepEqual((await collect(openFile(writeTmp('header-only.pcap', header)))).end, { frames: 0 });
});

test('a cut-off gzip delivers what it could decompress and says so', async () => {
  const gz = fs.readFileSync(samplePath('wswiki/h223-over-rtp.pcap.gz'));
  const file = writeTmp('half.pcap.gz', gz.subarray(0, gz.length >> 1));
  const { end } = await collect(openFile(file));
  assert.ok(end.frames > 100 && end.frames < 776, String(end.frames));
  assert.match(end.truncated!, /^.*half\.pcap\.gz: gzip data is truncated or corrupt after \d+ bytes \(unexpected end of file\)$/);
});

test('a sink that is backed up holds a file source at its next check, until the sink can take more', async () => {
  const source = openFile(`${REPO}/test/fixtures/sample.pcap`);
  let frames = 0;
  let asked = false;
  let release!: () => void;
  let held: Promise<void> | undefined = new Promise<void>((r) => (release = r));
  const ended = source.start({
    frame: () => void frames++,
    // Backed up from the first check on; once released, never again.
    backlog: () => {
      asked = true;
      return held;
    },
  });
  await waitFor('the source to ask', () => asked);
  const framesWhenHeld = frames;
  // Many turns of the event loop: a held source reads nothing more.
  for (let i = 0; i < 50; i++) await new Promise((r) => setImmediate(r));
  assert.equal(frames, framesWhenHeld, 'no frame while the sink is backed up');
  assert.ok(framesWhenHeld <= 1, 'held at the first check');
  held = undefined;
  release();
  const end = await ended;
  source.release!();
  assert.ok(end.frames > framesWhenHeld, 'read on after the release');
  assert.equal(frames, end.frames);
});
