import { Decoder } from '../../../src/decode/decoder.js';
import { TlsSecrets } from '../../../src/decode/tls-keys.js';
import type { ConnectionOptions } from 'node:tls';
import { framesOf, recordSession } from '../../decode/tls-session.js';
import { formatTable, verdict, type Bench, type BenchContext } from '../bench.js';

const MESSAGES = 20_000;
const PER_WRITE = 50;
const RUNS = 7;
const MSS = 1448;

function sipMessage(i: number): Buffer {
  const body = `v=0\r\no=- ${i} 1 IN IP4 10.0.0.1\r\ns=-\r\nc=IN IP4 10.0.0.1\r\nt=0 0\r\nm=audio ${10_000 + (i % 5000) * 2} RTP/AVP 0 8 101\r\na=rtpmap:101 telephone-event/8000\r\n`;
  return Buffer.from(`INVITE sip:+4420${i}@carrier.example SIP/2.0\r\nVia: SIP/2.0/TLS 10.0.0.1:40000;branch=z9hG4bK${i}\r\n` +
    `From: <sip:alice@example.com>;tag=${i}\r\nTo: <sip:+4420${i}@carrier.example>\r\nCall-ID: ${i}-bench@10.0.0.1\r\nCSeq: 1 INVITE\r\n` +
    `Contact: <sip:alice@10.0.0.1:40000;transport=tls>\r\nContent-Type: application/sdp\r\nContent-Length: ${body.length}\r\n\r\n${body}`);
}

/** Decodes the frames once; returns the CPU time it took (less disturbed by other work on the machine than wall time) and the SIP bytes that came out. */
function decodeOnce(frames: Buffer[], secrets: () => TlsSecrets): { ms: number; bytes: number; messages: number } {
  let bytes = 0;
  let messages = 0;
  const decoder = new Decoder({ datagram: (d) => { bytes += d.payload.length; messages++; }, skip: () => undefined }, secrets());
  const start = process.cpuUsage();
  frames.forEach((data, i) => decoder.push({ index: i + 1, ts: BigInt(i), linktype: 1, data, origLen: data.length, fileOffset: -1 }));
  decoder.flush();
  const used = process.cpuUsage(start);
  return { ms: (used.user + used.system) / 1000, bytes, messages };
}


async function run(ctx: BenchContext): Promise<boolean> {
  const writes: Buffer[] = [];
  for (let i = 0; i < MESSAGES; i += PER_WRITE) writes.push(Buffer.concat(Array.from({ length: PER_WRITE }, (_, j) => sipMessage(i + j))));
  const total = writes.reduce((n, b) => n + b.length, 0);
  ctx.log(`${MESSAGES} SIP messages, ${(total / 1e6).toFixed(1)} MB, one TLS session each, decoded in this process (one core), CPU time, best of ${RUNS} runs`);
  const cases: [string, ConnectionOptions][] = [
    ['TLS 1.3 AES-128-GCM', { minVersion: 'TLSv1.3', ciphers: 'TLS_AES_128_GCM_SHA256' }],
    ['TLS 1.3 ChaCha20-Poly1305', { minVersion: 'TLSv1.3', ciphers: 'TLS_CHACHA20_POLY1305_SHA256' }],
    ['TLS 1.2 AES-256-CBC-SHA', { maxVersion: 'TLSv1.2', ciphers: 'ECDHE-RSA-AES256-SHA' }],
  ];
  const rows: string[][] = [['session', 'CPU time', 'MB/s decrypted', 'messages']];
  let ok = true;
  // The same bytes as plain TCP: the cost of framing alone, beside which decryption is measured.
  const plain = framesOf([{ fromClient: true, data: Buffer.concat(writes) }], MSS);
  const base = Array.from({ length: RUNS }, () => decodeOnce(plain, () => new TlsSecrets()));
  const baseMs = Math.min(...base.map((r) => r.ms));
  rows.push(['plain TCP (framing only)', `${baseMs.toFixed(0)} ms`, (total / 1e3 / baseMs).toFixed(0), String(base[0]!.messages)]);
  for (const [name, options] of cases) {
    const rec = await recordSession({ client: writes, server: [Buffer.from('SIP/2.0 200 OK\r\nContent-Length: 0\r\n\r\n')] }, options);
    const frames = framesOf(rec.chunks, MSS);
    const keylog = rec.keylog.join('\n');
    const results = Array.from({ length: RUNS }, () => decodeOnce(frames, () => {
      const s = new TlsSecrets();
      s.addAll(keylog);
      return s;
    }));
    const ms = Math.min(...results.map((r) => r.ms));
    const messages = results[0]!.messages;
    ok &&= results.every((r) => r.messages === MESSAGES + 1);
    rows.push([name, `${ms.toFixed(0)} ms`, (results[0]!.bytes / 1e3 / ms).toFixed(0), String(messages)]);
  }
  for (const line of formatTable(rows)) ctx.log(`  ${line}`);
  ctx.log(`every message decrypted: ${verdict(ok)}`);
  return ok;
}

export const tlsBench: Bench = { name: 'tls', description: 'TLS decryption throughput (MB/s of decrypted SIP on one core)', run };
