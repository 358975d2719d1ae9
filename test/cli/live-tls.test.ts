// Live capture on lo of a real TLS 1.3 session whose client appends its secrets to the key log
// while sipscope runs: the records wait for the secrets, SIP comes out, and -O pcapng keeps them.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { appendFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import net from 'node:net';
import { connect, createServer } from 'node:tls';
import { runCli, startSipscope, whyNotLive, type CliResult } from '../support/cli.js';
import { untilCapturing } from '../support/live-capture.js';
import { SERVER_CERT, SERVER_KEY } from '../decode/tls-session.js';

const dir = mkdtempSync(join(tmpdir(), 'sipscope-live-tls-'));
const children: ChildProcess[] = [];
after(() => {
  for (const c of children) c.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});


/** SIP messages sipscope found in a capture (its JSON summary), 0 when it could not read it yet. */
function savedMessages(r: CliResult): number {
  try {
    return (JSON.parse(r.stdout.trim().split('\n').at(-1)!) as { messages: number }).messages;
  } catch {
    return 0;
  }
}

const sipMessage = (start: string, callId: string): string => `${start}\r\nCall-ID: ${callId}\r\nCSeq: 1 OPTIONS\r\nContent-Length: 0\r\n\r\n`;

test('live TLS 1.3 on lo with a key log that grows during the capture', { skip: whyNotLive() }, async () => {
  const port = 20000 + Math.floor(Math.random() * 20000);
  const keylog = join(dir, 'keylog.txt');
  const out = join(dir, 'live.pcapng');
  writeFileSync(keylog, '');
  const run = startSipscope(['-N', '--json', '-d', 'lo', '--keylog', keylog, '-O', out, '--pcapng', 'tcp', 'port', String(port)]);
  const { child, exited } = run;
  children.push(child);
  const running = (): boolean => child.exitCode === null;
  // A connection attempt before the server listens: its SYN and RST show the capture has started.
  await untilCapturing(out, () => net.connect(port, '127.0.0.1').on('error', () => undefined), running);

  const request = sipMessage('OPTIONS sip:bob@example.com SIP/2.0', 'live-tls');
  const response = sipMessage('SIP/2.0 200 OK', 'live-tls');
  const server = createServer({ key: SERVER_KEY, cert: SERVER_CERT }, (sock) => {
    sock.once('data', () => sock.end(response));
    sock.on('error', () => undefined);
  });
  server.listen(port, '127.0.0.1');
  await once(server, 'listening');
  const client = connect({ port, host: '127.0.0.1', rejectUnauthorized: false, minVersion: 'TLSv1.3' });
  client.on('keylog', (line: Buffer) => appendFileSync(keylog, line));
  await once(client, 'secureConnect');
  client.write(request);
  let answer = '';
  client.on('data', (b: Buffer) => (answer += b.toString()));
  await once(client, 'end');
  client.end();
  server.close();
  assert.equal(answer, response);
  // Both messages are in -O (decrypted with the key log as it is now) before the capture stops.
  while (savedMessages(await runCli(['-N', '--json', '--keylog', keylog, '-I', out])) < 2) {
    if (!running()) assert.fail(`the capture ended early: ${run.stderr()}`);
  }
  child.kill('SIGINT');
  assert.equal(await exited, 0, run.stderr());

  const summary = JSON.parse(run.stdout().trim().split('\n').at(-1)!) as { messages: number; dialogs: number; skipped: Record<string, number> };
  assert.equal(summary.messages, 2, run.stdout());
  assert.equal(summary.dialogs, 1);
  assert.equal(summary.skipped['tls-no-key'], undefined);
  const back = await runCli(['-N', '--json', '-I', out]);
  assert.equal((JSON.parse(back.stdout.trim().split('\n').at(-1)!) as { messages: number }).messages, 2, 'the -O file carries its secrets');
});
