import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  bodyParts, headerValue, headerValues, parseSipMessage, scanPlaces, scanSip, valueText, type SipScan,
} from '../../src/sip/message.js';
import { sdpSessionsOf } from '../../src/media/sdp-endpoints.js';
import { parseSdp } from '../../src/sip/sdp.js';
import { invite, response, sip, SDP_BODY } from './fixtures.js';

function scanned(buf: Buffer): SipScan {
  const r = scanSip(buf);
  if (typeof r === 'string') assert.fail(`unexpected skip ${r}`);
  return r;
}

test('scanSip reads a request', () => {
  const r = scanned(invite('x1@host', ['X-Call-ID: other@host']));
  assert.deepEqual(r, {
    method: 'INVITE', status: 0, callId: 'x1@host', cseq: 314159, cseqMethod: 'INVITE', hasSdp: true,
    xCallId: 'other@host', reason: '', reasons: 0, viaReceived: false, reasonPhrase: '',
  });
});

test('scanSip: viaReceived says whether some Via (long or compact form) may carry a received= other than its host', () => {
  const via = (...lines: string[]) => scanned(invite('v@host', lines)).viaReceived;
  assert.equal(via('Via: SIP/2.0/UDP 10.0.0.1:5062;branch=z9hG4bKa;RECEIVED=192.0.2.7'), true);
  assert.equal(via('Via: SIP/2.0/UDP 10.0.0.1:5062;branch=z9hG4bKa;rport=5062;received=10.0.0.1'), false, 'received equal to the host');
  assert.equal(via('Via: SIP/2.0/UDP [fd00::1]:5062;received = [fd00::2]'), true);
  assert.equal(via('Via: SIP/2.0/UDP 10.0.0.1;x-received=192.0.2.7', 'Subject: received=1'), false, 'not a received parameter');
  // Whatever is not plain is left to the full parse.
  assert.equal(via('v: SIP/2.0/UDP 10.0.0.1;branch=z9hG4bKa\r\n ;received=10.0.0.1'), true, 'folded');
  assert.equal(via('Via: SIP/2.0/UDP 10.0.0.1;received=10.0.0.1, SIP/2.0/UDP 10.0.0.2'), true, 'a list');
  assert.equal(via('Via: SIP / 2.0 / UDP 10.0.0.1;received=10.0.0.1'), true, 'spaced protocol');
});

test('scanSip reads a response with a Reason header', () => {
  const r = scanned(response('486 Busy Here', 'c@h', '2 INVITE', ['Reason: Q.850;cause=17;text="User busy"']));
  assert.equal(r.method, '');
  assert.equal(r.status, 486);
  assert.equal(r.cseq, 2);
  assert.equal(r.cseqMethod, 'INVITE');
  assert.equal(r.hasSdp, false);
  assert.equal(r.reason, 'Q.850;cause=17;text="User busy"');
});

test('scanSip rejects non-SIP cheaply and explains unusable SIP', () => {
  const rtp = Buffer.alloc(172);
  rtp[0] = 0x80;
  assert.equal(scanSip(rtp), 'not-sip');
  assert.equal(scanSip(Buffer.from('GET / HTTP/1.1\r\nHost: x\r\n\r\n')), 'not-sip');
  assert.equal(scanSip(Buffer.alloc(0)), 'not-sip');
  assert.equal(scanSip(Buffer.from('SIP/2.0 abc OK\r\nCall-ID: x\r\n\r\n')), 'sip-bad-start-line');
  assert.equal(scanSip(Buffer.from('INVITE  SIP/2.0\r\nCall-ID: x\r\n\r\n')), 'sip-bad-start-line');
  assert.equal(scanSip(Buffer.from('INVITE a b SIP/2.0\r\nCall-ID: x\r\n\r\n')), 'sip-bad-start-line');
  // zeek/sip-junk-before-request.pcap and wswiki/mka-windows-xp-tracert.pcap: no Call-ID, no message.
  assert.equal(scanSip(Buffer.from('DBREGISTER sip:1.1.1.1:5060 SIP/2.0\r\nExpires: 3600\r\n\r\n')), 'sip-no-call-id');
  assert.equal(
    scanSip(Buffer.from('YAHOOREF sip:mkafghan@68.142.233.158:443;transport=tcp SIP/2.0\r\nContent-Length: 0\r\n\r\n')),
    'sip-no-call-id',
  );
  // Garbage before the request line: not SIP at all.
  assert.equal(scanSip(Buffer.from('\x01\x02xx INVITE sip:a@b SIP/2.0\r\nCall-ID: x\r\n\r\n', 'latin1')), 'not-sip');
});

test('scanSip understands compact headers (suricata sip_compact_form)', () => {
  const buf = sip([
    'INVITE sip:97239287044@voip.brujula.net SIP/2.0',
    'v: SIP/2.0/UDP 192.168.1.2:5060;branch=z9hG4bKnp104984053-44ce4a41192.168.1.2;rport',
    'f: \\"arik\\" <sip:816666@voip.brurjula.net>;tag=6433ef9',
    't: <sip:97239287044@voip.brujula.net>',
    'i:   105090259-446faf7a@192.168.1.2  ',
    'CSeq: 1 INVITE',
    'c: application/sdp',
    `l: ${SDP_BODY.length}`,
  ], SDP_BODY);
  const r = scanned(buf);
  assert.equal(r.callId, '105090259-446faf7a@192.168.1.2');
  assert.equal(r.hasSdp, true);
});

test('scanSip: non-numeric Content-Length still makes a message (zeek invalid-content-length)', () => {
  const r = scanned(sip([
    'INVITE sip:bob@10.0.0.2 SIP/2.0', 'From: <sip:alice@10.0.0.1>;tag=1', 'To: <sip:bob@10.0.0.2>',
    'Call-ID: a84b4c76e66710@10.0.0.1', 'CSeq: 1 INVITE', 'Content-Length: bad',
  ]));
  assert.equal(r.callId, 'a84b4c76e66710@10.0.0.1');
  assert.equal(r.hasSdp, false);
});

test('scanSip: SDP claimed with an empty body is no SDP', () => {
  const r = scanned(sip(['INVITE sip:b@h SIP/2.0', 'Call-ID: z', 'CSeq: 1 INVITE', 'Content-Type: application/sdp', 'Content-Length: 0']));
  assert.equal(r.hasSdp, false);
});

const MULTIPART_BODY = [
  '--unique-boundary-1',
  'Content-Type: application/sdp',
  '',
  SDP_BODY + '--unique-boundary-1',
  'Content-Type: application/mscml+xml',
  '',
  '<MediaServerControl version="1.0"/>',
  '--unique-boundary-1--',
  '',
].join('\r\n');

test('scanSip finds SDP inside a multipart body; parseSipMessage splits the parts', () => {
  const buf = sip([
    'INVITE sip:conf@ms.example.com SIP/2.0',
    'Call-ID: mp@host',
    'CSeq: 7 INVITE',
    'Content-Type: multipart/mixed;',
    ' boundary="unique-boundary-1"',
    `Content-Length: ${MULTIPART_BODY.length}`,
  ], MULTIPART_BODY);
  assert.equal(scanned(buf).hasSdp, true);
  const p = parseSipMessage(buf);
  assert.equal(headerValue(p, 'content-type'), 'multipart/mixed; boundary="unique-boundary-1"');
  const parts = bodyParts(p);
  assert.equal(parts.length, 2);
  assert.equal(headerValue(parts[0], 'Content-Type'), 'application/sdp');
  assert.equal(buf.toString('latin1', parts[0].bodyStart, parts[0].bodyEnd), SDP_BODY.slice(0, -2));
  assert.equal(buf.toString('latin1', parts[1].bodyStart, parts[1].bodyEnd), '<MediaServerControl version="1.0"/>');
  const noSdp = Buffer.from(buf.toString('latin1').replace('Content-Type: application/sdp', 'Content-Type: text/plain'), 'latin1');
  assert.equal(scanned(noSdp).hasSdp, false);
});

test('scanSip accepts PROTOS-style methods of hundreds of characters', () => {
  const method = 'a'.repeat(400);
  const r = scanned(sip([`${method} sip:x@y SIP/2.0`, 'Call-ID: protos@1', `CSeq: 1 ${method}`]));
  assert.equal(r.method, method);
  assert.equal(r.cseqMethod, method);
});

test('scanSip handles a 9.5 KB message with long Via/Record-Route paths', () => {
  const vias = Array.from({ length: 60 }, (_, k) => `Via: SIP/2.0/UDP proxy${k}.example.com:5060;branch=z9hG4bK${'x'.repeat(60)}${k}`);
  const rr = `Record-Route: ${Array.from({ length: 40 }, (_, k) => `<sip:rr${k}.example.com;lr>`).join(',')}`;
  const buf = sip(['INVITE sip:bob@b SIP/2.0', ...vias, rr, 'Call-ID: long@path', 'CSeq: 1 INVITE', 'Content-Length: 0']);
  assert.ok(buf.length > 6000);
  assert.equal(scanned(buf).callId, 'long@path');
  const p = parseSipMessage(buf);
  assert.equal(headerValues(p, 'Via').length, 60);
  assert.equal(headerValues(p, 'Record-Route').length, 40);
});

test('scanSip tolerates LF-only line ends and folded Call-ID', () => {
  const r = scanned(Buffer.from('OPTIONS sip:a@b SIP/2.0\nCall-ID:\n  folded@host\nCSeq: 3 OPTIONS\n\n'));
  assert.equal(r.callId, 'folded@host');
  assert.equal(r.method, 'OPTIONS');
});

test('parseSipMessage indexes headers with canonical names, folding and two To headers', () => {
  const buf = sip([
    'INVITE sip:bob@biloxi.example.com;transport=udp SIP/2.0',
    'v: SIP/2.0/UDP a.example.com;branch=1, SIP/2.0/UDP b.example.com;branch=2',
    'Via: SIP/2.0/UDP c.example.com;branch=3',
    't: <sip:first@x>',
    'To: <sip:second@x>',
    'f: "A, B" <sip:alice@x>;tag=1',
    'Subject: lunch',
    '  tomorrow',
    'Call-ID: two-to@x',
    'CSeq: 1 INVITE',
    'Contact: "Quoted, Comma" <sip:a@h>, <sip:b@h;x=1,2>',
    'Allow: INVITE, ACK,BYE',
  ]);
  const p = parseSipMessage(buf);
  assert.equal(p.valid, true);
  assert.equal(p.method, 'INVITE');
  assert.equal(p.ruri, 'sip:bob@biloxi.example.com;transport=udp');
  assert.deepEqual(p.headers.slice(0, 4).map((h) => [h.name, h.rawName]), [['Via', 'v'], ['Via', 'Via'], ['To', 't'], ['To', 'To']]);
  assert.deepEqual(headerValues(p, 'via').map((v) => v.split(';')[0]), [
    'SIP/2.0/UDP a.example.com', 'SIP/2.0/UDP b.example.com', 'SIP/2.0/UDP c.example.com',
  ]);
  assert.deepEqual(headerValues(p, 'To'), ['<sip:first@x>', '<sip:second@x>']);
  assert.equal(headerValue(p, 'TO'), '<sip:first@x>');
  assert.deepEqual(headerValues(p, 'From'), ['"A, B" <sip:alice@x>;tag=1']);
  assert.deepEqual(headerValues(p, 'Subject'), ['lunch tomorrow']);
  assert.deepEqual(headerValues(p, 'm'), ['"Quoted, Comma" <sip:a@h>', '<sip:b@h;x=1,2>']);
  assert.deepEqual(headerValues(p, 'Allow'), ['INVITE', 'ACK', 'BYE']);
  assert.equal(headerValue(p, 'X-Nothing'), undefined);
  const h = p.headers[0];
  assert.equal(buf.toString('latin1', h.nameStart, h.valueStart), 'v: ');
});

test('parseSipMessage: response fields, body range from Content-Length, garbage never throws', () => {
  const p = parseSipMessage(invite('b@h'));
  assert.equal(p.buf.toString('latin1', p.bodyStart, p.bodyEnd), SDP_BODY);
  const r = parseSipMessage(response('180 Ringing', 'b@h'));
  assert.equal(r.status, 180);
  assert.equal(r.reasonPhrase, 'Ringing');
  assert.equal(r.method, '');
  const bad = parseSipMessage(Buffer.from([0x80, 0, 1, 2, 10, 13, 58]));
  assert.equal(bad.valid, false);
  const truncated = parseSipMessage(Buffer.from('BYE sip:a@b SIP/2.0\r\nCall-ID: t@x\r\nCSeq: 2 B'));
  assert.equal(headerValue(truncated, 'CSeq'), '2 B');
  assert.equal(truncated.bodyStart, truncated.buf.length);
});

test('scanSip places: what the store reads without a full parse equals what parseSipMessage gives', () => {
  const cases: Buffer[] = [
    invite('p1@host', ['User-Agent: Phone/1.0', 'Server: not this']),
    invite('p2@host', ['Server: Proxy/2']),
    // Compact forms, a folded value whose first line is empty, a repeated From, a whitespace-only continuation.
    sip(['INVITE sip:b@h SIP/2.0', 'f:\r\n  "A" <sip:a@h>;tag=1', 'F: <sip:second@h>', 't: <sip:b@h>\r\n   ', 'i: p3@host', 'User-Agent:\r\n UA\r\n  2', 'c: application/sdp', 'l: 12'], SDP_BODY),
    // Two Content-Types, a multipart body, no Content-Length: left to the full parse or read to the end.
    sip(['INVITE sip:b@h SIP/2.0', 'Call-ID: p4', 'Content-Type: text/plain', 'Content-Type: application/sdp'], SDP_BODY),
    sip(['INVITE sip:b@h SIP/2.0', 'Call-ID: p5', 'Content-Type: multipart/mixed;boundary=XX'], `--XX\r\nContent-Type: application/sdp\r\n\r\n${SDP_BODY}\r\n--XX--\r\n`),
    sip(['INVITE sip:b@h SIP/2.0', 'Call-ID: p6', 'Content-Type: application/sdp'], SDP_BODY),
    response('200 OK', 'p7@host', '1 INVITE', ['Server: S']),
  ];
  const places = scanPlaces();
  for (const buf of cases) {
    const r = scanSip(buf, undefined, places);
    if (typeof r === 'string') assert.fail(`unexpected skip ${r}`);
    const parsed = parseSipMessage(buf);
    const text = (start: number, end: number) => (start < 0 ? undefined : valueText(buf, start, end));
    const label = buf.toString('latin1', 0, 40);
    assert.equal(text(places.from, places.fromEnd), headerValue(parsed, 'From'), label);
    assert.equal(text(places.to, places.toEnd), headerValue(parsed, 'To'), label);
    assert.equal(text(places.userAgent, places.userAgentEnd), headerValue(parsed, 'User-Agent'), label);
    assert.equal(text(places.server, places.serverEnd), headerValue(parsed, 'Server'), label);
    assert.equal(buf.toString('utf8', places.text, places.textEnd), r.status === 0 ? parsed.ruri : parsed.reasonPhrase, label);
    if (places.sdp >= 0) assert.deepEqual([parseSdp(buf.toString('utf8', places.sdp, places.sdpEnd))], sdpSessionsOf(parsed), label);
  }
  const plain = (i: number) => (scanSip(cases[i]!, undefined, places), places.sdp >= 0);
  assert.deepEqual([0, 2, 3, 4, 5, 6].map(plain), [true, true, false, false, true, false]);
});
