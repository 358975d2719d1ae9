// The decoding thread (cli/decode-thread.ts) must change nothing but speed: on every shared capture,
// the headless JSON, the warnings and a refusal are those of decoding in the main thread.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { Writable } from 'node:stream';
import { join } from 'node:path';
import { parseOptions, withSettings } from '../../src/cli/options.js';
import { defaultSettings } from '../../src/config/settings.js';
import { openInput } from '../../src/cli/open-input.js';
import { Pipeline } from '../../src/cli/pipeline.js';
import { runHeadless } from '../../src/cli/headless.js';
import { decodesOffThread } from '../../src/cli/decode-thread.js';
import { SHARED_PCAPS, requireSharedPcaps } from '../support/shared-pcaps.js';
import { generateRtpCapture } from '../bench/gen/rtp-calls.js';
import { generateCapture } from '../bench/gen/generate.js';

interface Run { out: string; warnings: readonly string[]; error: string; threaded: boolean; frames: number }

function collector(): { stream: Writable; text: () => string } {
  const chunks: string[] = [];
  return { stream: new Writable({ write: (c: Buffer | string, _e, done) => { chunks.push(String(c)); done(); } }), text: () => chunks.join('') };
}

/**
 * `sipscope -N --json -I file` in this process, with the decoding thread or without; with it, the
 * thread takes over after `handOverAt` frames decoded in this thread (the lead-in of a file).
 */
async function headless(file: string, threaded: boolean, handOverAt?: number): Promise<Run> {
  const opts = withSettings(parseOptions(['-N', '--json', '-I', file]), defaultSettings());
  process.env.SIPSCOPE_DECODE_THREAD = threaded ? '1' : '0';
  let pipeline: Pipeline;
  try {
    pipeline = new Pipeline(await openInput(opts), opts, { handOverAt });
  } finally {
    delete process.env.SIPSCOPE_DECODE_THREAD;
  }
  const out = collector();
  const err = collector();
  let error = '';
  try {
    await runHeadless(pipeline, opts, undefined, out.stream, err.stream);
  } catch (e) {
    error = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
  } finally {
    pipeline.close();
  }
  return { out: out.text(), warnings: pipeline.status().warnings, error, threaded: pipeline.decodesOffThread, frames: pipeline.status().frames };
}

const captures = (): string[] => {
  requireSharedPcaps();
  return readFileSync(join(SHARED_PCAPS, 'MANIFEST.tsv'), 'utf8').split('\n').slice(1).filter((l) => l.trim() !== '').map((l) => l.split('\t')[0]!);
};

test('every shared capture gives the same JSON, warnings and errors decoded on a second thread as in the main thread', async () => {
  for (const rel of captures()) {
    const file = join(SHARED_PCAPS, rel);
    const here = await headless(file, false);
    assert.equal(here.threaded, false);
    // From the first frame on, and from the middle on (the frames before decoded here: reassembly carries over).
    for (const at of [1, Math.max(1, here.frames >> 1)]) {
      const there = await headless(file, true, at);
      const what = `${rel}, taken over after frame ${at}`;
      assert.equal(there.threaded, true, `${rel}: a capture file is decoded on the second thread`);
      assert.equal(there.error, here.error, what);
      assert.deepEqual(there.warnings, here.warnings, what);
      assert.equal(there.frames, here.frames, what);
      assert.equal(there.out, here.out, what);
    }
  }
});

test('options that need each frame in the main thread keep decoding there', async () => {
  for (const args of [['-O', '/dev/null'], ['-r'], ['-H', 'udp:127.0.0.1:9']]) {
    const opts = withSettings(parseOptions(['-N', '-I', join(SHARED_PCAPS, 'sngrep/aaa.pcap'), ...args]), defaultSettings());
    process.env.SIPSCOPE_DECODE_THREAD = '1';
    const pipeline = new Pipeline(await openInput(opts), opts);
    delete process.env.SIPSCOPE_DECODE_THREAD;
    assert.equal(pipeline.decodesOffThread, false, args.join(' '));
    pipeline.close();
  }
});

test('the second thread is the default for big files and stdin, for small files with SIPSCOPE_DECODE_THREAD=1, never with =0', () => {
  const small = withSettings(parseOptions(['-N', '-I', join(SHARED_PCAPS, 'sngrep/aaa.pcap')]), defaultSettings());
  const stdin = withSettings(parseOptions(['-N', '-I', '-']), defaultSettings());
  const was = process.env.SIPSCOPE_DECODE_THREAD;
  try {
    delete process.env.SIPSCOPE_DECODE_THREAD;
    assert.equal(decodesOffThread(small), false, 'a small file loads faster than the thread starts');
    assert.equal(decodesOffThread(small, true), true);
    assert.equal(decodesOffThread(stdin), true);
    process.env.SIPSCOPE_DECODE_THREAD = '1';
    assert.equal(decodesOffThread(small), true, 'SIPSCOPE_DECODE_THREAD=1: files of any size');
    process.env.SIPSCOPE_DECODE_THREAD = '0';
    assert.equal(decodesOffThread(small, true), false);
    assert.equal(decodesOffThread(stdin), false);
  } finally {
    if (was === undefined) delete process.env.SIPSCOPE_DECODE_THREAD;
    else process.env.SIPSCOPE_DECODE_THREAD = was;
  }
});

test('closed while this thread still decodes the first frames, a run ends there without reading on', async () => {
  const file = join(SHARED_PCAPS, 'sipnab/sipp-branch-scenario.pcapng');
  const all = await headless(file, false);
  const opts = withSettings(parseOptions(['-N', '--json', '-I', file]), defaultSettings());
  // The thread never takes over: only close() can end the first frames' reading before the file's end.
  const pipeline = new Pipeline(await openInput(opts), opts, { handOverAt: Number.MAX_SAFE_INTEGER });
  assert.equal(pipeline.decodesOffThread, true);
  const running = pipeline.run();
  pipeline.close();
  await running;
  assert.ok(pipeline.status().frames < all.frames, `${pipeline.status().frames} of ${all.frames} frames read after close()`);
});

test('by default a big file full of RTP stays on one thread, a big SIP file moves to the second', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'sipscope-lead-in-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const rtp = join(dir, 'rtp.pcap');
  const sip = join(dir, 'sip.pcap');
  // Both over the 16 MiB the thread waits for: 100k RTP packets among 40 SIP messages; 4,000 dialogs of SIP alone.
  generateRtpCapture(rtp, { calls: 100, seconds: 10 });
  generateCapture(sip, { dialogs: 4000, spanSeconds: 600 });
  for (const [file, threaded] of [[rtp, false], [sip, true]] as const) {
    const opts = withSettings(parseOptions(['-N', '--json', '-I', file]), defaultSettings());
    const was = process.env.SIPSCOPE_DECODE_THREAD;
    delete process.env.SIPSCOPE_DECODE_THREAD;
    const pipeline = new Pipeline(await openInput(opts), opts);
    if (was !== undefined) process.env.SIPSCOPE_DECODE_THREAD = was;
    assert.equal(pipeline.decodesOffThread, true, `${file}: over 16 MiB, the thread is chosen`);
    await runHeadless(pipeline, opts, undefined, collector().stream, collector().stream);
    pipeline.close();
    assert.equal(pipeline.decodesOffThread, threaded, `${file}: decided by the frames the lead-in decoded`);
  }
});
