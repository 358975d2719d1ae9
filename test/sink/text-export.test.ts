import { test } from 'node:test';
import assert from 'node:assert/strict';
import { exportText, localStamp } from '../../src/sink/text-export.js';

const NS = 1_700_000_000_123_456_789n; // 2023-11-14T22:13:20.123456789Z

test('localStamp prints local date and time with microseconds', () => {
  const d = new Date(1_700_000_000_123);
  const pad = (n: number): string => String(n).padStart(2, '0');
  const expected = `${d.getFullYear()}/${pad(d.getMonth() + 1)}/${pad(d.getDate())} ` +
    `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}.123456`;
  assert.equal(localStamp(NS), expected);
});

test('exportText writes a header line, the message and a blank line per message', () => {
  const chunks: string[] = [];
  exportText([
    { ts: NS, src: '10.0.0.1', sport: 5060, dst: '10.0.0.2', dport: 5080, bytes: Buffer.from('OPTIONS sip:a SIP/2.0\r\n\r\n') },
    { ts: NS + 1000n, src: '2001:db8::1', sport: 5060, dst: '::1', dport: 5061, bytes: Buffer.from('SIP/2.0 200 OK\r\n\r\n') },
  ], (c) => chunks.push(c));
  const text = chunks.join('');
  const lines = text.split('\n');
  assert.match(lines[0]!, /^\d{4}\/\d\d\/\d\d \d\d:\d\d:\d\d\.123456 10\.0\.0\.1:5060 -> 10\.0\.0\.2:5080$/);
  assert.equal(lines[1], 'OPTIONS sip:a SIP/2.0\r');
  assert.ok(text.includes('.123457 [2001:db8::1]:5060 -> [::1]:5061\nSIP/2.0 200 OK\r\n\r\n\n\n'));
  assert.ok(text.endsWith('\n\n'));
});
