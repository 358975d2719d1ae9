// `tcpdump -w - | sipscope -I -`: a pcap stream on stdin gives the same dialogs as the file.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createReadStream } from 'node:fs';
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
