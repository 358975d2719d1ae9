// sipscope -H into sipscope -L on loopback, through the real binary: the listener's dialogs equal
// the capture's, with the original times and addresses; -O on the listener writes a pcap that
// sipscope and tshark read back.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import dgram from 'node:dgram';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { countFrames, REPO, runCli, startSipscope } from '../support/cli.js';
import { freePort, tcpIdle, tcpListening, udpBound, udpDrained, waitFor } from '../support/ports.js';

const dir = mkdtempSync(join(tmpdir(), 'sipscope-hep-'));
after(() => {
  rmSync(dir, { recursive: true, force: true });
});
const SAMPLE = `${REPO}/test/fixtures/sample.pcap`;

function jsonLines(text: string): Record<string, unknown>[] {
  return text.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
}

function withoutNodes(d: Record<string, unknown>): Record<string, unknown> {
  const { nodes: _n, ...rest } = d;
  return rest;
}

for (const proto of ['udp', 'tcp'] as const) {
  test(`-H ${proto} then -L ${proto} reproduces the capture's dialogs exactly`, async () => {
    const port = await freePort();
    const out = join(dir, `rx-${proto}.pcap`);
    const rx = startSipscope(['-N', '--json', '-L', `${proto}:127.0.0.1:${port}`, '-O', out]);
    await waitFor('the listener', () => (proto === 'udp' ? udpBound(port) : tcpListening(port)), rx.alive);

    const tx = await runCli(['-N', '--json', '-I', SAMPLE, '-H', `${proto}:127.0.0.1:${port}`, '--hep-id', '42']);
    assert.equal(tx.code, 0, tx.stderr);
    await waitFor('the listener to read everything', () => (proto === 'udp' ? udpDrained(port) : tcpIdle(port)), rx.alive);
    rx.child.kill('SIGTERM');
    assert.equal(await rx.exited, 0, rx.stderr());

    const sent = jsonLines(tx.stdout);
    const received = jsonLines(rx.stdout());
    const dialogs = (l: Record<string, unknown>[]): Record<string, unknown>[] => l.filter((x) => x.type === 'dialog');
    // Each dialog names the agent that sent it; apart from that, the listener's lines are the sender's.
    assert.ok(dialogs(received).every((d) => JSON.stringify(d.nodes) === '["42"]'), rx.stdout());
    assert.ok(dialogs(sent).every((d) => !('nodes' in d)), 'a file has no capture nodes');
    assert.deepEqual(dialogs(received).map(withoutNodes), dialogs(sent));
    const summary = received.find((x) => x.type === 'summary')!;
    assert.equal(summary.messages, sent.find((x) => x.type === 'summary')!.messages);
    assert.equal(summary.dropped, 0);

    // The -O file of what came in over HEP reads back to the same dialogs.
    const back = await runCli(['-N', '--json', '-I', out]);
    assert.deepEqual(dialogs(jsonLines(back.stdout)), dialogs(sent));
    const tshark = spawnSync('tshark', ['-r', out, '-Y', 'sip', '-T', 'fields', '-e', 'frame.number'], { encoding: 'utf8' });
    if (tshark.error && process.env.CI) assert.fail('tshark is needed in CI (apt-get install tshark)');
    if (!tshark.error) assert.equal(tshark.stdout.trim().split('\n').length, summary.messages, 'tshark reads every SIP packet of -O');
  });
}

test('two agents sending the same traffic: one set of dialogs, identical copies deduplicated, both nodes on every dialog', async () => {
  const port = await freePort();
  const rx = startSipscope(['-N', '--json', '-L', `udp:127.0.0.1:${port}`, '--filter', 'node=101 and node=102']);
  await waitFor('the listener', () => udpBound(port), rx.alive);
  for (const id of ['101', '102']) {
    const tx = await runCli(['-N', '-q', '-I', SAMPLE, '-H', `udp:127.0.0.1:${port}`, '--hep-id', id]);
    assert.equal(tx.code, 0, tx.stderr);
  }
  await waitFor('the listener to read everything', () => udpDrained(port), rx.alive);
  rx.child.kill('SIGINT');
  assert.equal(await rx.exited, 0, rx.stderr());
  const local = jsonLines((await runCli(['-N', '--json', '-I', SAMPLE])).stdout);
  const received = jsonLines(rx.stdout());
  const dialogs = received.filter((x) => x.type === 'dialog');
  assert.ok(dialogs.every((d) => JSON.stringify(d.nodes) === '["101","102"]'), 'both agents, in the order they were first seen');
  assert.deepEqual(dialogs.map(withoutNodes), local.filter((x) => x.type === 'dialog'));
  const summary = received.find((x) => x.type === 'summary')!;
  assert.equal(summary.messages, local.find((x) => x.type === 'summary')!.messages);
  assert.equal((summary.skipped as Record<string, number>)['sip-hep-duplicate'], summary.messages);
  assert.equal(summary.received, 2 * (summary.messages as number));
});

test('-H to a port nobody listens on: errors counted, never fatal', async () => {
  const port = await freePort();
  const tx = await runCli(['-N', '-I', SAMPLE, '-H', `tcp:127.0.0.1:${port}`]);
  assert.equal(tx.code, 0);
  assert.equal(tx.stdout, 'Dialog count: 60\n');
  assert.match(tx.stderr, /HEP tcp:127\.0\.0\.1:\d+: .*\(counted, sending goes on\)/);
});

test('bad -L / -H addresses are one clean line', async () => {
  const r = await runCli(['-N', '-L', 'sctp:1.2.3.4:9']);
  assert.equal(r.code !== 0, true);
  assert.match(r.stderr, /^sipscope: invalid HEP listen address 'sctp:1\.2\.3\.4:9'/);
  const h = await runCli(['-N', '-I', SAMPLE, '-H', 'udp:nohost:']);
  assert.match(h.stderr, /^sipscope: invalid HEP target/);
});

for (const [what, args, linktype] of [['-L', 'hep', 101], ['--tzsp', 'tzsp', 1]] as const) {
  test(`-O with ${what} is a valid pcap from the moment the socket is open, before any packet (a SIGKILL leaves it readable)`, async () => {
    const port = await freePort();
    const out = join(dir, `early-${args}.pcap`);
    const listen = args === 'hep' ? ['-L', `udp:127.0.0.1:${port}`] : ['--tzsp', `udp:127.0.0.1:${port}`];
    const rx = startSipscope(['-N', ...listen, '-O', out]);
    await waitFor('the listener', () => udpBound(port), rx.alive);
    await waitFor(`the pcap header of ${out}`, () => existsSync(out) && statSync(out).size >= 24, rx.alive);
    rx.child.kill('SIGKILL');
    await rx.exited;
    assert.equal(await countFrames(out), 0);
    assert.equal(readFileSync(out).readUInt32LE(20), linktype, 'the link type the listener delivers');
  });
}

test('-H paces a file at --hep-rate: the collector sees the messages spread out, none lost', async () => {
  const rx = dgram.createSocket('udp4');
  const arrivals: number[] = [];
  rx.on('message', () => arrivals.push(performance.now()));
  await new Promise<void>((r) => rx.bind(0, '127.0.0.1', r));
  try {
    const rate = 100;
    const tx = await runCli(['-N', '--json', '-l', '8', '-I', SAMPLE, '-H', `udp:127.0.0.1:${rx.address().port}`, '--hep-rate', String(rate)]);
    assert.equal(tx.code, 0, tx.stderr);
    const sent = jsonLines(tx.stdout).find((x) => x.type === 'summary')!.messages as number;
    await waitFor(`${sent} HEP packets`, () => arrivals.length >= sent);
    assert.equal(arrivals.length, sent);
    // A token bucket: at most 20 ms of the rate at once, then one packet per 1/rate s; never faster (slower when loaded).
    const burst = Math.max(1, (20 * rate) / 1000);
    const spanMs = arrivals.at(-1)! - arrivals[0]!;
    assert.ok(spanMs >= ((sent - burst - 1) * 1000) / rate, `${sent} messages in ${spanMs.toFixed(0)} ms at ${rate}/s`);
  } finally {
    rx.close();
  }
});
