import { test } from 'node:test';
import assert from 'node:assert/strict';
import { findSipStart, looksLikeSipStart, sipContentLength, sipHeaderEnd } from '../../src/decode/sip-framing.js';

const b = (s: string): Buffer => Buffer.from(s, 'latin1');

test('looksLikeSipStart accepts requests and responses, rejects HTTP and junk', () => {
  for (const s of ['INVITE sip:a@b SIP/2.0\r\n', 'SIP/2.0 180 Ringing\r\n', 'MESSAGE tel:+123 SIP/2.0\n', 'X-CUSTOM sips:b SIP/2.0\r\n']) assert.ok(looksLikeSipStart(b(s), 0), s);
  for (const s of ['GET / HTTP/1.1\r\n', 'HTTP/1.1 200 OK\r\n', 'INVITE sip:a@b SIP/2.0', 'INVITE nocolon SIP/2.0\r\n', 'SIP/2.0 2x0 OK\r\n', '\x00\x01binary garbage here'])
    assert.ok(!looksLikeSipStart(b(s), 0), s);
  assert.ok(looksLikeSipStart(b('xxOPTIONS sip:a SIP/2.0\r\n'), 2));
});

test('findSipStart finds the next start line after junk', () => {
  const s = b('body junk\r\nmore\r\nBYE sip:a@b SIP/2.0\r\n');
  assert.equal(findSipStart(s, 0, s.length), 17);
  assert.equal(findSipStart(b('no\r\nsip here\r\n'), 0, 14), -1);
});

test('sipHeaderEnd handles CRLF and bare LF, and incomplete headers', () => {
  const crlf = b('SIP/2.0 200 OK\r\nA: b\r\n\r\nbody');
  assert.equal(sipHeaderEnd(crlf, 0, crlf.length), crlf.length - 4);
  const lf = b('SIP/2.0 200 OK\nA: b\n\nbody');
  assert.equal(sipHeaderEnd(lf, 0, lf.length), lf.length - 4);
  assert.equal(sipHeaderEnd(crlf, 0, 20), -1);
});

test('sipContentLength reads long and compact forms, any case, 0 when absent or bad', () => {
  const len = (s: string): number => sipContentLength(b(s), 0, s.length);
  assert.equal(len('INVITE x SIP/2.0\r\nContent-Length: 42\r\n\r\n'), 42);
  assert.equal(len('INVITE x SIP/2.0\r\ncontent-length :7\r\n\r\n'), 7);
  assert.equal(len('INVITE x SIP/2.0\r\nl: 13\r\n\r\n'), 13);
  assert.equal(len('INVITE x SIP/2.0\r\nLocation: 9\r\n\r\n'), 0);
  assert.equal(len('INVITE x SIP/2.0\r\nContent-Length: abc\r\n\r\n'), 0);
  assert.equal(len('INVITE x SIP/2.0\r\n\r\n'), 0);
});
