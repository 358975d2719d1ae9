import { test } from 'node:test';
import assert from 'node:assert/strict';
import { flowSdp, newSdpState, sdpLabel, sdpMediaOf, type FlowSdp } from '../../src/layout/flow-sdp.js';
import type { SdpMediaSummary } from '../../src/model/message-view.js';
import { cellWidth } from '../../src/layout/text-width.js';
import { viewOf } from '../support/views.js';

function audio(address: string, port: number, direction = 'sendrecv', codecs = ['PCMA/8000', 'PCMU/8000', 'telephone-event/8000']): SdpMediaSummary {
  return { media: 'audio', address, port, codecs, direction };
}
const T38: SdpMediaSummary = { media: 'image', address: '10.0.0.9', port: 46012, codecs: ['t38'], direction: 'sendrecv' };

test('SDP modes: (SDP), first media as sngrep writes it, every m= line', () => {
  const sdp = flowSdp([audio('10.23.1.52', 16756)], newSdpState());
  assert.equal(sdpLabel('INVITE', sdp, 'off', 80, false), 'INVITE (SDP)');
  assert.equal(sdpLabel('INVITE', sdp, 'first', 80, false), 'INVITE (10.23.1.52:16756 PCMA)');
  assert.equal(sdpLabel('INVITE', sdp, 'full', 80, false), 'INVITE (audio 10.23.1.52:16756 PCMA,PCMU,telephone-event)');
  const two = flowSdp([audio('10.0.0.1', 4000), { ...T38, port: 0 }], newSdpState());
  assert.equal(sdpLabel('200 OK', two, 'full', 80, false), '200 OK (audio 10.0.0.1:4000 PCMA,PCMU,telephone-event; image 10.0.0.9:0 t38)');
  assert.equal(sdpLabel('INVITE', flowSdp([audio('2001:db8::1', 5004)], newSdpState()), 'first', 80, false), 'INVITE ([2001:db8::1]:5004 PCMA)');
  assert.equal(sdpLabel('INVITE', undefined, 'first', 80, false), 'INVITE (SDP)', 'not read yet');
});

test('hold, the answer to it and the resume are on the arrows; a dialog keeps its hold state', () => {
  const state = newSdpState();
  const labels = [
    [audio('10.0.0.1', 4000)], [audio('10.0.0.2', 5000)],
    [audio('10.0.0.1', 4000, 'sendonly')], [audio('10.0.0.2', 5000, 'recvonly')],
    [audio('10.0.0.1', 4000)], [audio('10.0.0.2', 5000)],
    [audio('0.0.0.0', 4000)], [audio('10.0.0.1', 4000, 'inactive')], [audio('10.0.0.1', 4000)],
  ].map((media) => flowSdp(media, state).change);
  assert.deepEqual(labels, ['', '', 'sendonly', 'recvonly', 'resume', '', 'hold', 'inactive', 'resume']);
  const held: FlowSdp = { media: [audio('0.0.0.0', 4000)], change: 'hold' };
  assert.equal(sdpLabel('INVITE', held, 'off', 80, false), 'INVITE (SDP hold)');
  assert.equal(sdpLabel('INVITE', held, 'first', 80, false), 'INVITE (0.0.0.0:4000 PCMA hold)');
  assert.equal(sdpLabel('INVITE', held, 'full', 80, false), 'INVITE (audio 0.0.0.0:4000 PCMA,PCMU,telephone-event hold)');
});

test('a switch to T.38 names the image media; audio offered beside T.38 is no switch', () => {
  const sw = flowSdp([{ ...audio('10.0.0.9', 0) }, T38], newSdpState());
  assert.equal(sw.change, 'T.38');
  assert.equal(sdpLabel('INVITE', sw, 'off', 80, false), 'INVITE (SDP T.38)');
  assert.equal(sdpLabel('INVITE', sw, 'first', 80, false), 'INVITE (10.0.0.9:46012 T.38)');
  assert.equal(flowSdp([audio('10.0.0.9', 6020), T38], newSdpState()).change, '');
});

test('narrow arrows keep the port and codec: the address loses its start, then goes', () => {
  const sdp = flowSdp([audio('192.168.100.200', 16756, 'sendonly')], newSdpState());
  const whole = 'INVITE (192.168.100.200:16756 PCMA sendonly)';
  assert.equal(sdpLabel('INVITE', sdp, 'first', 80, false), whole);
  const cut = sdpLabel('INVITE', sdp, 'first', 36, false);
  assert.equal(cut, 'INVITE (…00.200:16756 PCMA sendonly)');
  assert.equal(sdpLabel('INVITE', sdp, 'first', 36, true), 'INVITE (~00.200:16756 PCMA sendonly)');
  assert.equal(sdpLabel('INVITE', sdp, 'first', 24, false), 'INVITE (PCMA sendonly)');
  for (let room = 1; room < 50; room++) {
    for (const mode of ['off', 'first', 'full'] as const) assert.ok(cellWidth(sdpLabel('INVITE', sdp, mode, room, false)) <= room, `${mode} at ${room}`);
  }
});

test('the m= lines of a message view, multipart included', () => {
  const body = 'v=0\r\no=- 1 1 IN IP4 10.0.0.1\r\ns=-\r\nc=IN IP4 10.0.0.1\r\nt=0 0\r\nm=audio 4000 RTP/AVP 8 101\r\na=rtpmap:101 telephone-event/8000\r\na=sendonly\r\n';
  const text = `INVITE sip:b@x SIP/2.0\r\nCall-ID: a\r\nCSeq: 1 INVITE\r\nContent-Type: application/sdp\r\nContent-Length: ${body.length}\r\n\r\n${body}`;
  const media = sdpMediaOf(viewOf(text));
  assert.equal(media.length, 1);
  assert.equal(sdpLabel('INVITE', flowSdp(media, newSdpState()), 'first', 80, false), 'INVITE (10.0.0.1:4000 PCMA sendonly)');
});

test('on the narrowest arrows the change outlives the codec', () => {
  const sdp = flowSdp([audio('10.0.0.1', 4000, 'sendonly')], newSdpState());
  assert.equal(sdpLabel('INVITE', sdp, 'first', 22, false), 'INVITE (PCMA sendonly)');
  assert.equal(sdpLabel('INVITE', sdp, 'first', 20, false), 'INVITE (sendonly)');
  assert.equal(sdpLabel('INVITE', flowSdp([audio('10.0.0.1', 4000)], newSdpState()), 'first', 12, false), 'INVITE (SDP)');
});
