import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseSdp } from '../../src/sip/sdp.js';
import { SDP_BODY } from './fixtures.js';

test('audio offer: origin, connection, codecs, direction', () => {
  const s = parseSdp(Buffer.from(SDP_BODY));
  assert.equal(s.origin?.username, 'alice');
  assert.equal(s.origin?.address, '10.0.0.1');
  assert.equal(s.sessionName, 'call');
  assert.equal(s.connection, '10.0.0.1');
  assert.equal(s.media.length, 1);
  const m = s.media[0];
  assert.equal(m.media, 'audio');
  assert.equal(m.port, 49170);
  assert.equal(m.proto, 'RTP/AVP');
  assert.deepEqual(m.formats, ['0', '8', '101']);
  assert.deepEqual(m.rtpmap.get('8'), { encoding: 'PCMA', clockRate: 8000, params: '' });
  assert.equal(m.fmtp.get('101'), '0-16');
  assert.equal(m.direction, 'sendrecv');
  assert.equal(m.crypto, false);
});

test('T.38 image stream with its own connection, session-level direction, crypto', () => {
  const s = parseSdp([
    'v=0', 'o=- 1 2 IN IP4 192.0.2.1', 's=-', 'c=IN IP4 192.0.2.1', 'a=sendonly', 't=0 0',
    'm=audio 5004/2 RTP/SAVP 0', 'a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:WVNfX19zZW1jdGwgKCkgewkyMjA7fQp9CnVubGVz',
    'm=image 6000 udptl t38', 'c=IN IP4 192.0.2.9/127',
    'a=T38FaxVersion:0', 'a=T38FaxRateManagement:transferredTCF', 'a=T38FaxUdpEC:t38UDPRedundancy', 'a=T38FaxFillBitRemoval',
    'a=recvonly',
  ].join('\n'));
  const [audio, image] = s.media;
  assert.equal(s.direction, 'sendonly');
  assert.equal(audio.direction, 'sendonly');
  assert.equal(audio.portCount, 2);
  assert.equal(audio.crypto, true);
  assert.equal(audio.connection, '192.0.2.1');
  assert.equal(image.media, 'image');
  assert.equal(image.connection, '192.0.2.9');
  assert.equal(image.direction, 'recvonly');
  assert.deepEqual(image.t38, {
    T38FaxVersion: '0', T38FaxRateManagement: 'transferredTCF', T38FaxUdpEC: 't38UDPRedundancy', T38FaxFillBitRemoval: '',
  });
});

test('garbage SDP gives an empty session', () => {
  const s = parseSdp('hello\r\nm=\r\nx');
  assert.equal(s.origin, undefined);
  assert.equal(s.media.length, 1);
  assert.equal(s.media[0].port, 0);
});
