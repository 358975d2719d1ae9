import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Store } from '../../src/store/store.js';
import { messageId } from '../support/ids.js';

const SDP = 'v=0\r\no=- 1 1 IN IP4 192.0.2.1\r\ns=-\r\nc=IN IP4 192.0.2.1\r\nt=0 0\r\nm=audio 4000 RTP/AVP 0 101\r\na=rtpmap:101 telephone-event/8000\r\na=sendonly\r\n';
const BOUNDARY = 'b1';
const BODY = `--${BOUNDARY}\r\nContent-Type: application/sdp\r\n\r\n${SDP}--${BOUNDARY}\r\nContent-Type: application/isup\r\n\r\nxx\r\n--${BOUNDARY}--\r\n`;
const INVITE = [
  'INVITE sip:bob@example.com SIP/2.0',
  'Via: SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bK1',
  'f: "Alice" <sip:alice@example.com>;tag=1',
  'To: <sip:bob@example.com>',
  'Call-ID: v1@h',
  'CSeq: 1 INVITE',
  'Subject: a folded',
  '  value',
  `Content-Type: multipart/mixed;boundary=${BOUNDARY}`,
  `Content-Length: ${Buffer.byteLength(BODY)}`,
  '',
  BODY,
].join('\r\n');

function storeWith(...payloads: string[]): Store {
  const store = new Store();
  for (const p of payloads) {
    store.addDatagram({ frame: 1, ts: 1n, src: '192.0.2.1', sport: 5060, dst: '192.0.2.2', dport: 5060, transport: 'UDP', payload: Buffer.from(p), fileOffset: -1 });
  }
  return store;
}

test('a message view: start line parts, headers, body parts with an SDP summary, flags', () => {
  const store = storeWith(INVITE, INVITE);
  const v = store.messageView(messageId(0));
  assert.deepEqual({ ...v.start }, { kind: 'request', method: 'INVITE', uri: 'sip:bob@example.com', status: 0, reason: '', text: 'INVITE sip:bob@example.com SIP/2.0' });
  assert.deepEqual(v.headers.find((h) => h.name === 'From'), { name: 'From', rawName: 'f', value: '"Alice" <sip:alice@example.com>;tag=1' });
  assert.equal(v.headers.find((h) => h.name === 'Subject')?.value, 'a folded value');
  assert.deepEqual(v.parts.map((p) => p.contentType), ['application/sdp', 'application/isup']);
  assert.deepEqual(v.parts[0]!.sdp, [{ media: 'audio', address: '192.0.2.1', port: 4000, codecs: ['PCMU/8000', 'telephone-event/8000'], direction: 'sendonly' }]);
  assert.equal(v.parts[1]!.sdp, undefined);
  assert.equal(v.message.hasSdp, true);
  assert.equal(store.messageView(messageId(1)).message.retrans, true);
});

test('view lines carry roles: method, URI, header names and values with URIs, SDP type letters, boundaries', () => {
  const v = storeWith(INVITE).messageView(messageId(0));
  const roles = (k: number): [string, string][] => v.lines[k]!.spans.map((s) => [s.role, v.lines[k]!.text.slice(s.from, s.to)]);
  assert.deepEqual(roles(0), [['method', 'INVITE'], ['plain', ' '], ['uri', 'sip:bob@example.com'], ['version', ' SIP/2.0']]);
  assert.deepEqual(roles(2), [['headerName', 'f'], ['plain', ':'], ['headerValue', ' "Alice" '], ['uri', '<sip:alice@example.com>'], ['headerValue', ';tag=1']]);
  assert.deepEqual(roles(7), [['headerValue', '  value']]);
  const texts = v.lines.map((l) => l.text);
  assert.deepEqual(roles(texts.indexOf(`--${BOUNDARY}`)), [['boundary', `--${BOUNDARY}`]]);
  assert.deepEqual(roles(texts.indexOf('m=audio 4000 RTP/AVP 0 101')), [['sdpType', 'm='], ['sdpValue', 'audio 4000 RTP/AVP 0 101']]);
  assert.deepEqual(roles(texts.indexOf('xx')), [['body', 'xx']]);
  const ok = storeWith('SIP/2.0 486 Busy Here\r\nCall-ID: r@h\r\nCSeq: 1 INVITE\r\n\r\n').messageView(messageId(0));
  assert.deepEqual(ok.lines[0]!.spans.map((s) => [s.role, ok.lines[0]!.text.slice(s.from, s.to)]), [['version', 'SIP/2.0 '], ['status', '486 Busy Here']]);
  assert.equal(ok.start.reason, 'Busy Here');
  assert.deepEqual(ok.parts, []);
});
