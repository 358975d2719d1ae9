import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import dgram from 'node:dgram';
import { openTzsp, parseListenSpec, type TzspSource } from '../../src/source/tzsp-listen.js';
import { openFile } from '../../src/source/file-source.js';
import { synthFrame } from '../../src/sink/synth-frame.js';
import { InputError } from '../../src/model/errors.js';
import type { Frame } from '../../src/model/frame.js';
import { sharedPcap } from '../support/shared-pcaps.js';
import { callMessage } from '../support/sip-peer.js';
import { freePort, waitFor } from '../support/ports.js';

const SAMPLE = 'linklayer-nosip/simple_http_tzsp.pcapng';

const sources: TzspSource[] = [];
const sender = dgram.createSocket('udp4');
after(() => {
  sources.forEach((s) => s.stop());
  sender.close();
});

interface Got { ts: bigint; linktype: number; data: Buffer }

/** Starts a listener on a free loopback port and collects copies of its frames; resolves once its socket is bound. */
async function listen(): Promise<{ port: number; got: Got[]; src: TzspSource; done: Promise<unknown> }> {
  const port = await freePort();
  const src = openTzsp(`udp:127.0.0.1:${port}`);
  sources.push(src);
  const got: Got[] = [];
  let bound!: () => void;
  const open = new Promise<void>((r) => (bound = r));
  const done = src.start({ frame: (f: Frame) => got.push({ ts: f.ts, linktype: f.linktype, data: Buffer.from(f.data) }), opened: () => bound() });
  await Promise.race([open, done]);
  return { port, got, src, done };
}

async function send(port: number, packets: Buffer[], expect: () => boolean): Promise<void> {
  for (const p of packets) await new Promise<void>((r) => sender.send(p, port, '127.0.0.1', () => r()));
  await waitFor('the listener to take every packet', expect);
}

function tzsp(encapsulation: number, frame: Buffer, tags: number[] = []): Buffer {
  const h = Buffer.from([1, 0, encapsulation >> 8, encapsulation & 0xff, ...tags, 1]);
  return Buffer.concat([h, frame]);
}

function ethernet(ip: Buffer): Buffer {
  return Buffer.concat([Buffer.from('0200000000020200000000010800', 'hex'), ip]);
}

test('parses listen specs, with the TZSP port as default', () => {
  assert.deepEqual(parseListenSpec('udp:0.0.0.0:5555'), { address: '0.0.0.0', port: 5555 });
  assert.deepEqual(parseListenSpec('udp:127.0.0.1'), { address: '127.0.0.1', port: 37008 });
  assert.deepEqual(parseListenSpec('udp:[::1]:9'), { address: '::1', port: 9 });
  assert.deepEqual(parseListenSpec('udp:::'), { address: '::', port: 37008 });
  assert.equal(parseListenSpec('udp:1.2.3.4:99999'), undefined);
});

test('decapsulates Ethernet/IPv4/UDP/SIP sent as TZSP, stamped on arrival, and counts bad packets', async () => {
  const { port, got, src, done } = await listen();
  const o = { callId: 'tzsp-1', transport: 'udp' as const, host: '10.0.0.1', port: 5060, uacPort: 5061 };
  const frames = [0, 1, 3].map((step) => ethernet(synthFrame({
    src: '10.0.0.1', sport: 5061, dst: '10.0.0.2', dport: 5060, transport: 'UDP', payload: Buffer.from(callMessage(step, o)),
  }).data));
  const before = BigInt(Date.now() - 1) * 1_000_000n;
  await send(port, [
    tzsp(1, frames[0]!),
    Buffer.from('not tzsp at all'),
    tzsp(1, frames[1]!, [0, 0, 0x29, 2, 0x01, 0xf4]), // padding and a rx-frame-length tag
    tzsp(18, Buffer.alloc(40)), // 802.11 is skipped
    tzsp(1, frames[2]!),
  ], () => got.length >= 3 && src.skipped() >= 2);
  const afterNs = BigInt(Date.now() + 1) * 1_000_000n;
  src.stop();
  assert.deepEqual(await done, { frames: 3 });
  assert.equal(src.skipped(), 2);
  assert.deepEqual(got.map((g) => g.data), frames);
  for (const g of got) {
    assert.equal(g.linktype, 1);
    assert.ok(g.ts >= before && g.ts <= afterNs);
  }
});

test('decapsulates the TZSP frames of a real capture', async () => {
  const outer: Buffer[] = [];
  const file = openFile(sharedPcap(SAMPLE));
  await file.start({ frame: (f) => outer.push(Buffer.from(f.data)) });
  file.stop();
  // Ethernet + IPv4 (no options) + UDP to port 31337 carry the TZSP packet.
  const payloads = outer.map((f) => f.subarray(14 + (f[14]! & 0x0f) * 4 + 8));
  assert.equal(payloads.length, 5);
  const { port, got, src } = await listen();
  await send(port, payloads, () => got.length === 5);
  src.stop();
  assert.equal(got.length, 5);
  assert.equal(src.skipped(), 0);
  assert.ok(got[0]!.data.includes('GET / HTTP/1.1'));
  assert.equal(got[0]!.data.readUInt16BE(12), 0x0800, 'inner Ethernet carries IPv4');
  got.forEach((g, i) => assert.deepEqual(g.data, payloads[i]!.subarray(5)));
});

test('a port in use is a one-line InputError', async () => {
  const { port } = await listen();
  const second = openTzsp(`udp:127.0.0.1:${port}`);
  await assert.rejects(second.start({ frame: () => {} }), (e: unknown) =>
    e instanceof InputError && e.message === `cannot listen on udp:127.0.0.1:${port}: address already in use`);
  await assert.rejects(openTzsp('udp:nonsense:x').start({ frame: () => {} }), /invalid listen address 'udp:nonsense:x'/);
});
