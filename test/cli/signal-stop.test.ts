// A signal (Ctrl-C, kill, SSH drop) in the middle of a file's load: the run ends with what was read,
// and the rules still read messages back from the file to finish it (they used to find it closed).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { Writable } from 'node:stream';
import { join } from 'node:path';
import { parseOptions, withSettings } from '../../src/cli/options.js';
import { defaultSettings } from '../../src/config/settings.js';
import { openInput } from '../../src/cli/open-input.js';
import { Pipeline } from '../../src/cli/pipeline.js';
import { runHeadless } from '../../src/cli/headless.js';
import { generateCapture } from '../bench/gen/generate.js';
import { waitFor } from '../support/ports.js';

test('stopped mid-file (a signal), -N prints the dialogs read so far, diagnosed from the file, in both thread modes', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'sipscope-signal-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const file = join(dir, 'calls.pcap');
  // Over the 16 MiB the decoding thread waits for, with Diversion and 403 calls whose rules read the INVITE back.
  const meta = generateCapture(file, { dialogs: 4000, spanSeconds: 600 });
  for (const threaded of ['0', '1']) {
    const opts = withSettings(parseOptions(['-N', '--json', '-I', file]), defaultSettings());
    process.env.SIPSCOPE_DECODE_THREAD = threaded;
    let pipeline: Pipeline;
    try {
      pipeline = new Pipeline(await openInput(opts), opts);
    } finally {
      delete process.env.SIPSCOPE_DECODE_THREAD;
    }
    const lines: string[] = [];
    const out = new Writable({ write: (c: Buffer | string, _e, done) => { lines.push(...String(c).split('\n').filter((l) => l !== '')); done(); } });
    const running = runHeadless(pipeline, opts, undefined, out, new Writable({ write: (_c, _e, done) => done() }));
    // Past the first 4 MiB chunk, short of the last.
    await waitFor('a few thousand frames', () => pipeline.status().frames > 2000);
    pipeline.stop();
    assert.equal(await running, 0, `thread=${threaded}`);
    pipeline.close();
    const frames = pipeline.status().frames;
    assert.ok(frames < meta.messages, `thread=${threaded}: ${frames} of ${meta.messages} frames read before the stop`);
    assert.equal(lines.filter((l) => !l.startsWith(`{"type":"summary"`)).length, pipeline.store.dialogCount(), `thread=${threaded}: one line per dialog held`);
    assert.ok(lines.some((l) => /"code":"diversion"/.test(l)), `thread=${threaded}: a rule read a message back from the file`);
  }
});
