import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseSdp } from '../../src/sip/sdp.js';
import { readNamesT38, SdpReader, type SdpRead } from '../../src/sip/sdp-scan.js';
import { SDP_BODY } from './fixtures.js';

/** What a read says, as plain data (shapes by content). */
function plain(r: SdpRead): unknown {
  return {
    bodies: r.bodies, count: r.count, firstCount: r.firstCount,
    sections: r.sections.slice(0, r.count).map((s) => ({
      media: s.shape.media, proto: s.shape.proto, direction: s.shape.direction, codecs: s.shape.codecs, udptl: s.shape.udptl, srtp: s.shape.srtp, t38: s.shape.t38,
      rtpmap: [...s.shape.rtpmap], port: s.port, connection: s.connection, rtcpPort: s.rtcpPort, rtcpAddress: s.rtcpAddress, rtcpMux: s.rtcpMux,
    })),
  };
}

const reference = new SdpReader();
/** The scan of a body, fresh and once its shapes are known, against parseSdp's reading of it. */
function same(body: Buffer, reader: SdpReader): void {
  const want = plain(reference.readSessions([parseSdp(body)]));
  assert.deepEqual(plain(new SdpReader().read(body, 0, body.length)), want, JSON.stringify(body.toString('latin1')));
  assert.deepEqual(plain(reader.read(body, 0, body.length)), want, JSON.stringify(body.toString('latin1')));
  assert.deepEqual(plain(reader.read(body, 0, body.length)), want, JSON.stringify(body.toString('latin1')));
  // Inside a larger buffer, at each alignment, between bytes the scan must not read (it reads four at a time).
  for (let lead = 1; lead <= 4; lead++) {
    const framed = Buffer.concat([Buffer.alloc(lead, 0x80), body, Buffer.from([0x0a, 0x00, 0x80])]);
    assert.deepEqual(plain(reader.read(framed, lead, lead + body.length)), want, `${lead}: ${JSON.stringify(body.toString('latin1'))}`);
  }
}

const BASES = [
  SDP_BODY,
  ['v=0', 'o=- 1 2 IN IP4 192.0.2.1', 's=-', 'c=IN IP4 192.0.2.1', 'a=sendonly', 't=0 0',
    'm=audio 5004/2 RTP/SAVP 0 8 101', 'a=rtpmap:101 telephone-event/8000', 'a=rtcp:5009 IN IP4 192.0.2.7', 'a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:xyz',
    'm=image 6000 udptl t38', 'c=IN IP4 192.0.2.9/127', 'a=T38FaxVersion:0', 'a=recvonly',
    'm=video 0 RTP/AVP 96', 'a=rtpmap:96 H264/90000', 'a=rtcp-mux', 'a=inactive', ''].join('\r\n'),
  ['v=0', 'c=IN IP6 2001:db8::1', 'm=audio 4000 UDP/TLS/RTP/SAVPF 111 0', 'a=rtpmap:111 opus/48000/2', 'a=rtpmap:0 PCMU/8000', 'a=rtcp:4001', 'a=rtcp-mux', ''].join('\n'),
];

test('SDP scan: reads what parseSdp reads, for plain and odd spellings', () => {
  const reader = new SdpReader();
  for (const b of BASES) same(Buffer.from(b, 'latin1'), reader);
  const odd = [
    'v=0\r\nm=audio 4000 RTP/AVP 0\r\n',
    'c=IN IP4 10.0.0.1\nm=audio  4000   RTP/AVP\t0 8 \r\na= rtpmap : 8 PCMA/8000 \r\na=sendonly \r\n',
    'c=IN\nm=audio 4000 RTP/AVP 0\r\nc=IN IP4\r\n',
    'c= IN  IP4  10.0.0.2/5/6 extra\r\nm=audio 04000 RTP/AVP 0\r\na=rtcp:\r\na=rtcp: 7000 IN IP4\r\n',
    'm=audio 0x10 RTP/AVP 0\r\n',
    'm=audio 1e3 RTP/AVP 0\r\n',
    'm=audio 99999999999 RTP/AVP 0\r\n',
    'm=audio\r\n',
    'm=\r\n',
    'm=audio 4000\r\n',
    'a=rtpmap:0 PCMU/8000\r\nm=audio 4000 RTP/AVP 0\r\na=rtpmap:0 PCMA/8000\r\na=rtpmap:0 G722/8000\r\na=rtpmap:0\r\n',
    'm=audio 4000 RTP/AVP 0\r\na=rtcp:abc\r\n',
    'm=audio 4000 RTP/AVP 0\r\na=rtcp:5000 IN IP4 10.9.9.9 more\r\na=rtcp:5002\r\n',
    'm=audio 4000 RTP/AVP 0\r\r\n\r\nc=IN IP4 1.2.3.4\r\r\n',
    'm=audio 4000 RTP/AVP 0\r\n\u000bc=IN IP4 1.2.3.4\r\n',
    'c=IN IP4 caf\u00e9\r\nm=audio 4000 RTP/AVP 0\r\n',
    'x\r\n=\r\nm\r\na\r\nmm=audio 4000 RTP/AVP 0\r\n',
    '',
  ];
  for (const b of odd) same(Buffer.from(b, 'utf8'), reader);
  same(Buffer.from(Array.from({ length: 17 }, (_, i) => `m=audio ${4000 + 2 * i} RTP/AVP 0\r\n`).join('')), reader);
});

test('SDP scan: mutated bodies read as parseSdp reads them', () => {
  const reader = new SdpReader();
  let seed = 12345;
  const rnd = (n: number) => {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    return seed % n;
  };
  const pieces = [' ', '\t', '\r', '\n', '\r\n', '/', ':', '=', 'a=', 'm=', 'c=', '0', '9', 'rtcp', 'rtpmap:', 'sendonly', '\u00e9', '\u0000', 'IN IP4 '];
  for (let i = 0; i < 3000; i++) {
    let text = BASES[rnd(BASES.length)]!;
    for (let n = 1 + rnd(4); n > 0; n--) {
      const at = rnd(text.length + 1);
      const op = rnd(3);
      if (op === 0) text = text.slice(0, at) + pieces[rnd(pieces.length)] + text.slice(at);
      else if (op === 1) text = text.slice(0, at) + text.slice(at + 1 + rnd(6));
      else text = text.slice(0, at) + text.slice(rnd(text.length), rnd(text.length)) + text.slice(at);
    }
    same(Buffer.from(text, 'utf8'), reader);
  }
});

test('SDP scan: SDP that differs by port and address shares its shapes; a body inside a larger buffer is read in place', () => {
  const reader = new SdpReader();
  const one = (port: number, ip: string) => Buffer.from(`v=0\r\nc=IN IP4 ${ip}\r\nm=audio ${port} RTP/AVP 8 101\r\na=rtpmap:101 telephone-event/8000\r\n`);
  const a = reader.read(one(4000, '10.0.0.1'), 0, one(4000, '10.0.0.1').length).sections[0]!.shape;
  const bodyB = Buffer.concat([Buffer.from('INVITE …\r\n\r\n'), one(5000, '10.0.0.2'), Buffer.from('trailer')]);
  const r = reader.read(bodyB, 12, bodyB.length - 7);
  assert.equal(r.sections[0]!.shape, a);
  assert.equal(r.sections[0]!.port, 5000);
  assert.equal(r.sections[0]!.connection, '10.0.0.2');
  assert.deepEqual(a.codecs, ['PCMA', 'telephone-event']);
});

test('SDP scan: a shape says T.38 for m=image … t38 and for t38 over RTP, not for audio', () => {
  const reader = new SdpReader();
  const read = (media: string): SdpRead => {
    const body = Buffer.from(`v=0\r\nc=IN IP4 192.0.2.1\r\n${media}`);
    return reader.read(body, 0, body.length);
  };
  const t38 = (r: SdpRead) => r.sections.slice(0, r.count).map((s) => s.shape.t38);
  assert.deepEqual(t38(read('m=audio 4000 RTP/AVP 8\r\nm=image 4002 udptl T38\r\n')), [false, true]);
  assert.deepEqual(t38(read('m=audio 4000 RTP/AVP 96\r\na=rtpmap:96 t38/8000\r\n')), [true]);
  assert.equal(readNamesT38(read('m=audio 4000 RTP/AVP 0 101\r\na=rtpmap:101 telephone-event/8000\r\na=T38FaxVersion:0\r\n')), false);
  assert.equal(readNamesT38(read('m=image 0 udptl t38\r\n')), true);
});
