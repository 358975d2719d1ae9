// The HEP listener on real sockets: v2 and v3 packets from a UDP sender and a TCP stream come
// out as raw IP frames with the HEP addresses and time, which the decoder reads back.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import dgram from 'node:dgram';
import net from 'node:net';
import { deflateSync } from 'node:zlib';
import { Decoder } from '../../src/decode/decoder.js';
import type { Datagram } from '../../src/model/datagram.js';
import type { Frame, FrameSource } from '../../src/model/frame.js';
import { openHepListen, parseHepListen } from '../../src/source/hep-listen.js';
import { encodeHep3 } from '../../src/sink/hep-send.js';
import { InputError } from '../../src/model/errors.js';
import { cat, INVITE, OK, sip, u16 } from '../decode/packets.js';
import { freePort, udpBound, waitFor } from '../support/ports.js';
import { Worker } from 'node:worker_threads';

const invite = sip(INVITE);
const ok = sip(OK);

function v3(payload: Buffer, o: { password?: string; transport?: 'UDP' | 'TCP'; captureId?: number; v6?: boolean } = {}): Buffer {
  return encodeHep3({
    src: o.v6 ? Buffer.from('20010db8000000000000000000000005', 'hex') : Buffer.from([192, 168, 1, 1]),
    dst: o.v6 ? Buffer.from('20010db8000000000000000000000006', 'hex') : Buffer.from([192, 168, 1, 2]),
    sport: 5080, dport: 5090, transport: o.transport ?? 'UDP', ts: 1_500_000_000_123_456_000n,
    captureId: o.captureId ?? 7, password: o.password === undefined ? undefined : Buffer.from(o.password), payload,
    correlationId: Buffer.from('corr-1'),
  });
}

/** HEPv2, IPv4, little-endian time and capture id 9. */
function v2(payload: Buffer): Buffer {
  return cat([2, 16, 2, 17], u16(5060), u16(5070), [10, 1, 1, 1, 10, 1, 1, 2], [0x10, 0, 0, 0, 0x20, 0, 0, 0, 9, 0, 0, 0], payload);
}

interface Run { frames: Frame[]; datagrams: Datagram[]; skips: Record<string, number>; warnings: string[]; source: FrameSource; done: Promise<unknown> }

function listen(specs: string[], password = ''): Run {
  const source = openHepListen({ specs, password, receiveBuffer: 1 << 20 });
  const r: Run = { frames: [], datagrams: [], skips: {}, warnings: [], source, done: Promise.resolve() };
  const skip = (reason: string): void => void (r.skips[reason] = (r.skips[reason] ?? 0) + 1);
  const decoder = new Decoder({ datagram: (d) => r.datagrams.push({ ...d, payload: Buffer.from(d.payload) }), skip });
  r.done = source.start({
    frame: (f) => {
      r.frames.push({ ...f, data: Buffer.from(f.data) });
      decoder.push(f);
    },
    skip,
    warn: (w) => r.warnings.push(w),
  });
  return r;
}

async function sendUdp(port: number, packets: Buffer[]): Promise<void> {
  const s = dgram.createSocket('udp4');
  for (const p of packets) await new Promise<void>((res, rej) => s.send(p, port, '127.0.0.1', (e) => (e ? rej(e) : res())));
  s.close();
}

test('listen addresses: udp and tcp, port 9060 by default, bad ones are clean errors', () => {
  assert.deepEqual(parseHepListen('udp:0.0.0.0:9061'), { protocol: 'udp', address: '0.0.0.0', port: 9061 });
  assert.deepEqual(parseHepListen('tcp:[::1]'), { protocol: 'tcp', address: '::1', port: 9060 });
  assert.deepEqual(parseHepListen('127.0.0.1'), { protocol: 'udp', address: '127.0.0.1', port: 9060 });
  assert.throws(() => parseHepListen('sctp:1.2.3.4:5'), InputError);
  assert.throws(() => parseHepListen('udp:1.2.3.4:70000'), InputError);
});

test('UDP: HEPv3 (plain, compressed, IPv6) and HEPv2 keep the HEP addresses, time and capture ID', async () => {
  const port = await freePort();
  const r = listen([`udp:127.0.0.1:${port}`]);
  const packets = [v3(invite), v3(deflateSync(ok)), v3(ok, { v6: true, captureId: 8 }), v2(invite)];
  // The socket binds asynchronously: send until the first packet is seen, then the rest.
  while (r.frames.length === 0) await sendUdp(port, [packets[0]!]).then(() => new Promise((res) => setTimeout(res, 20)));
  await sendUdp(port, packets.slice(1));
  await waitFor('four frames', () => r.frames.length >= 4);
  r.source.stop();
  await r.done;
  const d = r.datagrams;
  assert.deepEqual([d[0]!.src, d[0]!.sport, d[0]!.dst, d[0]!.dport, d[0]!.transport, d[0]!.node], ['192.168.1.1', 5080, '192.168.1.2', 5090, 'UDP', '7']);
  assert.equal(d[0]!.ts, 1_500_000_000_123_456_000n);
  assert.equal(d[0]!.payload.toString(), invite.toString());
  const last = d[d.length - 1]!;
  assert.equal(last.payload.toString(), invite.toString(), 'HEPv2');
  assert.deepEqual([last.src, last.sport, last.node, last.ts], ['10.1.1.1', 5060, '9', 16_000_000_000n + 32_000n]);
  assert.ok(d.some((x) => x.payload.toString() === ok.toString() && x.src === '192.168.1.1'), 'inflated');
  assert.ok(d.some((x) => x.src === '2001:db8::5' && x.node === '8'), 'IPv6');
  assert.ok(r.frames.every((f) => f.linktype === 101 && f.fileOffset === -1));
});

test('--hep-password: packets with a wrong or missing auth key are counted and dropped; malformed ones too, logged once', async () => {
  const port = await freePort();
  const r = listen([`udp:127.0.0.1:${port}`], 's3cret');
  while (r.frames.length === 0) await sendUdp(port, [v3(invite, { password: 's3cret' })]).then(() => new Promise((res) => setTimeout(res, 20)));
  const bad = Buffer.from(v3(ok, { password: 's3cret' }));
  bad.writeUInt16BE(3, 10); // a chunk length shorter than its header
  await sendUdp(port, [v3(ok, { password: 'wrong' }), v3(ok), bad, Buffer.from('garbage!'), v3(ok, { password: 's3cret' })]);
  await waitFor('the last good packet', () => r.datagrams.some((x) => x.payload.toString() === ok.toString()));
  r.source.stop();
  await r.done;
  assert.equal(r.skips['hep-auth-failed'], 2);
  assert.equal(r.skips['hep-bad-chunk'], 1);
  assert.equal(r.skips['hep-bad-header'], 1);
  assert.equal(r.datagrams.filter((x) => x.payload.toString() === ok.toString()).length, 1);
  assert.equal(r.warnings.length, 1, `rate-limited: ${r.warnings.join(' | ')}`);
  assert.match(r.warnings[0]!, /HEP: 1 unusable packet, last from 127\.0\.0\.1 \(hep-auth-failed\)/);
  assert.ok(r.source.stats!().received >= 6);
});

test('TCP: HEP3 packets back to back, split anywhere, framed by length; SIP over TCP becomes one TCP stream', async () => {
  const port = await freePort();
  const r = listen([`tcp:127.0.0.1:${port}`]);
  const stream = cat(v3(invite, { transport: 'TCP' }), Buffer.from('junk'), v3(ok, { transport: 'TCP' }), v3(invite, { transport: 'TCP' }));
  let sock: net.Socket | undefined;
  while (!sock) {
    sock = await new Promise<net.Socket | undefined>((res) => {
      const s = net.connect(port, '127.0.0.1').once('connect', () => res(s)).once('error', () => setTimeout(() => res(undefined), 20));
    });
  }
  for (let i = 0; i < stream.length; i += 37) {
    sock.write(stream.subarray(i, i + 37));
    await new Promise((res) => setTimeout(res, 1));
  }
  sock.end();
  await waitFor('three messages', () => r.datagrams.length >= 3);
  r.source.stop();
  await r.done;
  assert.deepEqual(r.datagrams.map((d) => [d.transport, d.payload.toString()]), [['TCP', invite.toString()], ['TCP', ok.toString()], ['TCP', invite.toString()]]);
  assert.equal(r.skips['hep-resync'], 1);
});

// Sends one packet, waits until the listener's decoding stalls (flag 0), sends the rest in small
// bursts, then says so (flag 1): on a thread of its own, as the decoding thread is blocked.
const STALL_SENDER = `
const { workerData: { port, packet, count, flags } } = require('node:worker_threads');
const dgram = require('node:dgram');
const f = new Int32Array(flags);
const s = dgram.createSocket('udp4');
s.connect(port, '127.0.0.1', async () => {
  s.send(packet);
  while (Atomics.load(f, 0) === 0) await new Promise((r) => setTimeout(r, 5));
  for (let k = 0; k < count; k++) {
    s.send(packet);
    if (k % 10 === 9) await new Promise((r) => setTimeout(r, 2));
  }
  await new Promise((r) => setTimeout(r, 20));
  Atomics.store(f, 1, 1);
  Atomics.notify(f, 1);
  s.close();
});`;

test('UDP: a thread of its own reads the socket, so a burst far past the kernel buffer survives a stalled decoder', async () => {
  const port = await freePort();
  const count = 4000;
  const packet = v3(Buffer.concat([invite, Buffer.alloc(1000, 0x20)]));
  const flags = new Int32Array(new SharedArrayBuffer(8));
  let frames = 0;
  const source = openHepListen({ specs: [`udp:127.0.0.1:${port}`], password: '', receiveBuffer: 1 << 20 });
  const done = source.start({
    frame: () => {
      if (frames++ > 0) return;
      // The first packet blocks decoding (as a long garbage collection would) until the sender is through.
      Atomics.store(flags, 0, 1);
      while (Atomics.load(flags, 1) === 0) Atomics.wait(flags, 1, 0, 100);
    },
    warn: () => {},
  });
  await waitFor('the listener', () => udpBound(port));
  const sender = new Worker(STALL_SENDER, { eval: true, workerData: { port, packet, count, flags: flags.buffer } });
  try {
    await waitFor('every packet', () => frames === count + 1 || source.stats!().dropped > 0);
  } finally {
    await sender.terminate();
    source.stop();
    await done;
  }
  assert.equal(source.stats!().dropped, 0, 'nothing dropped');
  assert.equal(frames, count + 1);
  assert.ok(count * packet.length > 4 * (1 << 20), `the burst (${count * packet.length} bytes) is far larger than the kernel's receive buffer`);
});

test('a listener that cannot bind is one clean error', async () => {
  const port = await freePort();
  const blocker = dgram.createSocket('udp4');
  await new Promise<void>((res) => blocker.bind(port, '127.0.0.1', res));
  try {
    await assert.rejects(listen([`udp:127.0.0.1:${port}`]).done, /cannot listen on udp:127\.0\.0\.1:\d+: address already in use/);
  } finally {
    blocker.close();
  }
});
