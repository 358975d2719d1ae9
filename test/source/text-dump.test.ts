import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { looksLikeTextDump, openTextDump, parseTextDump, type DumpedMessage } from '../../src/source/text-dump.js';
import { InputError } from '../../src/model/errors.js';
import { CALL_FLOW, callMessage } from '../support/sip-peer.js';

// Fixtures: one UDP, one TCP and one IPv6 UDP call played by test/support/sip-peer.ts on
// port 5099 and printed by tcpdump -A (plain, -vvv, -tttt) and ngrep -W byline (plain, -q -t).
const fixture = (name: string): string => fileURLToPath(new URL(`../../../test/fixtures/text-dump/${name}`, import.meta.url));
const parse = (name: string): DumpedMessage[] => [...parseTextDump(readFileSync(fixture(name), 'latin1'))];

/** The UDP, TCP and IPv6 calls as sip-peer sent them; the TCP client port is ephemeral. */
function expectedCalls(tcpClientPort: number): { payload: string; transport: string; src: string; sport: number }[] {
  const calls = [
    { callId: 'td-udp-1', transport: 'udp' as const, host: '127.0.0.1', port: 5099, uacPort: 5100 },
    { callId: 'td-tcp-1', transport: 'tcp' as const, host: '127.0.0.1', port: 5099, uacPort: tcpClientPort },
    { callId: 'td-udp6-1', transport: 'udp' as const, host: '::1', port: 5099, uacPort: 5100 },
  ];
  return calls.flatMap((o) => CALL_FLOW.map((kind, step) => ({
    payload: callMessage(step, o),
    transport: o.transport.toUpperCase(),
    src: o.host,
    sport: /^\d/.test(kind) ? o.port : o.uacPort,
  })));
}

for (const name of ['tcpdump-A.txt', 'tcpdump-vvv-A.txt', 'tcpdump-tttt-A.txt', 'ngrep-byline.txt', 'ngrep-byline-t.txt']) {
  test(`${name}: recovers all 21 messages byte for byte with addresses and transport`, () => {
    const ms = parse(name);
    assert.equal(ms.length, 21);
    const tcpClient = ms.find((m) => m.transport === 'TCP' && m.dport === 5099)!.sport;
    // Compared as a set: over TCP, Nagle's algorithm let the 200 to BYE overtake the BYE.
    const want = new Map(expectedCalls(tcpClient).map((w) => [w.payload, w]));
    for (const m of ms) {
      const w = want.get(m.payload.toString('latin1'));
      assert.ok(w, `unexpected message ${JSON.stringify(m.payload.toString('latin1').slice(0, 60))}`);
      assert.deepEqual([m.transport, m.src, m.sport], [w.transport, w.src, w.sport]);
      want.delete(m.payload.toString('latin1'));
    }
    assert.equal(want.size, 0);
    for (let i = 1; i < ms.length; i++) assert.ok(ms[i]!.ts > ms[i - 1]!.ts, 'times increase');
  });
}

const localNs = (y: number, mo: number, d: number, h: number, mi: number, s: number, micros: number): bigint =>
  BigInt(new Date(y, mo - 1, d, h, mi, s).getTime()) * 1_000_000n + BigInt(micros) * 1000n;

test('timestamps: dated forms keep the date, time-only tcpdump lands on 1970-01-01, no time gives 1 µs steps', () => {
  assert.equal(parse('tcpdump-tttt-A.txt')[0]!.ts, localNs(2026, 11, 22, 22, 14, 18, 863717));
  assert.equal(parse('ngrep-byline-t.txt')[0]!.ts, localNs(2026, 11, 22, 22, 14, 18, 863718));
  assert.equal(parse('tcpdump-A.txt')[0]!.ts, localNs(1970, 1, 1, 22, 14, 18, 863717));
  assert.deepEqual(parse('ngrep-byline.txt').slice(0, 3).map((m) => m.ts), [1000n, 2000n, 3000n]);
});

test('tcpdump -vvv on port 5060 skips its own indented SIP decode', () => {
  const ms = parse('tcpdump-vvv-A-5060.txt');
  assert.equal(ms.length, 7);
  assert.ok(ms[0]!.payload.toString('latin1').startsWith('INVITE sip:bob@127.0.0.1:5060 SIP/2.0\r\nVia:'));
  assert.deepEqual([ms[0]!.sport, ms[0]!.dport], [5061, 5060]);
});

test('time-only dumps move to the next day past midnight; epoch times (-tt) are taken as they are', () => {
  const text = [
    '23:59:59.900000 IP 10.0.0.1.5060 > 10.0.0.2.5060: UDP, length 20',
    'OPTIONS sip:x SIP/2.0', 'Content-Length: 0', '',
    '00:00:00.100000 IP 10.0.0.2.5060 > 10.0.0.1.5060: UDP, length 20',
    'SIP/2.0 200 OK', 'Content-Length: 0', '',
    '1700000000.250000 IP 10.0.0.2.5060 > 10.0.0.1.5060: UDP, length 20',
    'SIP/2.0 200 OK', 'l: 0', '',
  ].join('\n');
  const [a, b, c] = [...parseTextDump(text)];
  assert.equal(b!.ts - a!.ts, 200_000_000n);
  assert.equal(c!.ts, 1_700_000_000_250_000_000n);
  assert.equal(a!.payload.toString(), 'OPTIONS sip:x SIP/2.0\r\nContent-Length: 0\r\n\r\n');
});

test('two messages in one TCP segment are both recovered; packets without SIP are passed over', () => {
  const text = [
    '10:00:00.000001 IP 10.0.0.1.40000 > 10.0.0.2.5060: Flags [P.], seq 1:100, ack 1, win 64, length 99',
    'E..garbage....ACK sip:b SIP/2.0', 'Content-Length: 2', '', 'hiBYE sip:b SIP/2.0', 'Content-Length: 0', '', '',
    '10:00:00.000002 IP 10.0.0.2.5060 > 10.0.0.1.40000: Flags [.], ack 100, win 64, length 0',
    '10:00:00.000003 IP localhost.5060 > 10.0.0.1.40000: UDP, length 10',
    'SIP/2.0 200 OK', '',
  ].join('\n');
  const ms = [...parseTextDump(text)];
  assert.deepEqual(ms.map((m) => m.payload.toString()), ['ACK sip:b SIP/2.0\r\nContent-Length: 2\r\n\r\nhi', 'BYE sip:b SIP/2.0\r\nContent-Length: 0\r\n\r\n']);
  assert.equal(ms[0]!.transport, 'TCP');
});

test('looksLikeTextDump recognises tcpdump and ngrep output only', () => {
  for (const name of ['tcpdump-A.txt', 'tcpdump-vvv-A.txt', 'tcpdump-tttt-A.txt', 'ngrep-byline.txt', 'ngrep-byline-t.txt']) {
    assert.ok(looksLikeTextDump(readFileSync(fixture(name)).subarray(0, 512)), name);
  }
  assert.equal(looksLikeTextDump(Buffer.from('INVITE sip:a SIP/2.0\r\n')), false);
  assert.equal(looksLikeTextDump(Buffer.from([0xd4, 0xc3, 0xb2, 0xa1, 2, 0, 4, 0])), false);
});

test('openTextDump yields raw-IP frames the decoder can read', async () => {
  const frames: { linktype: number; data: Buffer; ts: bigint }[] = [];
  const end = await openTextDump(fixture('tcpdump-tttt-A.txt')).start({ frame: (f) => frames.push({ linktype: f.linktype, data: Buffer.from(f.data), ts: f.ts }) });
  assert.deepEqual(end, { frames: 21 });
  assert.equal(frames[0]!.linktype, 101);
  assert.equal(frames[0]!.data[0], 0x45);
  assert.equal(frames[0]!.data.subarray(28).toString('latin1').split('\r\n')[0], 'INVITE sip:bob@127.0.0.1:5099 SIP/2.0');
  assert.equal(frames[0]!.ts, localNs(2026, 11, 22, 22, 14, 18, 863717));
  const tcp = frames.filter((f) => f.data[0] === 0x45 && f.data[9] === 6);
  assert.equal(tcp.length, 7);
  assert.equal(frames[20]!.data[0]! >> 4, 6, 'the last call is IPv6');
  await assert.rejects(openTextDump('/nonexistent/dump.txt').start({ frame: () => {} }),
    (e: unknown) => e instanceof InputError && e.message === 'cannot open /nonexistent/dump.txt: no such file or directory');
});
