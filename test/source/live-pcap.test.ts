import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { openLive, openError, linktypeOf, type LiveSource } from '../../src/source/live-pcap.js';
import { InputError } from '../../src/model/errors.js';
import type { Frame } from '../../src/model/frame.js';
import { playCall } from '../support/sip-peer.js';
import { waitFor } from '../support/ports.js';

function skipReason(): string | false {
  if (process.getuid?.() !== 0) return 'live capture needs root';
  try {
    createRequire(import.meta.url)('pcap/build/Release/pcap_binding.node');
  } catch {
    return 'the optional pcap module (libpcap binding) is not built';
  }
  return false;
}
const skip = skipReason();
const opened: LiveSource[] = [];
after(() => opened.forEach((s) => s.stop()));

const isSip = (s: Seen): boolean => /(INVITE|ACK|BYE) sip:|SIP\/2\.0 \d{3}/.test(s.text);

interface Seen { ts: bigint; linktype: number; text: string; origLen: number; length: number }

test('captures SIP over loopback UDP and TCP with libpcap timestamps', { skip }, async () => {
  const port = 20000 + Math.floor(Math.random() * 20000);
  const src = openLive({ device: 'lo', bpf: `udp port ${port} or tcp port ${port}`, bufferSize: 2 << 20 });
  opened.push(src);
  const seen: Seen[] = [];
  const done = src.start({
    frame: (f: Frame) => seen.push({ ts: f.ts, linktype: f.linktype, text: f.data.toString('latin1'), origLen: f.origLen, length: f.data.length }),
  });
  const before = BigInt(Date.now()) * 1_000_000n;
  await playCall({ transport: 'udp', port });
  await playCall({ transport: 'tcp', port });
  await waitFor('14 SIP messages captured', () => seen.filter(isSip).length >= 14);
  const afterNs = BigInt(Date.now()) * 1_000_000n;
  const stats = src.stats();
  src.stop();
  const end = await done;

  const sip = seen.filter(isSip);
  assert.equal(sip.length, 14, 'seven messages over UDP and seven over TCP');
  assert.equal(end.frames, seen.length);
  assert.ok(seen.length > 14, 'the TCP handshake is captured too');
  for (const s of seen) {
    assert.equal(s.linktype, 1, 'loopback is Ethernet-framed');
    assert.equal(s.origLen, s.length);
    assert.ok(s.ts >= before - 1_000_000n && s.ts <= afterNs + 1_000_000n, `timestamp ${s.ts} within the call`);
  }
  for (let i = 1; i < seen.length; i++) assert.ok(seen[i]!.ts >= seen[i - 1]!.ts);
  assert.ok(sip[0]!.text.includes('INVITE sip:bob@'));
  // Loopback queues each packet twice (sent and received); libpcap counts both and delivers one.
  assert.ok(stats.received >= seen.length);
  assert.equal(stats.dropped, 0);
  assert.deepEqual(src.stats(), stats, 'counters stay readable after stop()');
});

test('an invalid BPF filter is a one-line InputError', { skip }, async () => {
  const src = openLive({ device: 'lo', bpf: 'udp prot 5060', bufferSize: 2 << 20 });
  await assert.rejects(src.start({ frame: () => {} }), (e: unknown) => {
    assert.ok(e instanceof InputError);
    assert.equal(e.message, "invalid capture filter 'udp prot 5060': can't parse filter expression: syntax error");
    return true;
  });
});

test('an unknown device is a one-line InputError', { skip }, async () => {
  const src = openLive({ device: 'nosuchdev9', bpf: '', bufferSize: 2 << 20 });
  await assert.rejects(src.start({ frame: () => {} }), /^InputError: cannot capture on nosuchdev9: No such device exists/);
});

test('errors name the cause and the fix', () => {
  assert.match(openError('eth0', 'udp', 'socket: Operation not permitted').message, /^cannot capture on eth0: permission denied; run with sudo or: sudo setcap cap_net_raw,cap_net_admin=eip \$\(which node\)$/);
  assert.equal(openError('lo', 'port x', "illegal port number").message, "invalid capture filter 'port x': illegal port number");
});

test('link type names map to LINKTYPE numbers', () => {
  assert.equal(linktypeOf('LINKTYPE_ETHERNET'), 1);
  assert.equal(linktypeOf('LINKTYPE_LINUX_SLL'), 113);
  assert.equal(linktypeOf('Unknown linktype 276'), 276);
  assert.equal(linktypeOf('Unknown linktype 12'), 101);
});
