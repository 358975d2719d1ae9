// `sipscope -N … --json | head`: the reader closes the pipe early. That is no error of sipscope's:
// no "internal error", nothing on stderr, exit 0.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { BIN, sharedPcap } from '../support/cli.js';

test('the output pipe closed by its reader (| head) ends the run quietly', async () => {
  // About 6 MB of output: far more than a pipe holds, so the writes meet the closed pipe.
  const child = spawn(process.execPath, [BIN, '-N', '--json', 'messages', '-I', sharedPcap('sipnab/sipp-branch-scenario.pcapng')], { stdio: ['ignore', 'pipe', 'pipe'] });
  const err: Buffer[] = [];
  child.stderr.on('data', (b: Buffer) => err.push(b));
  child.stdout.once('data', () => child.stdout.destroy());
  const code = await new Promise<number | null>((resolve) => child.on('close', (c) => resolve(c)));
  assert.equal(Buffer.concat(err).toString('utf8'), '');
  assert.equal(code, 0);
});
