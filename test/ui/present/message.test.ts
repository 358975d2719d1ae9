import { viewOf } from '../../support/views.js';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { messageLines } from '../../../src/ui/present/message.js';
import type { Style, StyledLine } from '../../../src/ui/present/styled.js';
import { lineWidth } from '../../../src/ui/present/text-width.js';

/** A line as "[style]text" runs, to compare colouring at a glance. */
function runs(line: StyledLine): string {
  return line.map((s) => `[${s.style}]${s.text}`).join('');
}

function styleOf(line: StyledLine, text: string): Style | undefined {
  return line.find((s) => s.text.includes(text))?.style;
}

const INVITE = [
  'INVITE sip:bob@biloxi.example.com SIP/2.0',
  'Via: SIP/2.0/UDP pc33.atlanta.example.com;branch=z9hG4bK776asdhds',
  'From: "Alice 😀" <sip:alice@atlanta.example.com>;tag=1928301774',
  'To: Bob <sip:bob@biloxi.example.com>',
  'Call-ID: a84b4c76e66710@pc33.atlanta.example.com',
  'CSeq: 314159 INVITE',
  'c: application/sdp',
  'Content-Length: 142',
  '',
  'v=0',
  'o=alice 2890844526 2890844526 IN IP4 pc33.atlanta.example.com',
  'c=IN IP4 192.0.2.101',
  'm=audio 49172 RTP/AVP 0',
  'a=rtpmap:0 PCMU/8000',
  '',
].join('\r\n');

test('a request with SDP: method, Request-URI, header names and values, URIs, SDP lines', () => {
  const lines = messageLines(viewOf(INVITE));
  assert.equal(lines.length, 14);
  assert.equal(runs(lines[0]!), '[sipMethod]INVITE[default] [sipUri]sip:bob@biloxi.example.com[default] SIP/2.0');
  assert.equal(runs(lines[5]!), '[sipHeaderName]CSeq[default]:[sipHeaderValue] 314159 INVITE');
  assert.equal(runs(lines[2]!), '[sipHeaderName]From[default]:[sipHeaderValue] "Alice 😀" [sipUri]<sip:alice@atlanta.example.com>[sipHeaderValue];tag=1928301774');
  assert.deepEqual(lines[8], []);
  assert.equal(runs(lines[9]!), '[sipHeaderName]v=[sdp]0');
  assert.equal(runs(lines[11]!), '[sipHeaderName]c=[sdp]IN IP4 192.0.2.101');
  assert.equal(runs(lines[12]!), '[sipHeaderName]m=[sdp]audio 49172 RTP/AVP 0');
  assert.equal(runs(lines[13]!), '[sipHeaderName]a=[sdp]rtpmap:0 PCMU/8000');
});

test('a response: status and reason; a non-SDP body stays plain', () => {
  const lines = messageLines(viewOf('SIP/2.0 486 Busy Here\r\nContent-Type: text/plain\r\nContent-Length: 5\r\n\r\nv=x y'));
  assert.equal(runs(lines[0]!), '[default]SIP/2.0 [sipStatus]486 Busy Here');
  assert.equal(styleOf(lines[1]!, 'Content-Type'), 'sipHeaderName');
  assert.equal(runs(lines[4]!), '[body]v=x y');
});

test('multipart bodies colour their SDP part as SDP and the rest plain', () => {
  const text = [
    'INVITE sip:b@x SIP/2.0', 'Content-Type: multipart/mixed;boundary=BB', '',
    '--BB', 'Content-Type: application/sdp', '', 'v=0', 'm=audio 4000 RTP/AVP 8',
    '--BB', 'Content-Type: application/isup', '', 'x=binary', '--BB--',
  ].join('\n');
  const lines = messageLines(viewOf(text));
  assert.equal(styleOf(lines[3]!, '--BB'), 'dim');
  assert.equal(styleOf(lines[4]!, 'Content-Type'), 'sipHeaderName');
  assert.equal(styleOf(lines[7]!, 'audio'), 'sdp');
  assert.equal(runs(lines[11]!), '[body]x=binary');
});

test('lines wrap to the pane width counting wide characters and controls as cells', () => {
  const lines = messageLines(viewOf(INVITE), { width: 30 });
  assert.ok(lines.length > 14);
  for (const line of lines) assert.ok(lineWidth(line) <= 30);
  const withControls = messageLines(viewOf('SIP/2.0 200 OK\r\nX-Evil: \x1b]0;pwn\x07\x1b[2J'), { width: 12 });
  for (const line of withControls) assert.ok(lineWidth(line) <= 12);
  assert.ok(withControls.some((l) => l.some((s) => s.text.includes('\x1b'))), 'text is left for the sanitizer');
});
