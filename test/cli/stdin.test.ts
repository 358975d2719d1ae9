// `tcpdump -w - | sipscope -I -`: a pcap stream on stdin gives the same dialogs as the file.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createReadStream, readFileSync } from 'node:fs';
import { runCli, sharedPcap } from '../support/cli.js';

for (const file of ['sngrep/aaa.pcap', 'sipnab/b2bua-asterisk.pcapng', 'wswiki/h223-over-rtp.pcap.gz']) {
  test(`stdin stream of ${file} equals the file`, async () => {
    const fromFile = await runCli(['-N', '--json', '-I', sharedPcap(file)]);
    const fromStdin = await runCli(['-N', '--json', '-I', '-'], { stdin: createReadStream(sharedPcap(file)) });
    assert.equal(fromStdin.code, 0, fromStdin.stderr);
    assert.equal(fromStdin.stdout, fromFile.stdout);
  });
}

test('garbage on stdin is one clear line and a non-zero exit', async () => {
  const r = await runCli(['-N', '-I', '-'], { stdin: Buffer.from('hello, this is not a capture\n') });
  assert.notEqual(r.code, 0);
  assert.match(r.stderr, /^sipscope: .*not a pcap or pcapng/);
  assert.equal(r.stderr.trim().split('\n').length, 1);
});

// stdin is read by the decoding thread (descriptor 0): output, a cut-off stream's warning and a refusal are those of the in-thread path.
const inThread = { ...process.env, SIPSCOPE_DECODE_THREAD: '0' };
const onThread = { ...process.env, SIPSCOPE_DECODE_THREAD: '1' };
for (const [name, bytes] of [
  ['a whole capture', () => readFileSync(sharedPcap('sngrep/aaa.pcap'))],
  ['a capture cut inside a record', () => readFileSync(sharedPcap('sngrep/aaa.pcap')).subarray(0, 50_000)],
  ['a pcap header and nothing else', () => readFileSync(sharedPcap('sngrep/aaa.pcap')).subarray(0, 24)],
  ['not a capture', () => Buffer.from('hello, this is not a capture\n')],
] as const) {
  test(`stdin on the decoding thread: ${name} gives what the in-thread path gives`, async () => {
    const input = bytes();
    const threaded = await runCli(['-N', '--json', '-I', '-'], { stdin: input, env: onThread });
    const here = await runCli(['-N', '--json', '-I', '-'], { stdin: input, env: inThread });
    assert.deepEqual({ code: threaded.code, stdout: threaded.stdout, stderr: threaded.stderr }, { code: here.code, stdout: here.stdout, stderr: here.stderr });
    assert.doesNotMatch(threaded.stderr, /internal error|\n\s+at /);
  });
}
