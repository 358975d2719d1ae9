// The shared SIP-over-TLS 1.0 captures (RSA key exchange, AES-256-CBC-SHA) decrypted with the
// published server key, through the real binary, checked against tshark with the same key.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { Decoder } from '../../src/decode/decoder.js';
import { parseRsaKeys, TlsSecrets } from '../../src/decode/tls-keys.js';
import type { Datagram } from '../../src/model/datagram.js';
import { openFile } from '../../src/source/file-source.js';
import { runCli, sharedPcap } from '../support/cli.js';

const KEY = sharedPcap('voipshark/default.key');
const CAPTURES = ['voipshark/SIP-over-TLS-RTP-Normal_Call_two_parties.pcap', 'voipshark/SIP-over-TLS-RSA-SRTP_Normal_Call_two_parties.pcap'];

/**
 * tshark's SIP Call-IDs (one per message) with the same key. Its TCP analysis flags a segment
 * of the second connection as a spurious retransmission and drops it (then every later record
 * of that direction fails its MAC: 40 messages); without that analysis it decodes all 48.
 */
function tsharkCallIds(file: string): string[] | undefined {
  const r = spawnSync('tshark', ['-r', file, '-o', `tls.keys_list:0.0.0.0,5061,sip,${KEY}`, '-o', 'tcp.analyze_sequence_numbers:FALSE',
    '-Y', 'sip', '-T', 'fields', '-e', 'sip.Call-ID'], { encoding: 'utf8' });
  if (r.error) {
    if (process.env['CI']) assert.fail('tshark is needed for this test (install the tshark package)');
    return undefined;
  }
  assert.equal(r.status, 0, r.stderr);
  return r.stdout.split(/[\n,]/).filter(Boolean);
}

for (const name of CAPTURES) {
  test(`${name} with -k default.key: every SIP message decrypted, as tshark decrypts them`, async (t) => {
    const r = await runCli(['-N', '--json', '-I', sharedPcap(name), '-k', KEY]);
    assert.equal(r.code, 0, r.stderr);
    const lines = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as { type: string; callId: string; msgs: number; messages: number; dialogs: number; skipped: Record<string, number> });
    const summary = lines.at(-1)!;
    assert.equal(summary.messages, 48);
    assert.equal(summary.dialogs, 10);
    assert.equal(summary.skipped['tls-no-key'], undefined);
    assert.equal(summary.skipped['tls-bad-key'], undefined);
    const ids = tsharkCallIds(sharedPcap(name));
    if (ids === undefined) return t.skip('tshark is not installed');
    const perCall = new Map<string, number>();
    for (const id of ids) perCall.set(id, (perCall.get(id) ?? 0) + 1);
    const ours = new Map(lines.filter((l) => l.type === 'dialog').map((l) => [l.callId, l.msgs]));
    assert.deepEqual(ours, perCall);
  });

  test(`${name} without a key: each TLS session counted once as tls-no-key`, async () => {
    const r = await runCli(['-N', '--json', '-I', sharedPcap(name)]);
    const summary = JSON.parse(r.stdout.trim().split('\n').at(-1)!) as { messages: number; skipped: Record<string, number> };
    assert.equal(summary.messages, 0);
    assert.equal(summary.skipped['tls-no-key'], 2);
  });
}

test('decrypted messages say TLS, carry no file offset, and a wrong key is reported once per session', async () => {
  const run = async (pem: string): Promise<{ datagrams: Datagram[]; skips: Record<string, number> }> => {
    const datagrams: Datagram[] = [];
    const skips: Record<string, number> = {};
    const decoder = new Decoder({
      datagram: (d) => void (d.transport !== 'UDP' && datagrams.push({ ...d, payload: Buffer.from(d.payload) })),
      skip: (reason) => void (skips[reason] = (skips[reason] ?? 0) + 1),
    }, new TlsSecrets(parseRsaKeys(pem)));
    const source = openFile(sharedPcap(CAPTURES[0]));
    await source.start({ frame: (f) => decoder.push(f) });
    decoder.flush();
    source.stop();
    return { datagrams, skips };
  };
  const good = await run(readFileSync(KEY, 'latin1'));
  assert.equal(good.datagrams.length, 48);
  assert.ok(good.datagrams.every((d) => d.transport === 'TLS' && d.fileOffset === -1 && (d.sport === 5061 || d.dport === 5061)));

  const { generateKeyPairSync } = await import('node:crypto');
  const other = generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  const bad = await run(other);
  assert.equal(bad.datagrams.length, 0);
  assert.equal(bad.skips['tls-bad-key'], 2, 'once per session');
});

test('-O --pcapng writes the secrets used as a DSB: the file decrypts without -k (here and in tshark); --strip-secrets leaves them out', async (t) => {
  const { mkdtempSync, rmSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const dir = mkdtempSync(`${tmpdir()}/sipscope-tls-`);
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const withKeys = `${dir}/with.pcapng`;
  const without = `${dir}/without.pcapng`;
  for (const [out, extra] of [[withKeys, []], [without, ['--strip-secrets']]] as const) {
    const r = await runCli(['-N', '-I', sharedPcap(CAPTURES[0]), '-k', KEY, '-O', out, '--pcapng', ...extra]);
    assert.equal(r.code, 0, r.stderr);
  }
  const summary = async (file: string): Promise<{ messages: number }> =>
    JSON.parse((await runCli(['-N', '--json', '-I', file])).stdout.trim().split('\n').at(-1)!) as { messages: number };
  assert.equal((await summary(withKeys)).messages, 48);
  assert.equal((await summary(without)).messages, 0);
  const r = spawnSync('tshark', ['-r', withKeys, '-o', 'tcp.analyze_sequence_numbers:FALSE', '-Y', 'sip', '-T', 'fields', '-e', 'sip.Call-ID'], { encoding: 'utf8' });
  if (r.error) {
    if (process.env['CI']) assert.fail('tshark is needed for this test');
    return t.skip('tshark is not installed');
  }
  assert.equal(r.stdout.split(/[\n,]/).filter(Boolean).length, 48);
});

test('-k with a missing file or a file without a private key: one clear line, non-zero exit', async () => {
  for (const [file, why] of [['/nonexistent/key.pem', /-k \/nonexistent\/key\.pem: .+/], [sharedPcap('EXPECTED.tsv'), /no PEM private key/]] as const) {
    const r = await runCli(['-N', '-I', sharedPcap(CAPTURES[0]), '-k', file]);
    assert.notEqual(r.code, 0);
    assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
    assert.match(r.stderr, /^sipscope: /);
    assert.match(r.stderr, why);
  }
});
