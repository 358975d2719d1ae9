import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Collector, INVITE, OK, cat, ethTcp, sip, u16 } from './packets.js';

const upgradeRequest = Buffer.from('GET / HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Protocol: sip\r\n\r\n');
const upgradeResponse = Buffer.from('HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n');

function wsFrame(payload: Buffer, opts: { opcode?: number; fin?: boolean; mask?: number[] } = {}): Buffer {
  const b0 = (opts.fin === false ? 0 : 0x80) | (opts.opcode ?? 1);
  const m = opts.mask ? 0x80 : 0;
  const len = payload.length;
  const lenBytes = len < 126 ? [m | len] : len < 65536 ? [m | 126, ...u16(len)] : [m | 127, 0, 0, 0, 0, ...u16(len >>> 16), ...u16(len & 0xffff)];
  const mask = opts.mask;
  const body = mask ? Buffer.from(payload.map((b, i) => b ^ mask[i & 3])) : payload;
  return cat([b0, ...lenBytes], mask ?? [], body);
}

const invite = sip(INVITE, 'v=0\r\n'.repeat(40));
const ok = sip(OK);
const server = (seq: number, data: Buffer): Buffer => ethTcp(seq, data, undefined, '10.0.0.2', '10.0.0.1', 8080, 40000);
const client = (seq: number, data: Buffer): Buffer => ethTcp(seq, data, undefined, '10.0.0.1', '10.0.0.2', 40000, 8080);

test('after the upgrade, masked client and unmasked server messages come out whole', () => {
  const c = new Collector()
    .push(1, client(1, upgradeRequest))
    .push(1, server(1, upgradeResponse))
    .push(1, client(1 + upgradeRequest.length, wsFrame(invite, { mask: [1, 2, 3, 4] })))
    .push(1, server(1 + upgradeResponse.length, wsFrame(ok)), 0);
  assert.deepEqual(c.payloads, [invite, ok].map((m) => m.toString('latin1')));
  assert.deepEqual(c.datagrams.map((d) => d.transport), ['WS', 'WS']);
  assert.equal(c.datagrams[0].fileOffset, -1);
  assert.equal(c.datagrams[1].fileOffset, 14 + 20 + 20 + 2);
  assert.deepEqual(c.skips(), {});
});

test('upgrade and first message in one segment; continuation and control frames', () => {
  const ping = wsFrame(Buffer.from('hi'), { opcode: 9, mask: [9, 9, 9, 9] });
  const frames = cat(
    upgradeRequest,
    wsFrame(invite.subarray(0, 100), { fin: false, mask: [5, 6, 7, 8] }),
    ping,
    wsFrame(invite.subarray(100), { opcode: 0, mask: [1, 1, 1, 1] }),
    wsFrame(ok, { mask: [0, 0, 0, 0] }),
  );
  const c = new Collector().push(1, client(1, frames));
  assert.deepEqual(c.payloads, [invite, ok].map((m) => m.toString('latin1')));
});

test('frames with 16-bit and 64-bit lengths split across segments', () => {
  const big = sip(INVITE, 'x'.repeat(70_000));
  const stream = cat(upgradeRequest, wsFrame(sip(INVITE, 'y'.repeat(300))), wsFrame(big, { mask: [7, 7, 7, 7] }));
  const c = new Collector();
  for (let off = 0; off < stream.length; off += 1000) c.push(1, client(1 + off, stream.subarray(off, off + 1000)));
  assert.equal(c.datagrams.length, 2);
  assert.equal(c.payloads[1], big.toString('latin1'));
});

test('an HTTP request without an upgrade does not switch to WebSocket', () => {
  const c = new Collector().push(1, client(1, cat(Buffer.from('GET / HTTP/1.1\r\nHost: x\r\n\r\n'), wsFrame(ok))));
  assert.equal(c.datagrams.length, 0);
});
