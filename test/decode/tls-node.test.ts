// Real TLS 1.2 / 1.3 sessions from Node's own tls module, recorded into a pcap and decrypted
// back to the exact SIP bytes with the client's key log (or the server's RSA key).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { constants, createCipheriv, createPrivateKey } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { Decoder } from '../../src/decode/decoder.js';
import { cipherSuite, hkdfExpandLabel, nextTrafficSecret, parseRsaKeys, tls13Keys, TlsSecrets } from '../../src/decode/tls-keys.js';
import type { Datagram } from '../../src/model/datagram.js';
import { PcapWriter } from '../../src/sink/pcap-writer.js';
import { openFile } from '../../src/source/file-source.js';
import { runCli } from '../support/cli.js';
import { cat } from './packets.js';
import { framesOf, recordsOf, recordSession, recordSessions, SERVER_KEY, type Chunk, type Script } from './tls-session.js';

const dir = mkdtempSync(`${tmpdir()}/sipscope-tls-node-`);
test.after(() => rmSync(dir, { recursive: true, force: true }));

function sip(startLine: string, callId: string, body = ''): Buffer {
  return Buffer.from(`${startLine}\r\nVia: SIP/2.0/TLS 10.0.0.1:40000\r\nCall-ID: ${callId}\r\nCSeq: 1 INVITE\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
}

const A = sip('INVITE sip:bob@example.com SIP/2.0', 'a');
const B = sip('OPTIONS sip:bob@example.com SIP/2.0', 'b');
/** Larger than one record (2^14 bytes), and written in three pieces. */
const BIG = sip('MESSAGE sip:bob@example.com SIP/2.0', 'big', 'x'.repeat(40_000));
const OK = sip('SIP/2.0 200 OK', 'a');

/** Two messages in one write (one record), one message over several writes and records. */
const SCRIPT: Script = {
  client: [cat(A, B), BIG.subarray(0, 100), BIG.subarray(100, 20_000), BIG.subarray(20_000)],
  server: [OK],
};

let files = 0;

/** Writes the frames into a pcap and decodes that file with these secrets. */
async function decode(frames: Buffer[], secrets: TlsSecrets): Promise<{ datagrams: Datagram[]; skips: Record<string, number>; file: string }> {
  const file = `${dir}/capture-${++files}.pcap`;
  const writer = PcapWriter.open(file, 1);
  frames.forEach((data, i) => writer.write({ ts: BigInt(i + 1) * 1_000_000n, data, origLen: data.length, linktype: 1 }));
  writer.close();
  const datagrams: Datagram[] = [];
  const skips: Record<string, number> = {};
  const decoder = new Decoder({
    datagram: (d) => datagrams.push({ ...d, payload: Buffer.from(d.payload) }),
    skip: (reason) => void (skips[reason] = (skips[reason] ?? 0) + 1),
  }, secrets);
  const source = openFile(file);
  await source.start({ frame: (f) => decoder.push(f) });
  decoder.flush();
  source.stop();
  return { datagrams, skips, file };
}

const keylogSecrets = (lines: string[]): TlsSecrets => {
  const s = new TlsSecrets();
  s.addAll(lines.join('\n'));
  return s;
};

function assertSip(datagrams: Datagram[], transport = 'TLS'): void {
  const fromClient = datagrams.filter((d) => d.sport === 40000).map((d) => d.payload);
  const fromServer = datagrams.filter((d) => d.sport === 5061).map((d) => d.payload);
  assert.deepEqual(fromClient, [A, B, BIG]);
  assert.deepEqual(fromServer, [OK]);
  assert.ok(datagrams.every((d) => d.transport === transport && d.fileOffset === -1));
}

const cases: { name: string; client: Parameters<typeof recordSession>[1]; server?: Parameters<typeof recordSession>[2]; cipher: string }[] = [
  { name: 'TLS 1.3 AES-128-GCM', client: { minVersion: 'TLSv1.3', ciphers: 'TLS_AES_128_GCM_SHA256' }, cipher: 'TLS_AES_128_GCM_SHA256' },
  { name: 'TLS 1.3 AES-256-GCM', client: { minVersion: 'TLSv1.3', ciphers: 'TLS_AES_256_GCM_SHA384' }, cipher: 'TLS_AES_256_GCM_SHA384' },
  { name: 'TLS 1.3 ChaCha20-Poly1305', client: { minVersion: 'TLSv1.3', ciphers: 'TLS_CHACHA20_POLY1305_SHA256' }, cipher: 'TLS_CHACHA20_POLY1305_SHA256' },
  { name: 'TLS 1.2 ECDHE AES-128-GCM', client: { maxVersion: 'TLSv1.2', ciphers: 'ECDHE-RSA-AES128-GCM-SHA256' }, cipher: 'TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256' },
  { name: 'TLS 1.2 ECDHE AES-256-GCM', client: { maxVersion: 'TLSv1.2', ciphers: 'ECDHE-RSA-AES256-GCM-SHA384' }, cipher: 'TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384' },
  { name: 'TLS 1.2 ECDHE ChaCha20-Poly1305', client: { maxVersion: 'TLSv1.2', ciphers: 'ECDHE-RSA-CHACHA20-POLY1305' }, cipher: 'TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256' },
  { name: 'TLS 1.2 ECDHE AES-128-CBC-SHA (encrypt-then-MAC)', client: { maxVersion: 'TLSv1.2', ciphers: 'ECDHE-RSA-AES128-SHA' }, cipher: 'TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA' },
  { name: 'TLS 1.2 ECDHE AES-256-CBC-SHA384 (MAC-then-encrypt)', client: { maxVersion: 'TLSv1.2', ciphers: 'ECDHE-RSA-AES256-SHA384', secureOptions: constants.SSL_OP_NO_ENCRYPT_THEN_MAC }, cipher: 'TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA384' },
];

for (const c of cases) {
  test(`${c.name} from the key log: the exact SIP bytes, records split across segments`, async () => {
    const rec = await recordSession(SCRIPT, c.client, c.server);
    assert.equal(rec.cipher, c.cipher);
    const { datagrams, skips } = await decode(framesOf(rec.chunks, 700), keylogSecrets(rec.keylog));
    assertSip(datagrams);
    assert.deepEqual(skips, {});
  });
}

test('TLS 1.2 RSA key exchange from the server key (PKCS#1 and PKCS#8), no key log; a resumed session (ticket, then session ID) too', async () => {
  const rsa = { maxVersion: 'TLSv1.2' as const, ciphers: 'AES128-GCM-SHA256:AES256-SHA' };
  const [first, resumed] = await recordSessions(SCRIPT, [() => rsa, ([one]) => ({ ...rsa, session: one!.session })]);
  assert.equal(first.cipher, 'TLS_RSA_WITH_AES_128_GCM_SHA256');
  const mte = await recordSession(SCRIPT, { ...rsa, ciphers: 'AES256-SHA', secureOptions: constants.SSL_OP_NO_ENCRYPT_THEN_MAC });
  const noTicket = { secureOptions: constants.SSL_OP_NO_TICKET, sessionIdContext: 'sipscope' };
  const [byId, byIdAgain] = await recordSessions(SCRIPT, [() => rsa, ([one]) => ({ ...rsa, session: one!.session })], noTicket);
  assert.deepEqual([first, resumed, mte, byId, byIdAgain].map((s) => s.reused), [false, true, false, false, true]);
  const pkcs1 = createPrivateKey(SERVER_KEY).export({ type: 'pkcs1', format: 'pem' }).toString();
  for (const pem of [SERVER_KEY, pkcs1]) {
    const sessions = [first, resumed, mte, byId, byIdAgain];
    const frames = sessions.flatMap((s, i) => framesOf(s.chunks, 500, 40000 + i));
    const { datagrams, skips } = await decode(frames, new TlsSecrets(parseRsaKeys(pem)));
    assert.deepEqual(skips, {});
    for (let i = 0; i < sessions.length; i++) {
      const port = 40000 + i;
      assert.deepEqual(datagrams.filter((d) => d.sport === port).map((d) => d.payload), [A, B, BIG], `session ${i}`);
      assert.deepEqual(datagrams.filter((d) => d.dport === port).map((d) => d.payload), [OK], `session ${i}`);
    }
  }
});

/** TLS 1.3 record with inner type `type`, sealed with this traffic secret at sequence number seq. */
function seal13(suiteId: number, secret: Buffer, seq: number, type: number, content: Buffer): Buffer {
  const s = cipherSuite(suiteId)!;
  const key = hkdfExpandLabel(s.prf, secret, 'key', s.keyLen);
  const nonce = hkdfExpandLabel(s.prf, secret, 'iv', 12);
  nonce.writeUInt32BE((nonce.readUInt32BE(8) ^ seq) >>> 0, 8);
  const inner = cat(content, [type]);
  const header = Buffer.from([0x17, 0x03, 0x03, (inner.length + 16) >> 8, (inner.length + 16) & 0xff]);
  const c = createCipheriv(s.cipher as 'aes-128-gcm', key, nonce, { authTagLength: 16 });
  c.setAAD(header);
  return cat(header, c.update(inner), c.final(), c.getAuthTag());
}

test('TLS 1.3 KeyUpdate: records after it are opened with the next traffic secret', async () => {
  const rec = await recordSession(SCRIPT, { minVersion: 'TLSv1.3', ciphers: 'TLS_AES_128_GCM_SHA256' });
  const secret0 = Buffer.from(rec.keylog.find((l) => l.startsWith('CLIENT_TRAFFIC_SECRET_0'))!.split(' ')[2], 'hex');
  const secret1 = nextTrafficSecret(cipherSuite(0x1301)!, secret0);
  // The client's application records (after its handshake Finished), opened and re-sealed:
  // the first with the original secret, then a KeyUpdate, then the rest under the updated secret.
  const client = recordsOf(rec.chunks, true).filter((r) => r.record[0] === 0x17);
  const app = client.slice(1);
  const keys0 = tls13Keys(cipherSuite(0x1301)!, secret0);
  const opened = app.map((r) => keys0.open(0x17, 0x0303, r.record.subarray(5))!);
  assert.ok(opened.length >= 2 && opened.every(Boolean));
  const rewritten: Chunk[] = rec.chunks.map((c) => ({ ...c }));
  const byChunk = new Map<number, Buffer[]>();
  const put = (chunk: number, b: Buffer): void => void byChunk.set(chunk, [...(byChunk.get(chunk) ?? []), b]);
  for (const r of recordsOf(rec.chunks, true)) if (r.record[0] !== 0x17 || r === client[0]) put(r.chunk, r.record);
  put(app[0].chunk, seal13(0x1301, secret0, 0, opened[0].type, opened[0].data));
  put(app[0].chunk, seal13(0x1301, secret0, 1, 0x16, Buffer.from([24, 0, 0, 1, 0])));
  app.slice(1).forEach((r, i) => put(r.chunk, seal13(0x1301, secret1, i, opened[i + 1].type, opened[i + 1].data)));
  rewritten.forEach((c, i) => {
    if (c.fromClient) c.data = cat(...(byChunk.get(i) ?? []));
  });
  const { datagrams, skips } = await decode(framesOf(rewritten.filter((c) => c.data.length > 0), 900), keylogSecrets(rec.keylog));
  assertSip(datagrams);
  assert.deepEqual(skips, {});
});

test('WebSocket inside TLS is WSS', async () => {
  const upgrade = Buffer.from('GET / HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Protocol: sip\r\n\r\n');
  const accept = Buffer.from('HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n');
  const mask = [1, 2, 3, 4];
  const framed = (m: Buffer, masked: boolean): Buffer => {
    const len = m.length < 126 ? [m.length] : [126, m.length >> 8, m.length & 0xff];
    if (!masked) return cat([0x81], len, m);
    return cat([0x81], [len[0] | 0x80, ...len.slice(1)], mask, Buffer.from(m.map((b, i) => b ^ mask[i & 3])));
  };
  const rec = await recordSession({ client: [upgrade, framed(A, true)], server: [accept, framed(OK, false)] }, { minVersion: 'TLSv1.3' });
  const { datagrams, skips } = await decode(framesOf(rec.chunks, 1400), keylogSecrets(rec.keylog));
  assert.deepEqual(datagrams.map((d) => [d.transport, d.payload.toString('latin1')]), [['WSS', A.toString('latin1')], ['WSS', OK.toString('latin1')]]);
  assert.deepEqual(skips, {});
});

test('without the secret a session is counted once, whatever its number of records', async () => {
  const rec = await recordSession(SCRIPT, { minVersion: 'TLSv1.3' });
  const { datagrams, skips } = await decode(framesOf(rec.chunks, 300), new TlsSecrets());
  assert.equal(datagrams.length, 0);
  assert.deepEqual(skips, { 'tls-no-key': 1 });
});

test('sipscope --keylog FILE decrypts a TLS 1.3 capture; secrets that reach the key log later are read on a miss, the records waiting for them', async () => {
  const rec = await recordSession(SCRIPT, { minVersion: 'TLSv1.3' });
  const { file } = await decode(framesOf(rec.chunks, 1400), new TlsSecrets());
  const keylog = `${dir}/keylog.txt`;
  writeFileSync(keylog, `${rec.keylog.join('\n')}\n`);
  const r = await runCli(['-N', '--json', '-I', file, '--keylog', keylog]);
  assert.equal(r.code, 0, r.stderr);
  const summary = JSON.parse(r.stdout.trim().split('\n').at(-1)!) as { messages: number; skipped: Record<string, number> };
  assert.equal(summary.messages, 4);
  assert.deepEqual(summary.skipped, {});

  // A live capture: the secrets reach the key log a few records after the packets that need them.
  for (const tls12 of [false, true]) {
    const live = tls12 ? await recordSession(SCRIPT, { maxVersion: 'TLSv1.2' }) : rec;
    let asked = 0;
    const growing = new TlsSecrets([], () => (++asked === 8 ? `${live.keylog.join('\n')}\n` : ''));
    const late = await decode(framesOf(live.chunks, 1400), growing);
    assert.ok(asked >= 8);
    assertSip(late.datagrams);
    assert.deepEqual(late.skips, {});
    const never = await decode(framesOf(live.chunks, 1400), new TlsSecrets([], () => ''));
    assert.deepEqual(never.skips, { 'tls-no-key': 1 }, 'counted at the end of input');
  }

  const bad = await runCli(['-N', '-I', file, '--keylog', `${dir}/missing.txt`]);
  assert.notEqual(bad.code, 0);
  assert.match(bad.stderr, /^sipscope: --keylog .*missing\.txt: .+\n$/);
});

test('TLS 1.3 with only the application traffic secrets logged: the handshake records are passed over', async () => {
  const rec = await recordSession(SCRIPT, { minVersion: 'TLSv1.3' });
  const appOnly = rec.keylog.filter((l) => /^(CLIENT|SERVER)_TRAFFIC_SECRET_0 /.test(l));
  assert.equal(appOnly.length, 2);
  const { datagrams, skips } = await decode(framesOf(rec.chunks, 1000), keylogSecrets(appOnly));
  assertSip(datagrams);
  assert.deepEqual(skips, {});
});

test('mutated TLS sessions (flipped, cut and dropped bytes) never throw', async () => {
  const [v13, v12] = [await recordSession(SCRIPT, { minVersion: 'TLSv1.3' }), await recordSession(SCRIPT, { maxVersion: 'TLSv1.2', ciphers: 'AES128-SHA' })];
  let x = 7;
  const next = (n: number): number => ((x = (x * 1103515245 + 12345) >>> 0) >>> 16) % n;
  for (const rec of [v13, v12]) {
    const frames = framesOf(rec.chunks, 600);
    for (let round = 0; round < 40; round++) {
      const mutated = frames.map((f) => {
        const copy = Buffer.from(f);
        // Only TCP payload bytes (after 14 + 20 + 20), so the segments still reach TLS.
        if (next(4) === 0 && copy.length > 54) copy[54 + next(copy.length - 54)] = next(256);
        return next(30) === 0 ? copy.subarray(0, 54 + next(copy.length - 53)) : copy;
      });
      const secrets = new TlsSecrets(parseRsaKeys(SERVER_KEY));
      secrets.addAll(rec.keylog.join('\n'));
      const decoder = new Decoder({ datagram: () => undefined, skip: () => undefined }, secrets);
      mutated.forEach((data, i) => decoder.push({ index: i + 1, ts: BigInt(i), linktype: 1, data, origLen: data.length, fileOffset: -1 }));
      decoder.flush();
    }
  }
});

test('a pcapng Decryption Secrets Block is used, even one that comes after the handshake it decrypts', async () => {
  const { PcapngWriter } = await import('../../src/sink/pcapng-writer.js');
  const { TLS_KEY_LOG } = await import('../../src/source/pcapng.js');
  const rec = await recordSession(SCRIPT, { minVersion: 'TLSv1.3' });
  const frames = framesOf(rec.chunks, 1400);
  for (const at of [0, frames.length - 2]) {
    const file = `${dir}/dsb-${at}.pcapng`;
    const writer = PcapngWriter.open(file, 1);
    frames.forEach((data, i) => {
      if (i === at) writer.writeSecrets(TLS_KEY_LOG, `${rec.keylog.join('\n')}\n`);
      writer.write({ ts: BigInt(i + 1) * 1_000_000n, data, origLen: data.length, linktype: 1 });
    });
    writer.close();
    const r = await runCli(['-N', '--json', '-I', file]);
    const summary = JSON.parse(r.stdout.trim().split('\n').at(-1)!) as { messages: number; skipped: Record<string, number> };
    assert.equal(summary.messages, 4, `DSB before frame ${at}`);
    assert.deepEqual(summary.skipped, {});
  }
});
