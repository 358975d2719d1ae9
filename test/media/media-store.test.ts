import { held } from '../support/ids.js';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MediaStore } from '../../src/media/media-store.js';
import { readRtpHeader } from '../../src/media/rtp.js';
import { sdpEndpoints } from '../../src/media/sdp-endpoints.js';
import type { Datagram } from '../../src/model/datagram.js';
import type { Frame } from '../../src/model/frame.js';
import { loadCapture, sharedPcap } from './support.js';

const SDP = 'v=0\r\nc=IN IP4 192.0.2.1\r\nm=audio 4000 RTP/AVP 0 8\r\nm=video 0 RTP/AVP 96\r\nm=audio 5000 RTP/AVP 0\r\n';
const SDP_INVITE = Buffer.from([
  'INVITE sip:bob@192.0.2.2 SIP/2.0', 'Call-ID: a', 'CSeq: 1 INVITE', 'Content-Type: application/sdp', `Content-Length: ${SDP.length}`, '', SDP,
].join('\r\n'));

function rtp(ssrc: number, pt: number): Buffer {
  const b = Buffer.alloc(172);
  b[0] = 0x80;
  b[1] = pt;
  b.writeUInt32BE(ssrc, 8);
  return b;
}

/** A frame whose last bytes are the payload, as a decoder hands it over. */
function udp(payload: Buffer, src: string, sport: number, dst: string, dport: number): { d: Datagram; f: Frame } {
  const data = Buffer.concat([Buffer.alloc(42, 0xee), payload]);
  const f: Frame = { index: 1, ts: 5n, linktype: 1, data, origLen: data.length, fileOffset: -1 };
  const d: Datagram = { frame: 1, ts: 5n, src, sport, dst, dport, transport: 'UDP', payload: data.subarray(42), fileOffset: -1 };
  return { d, f };
}

test('RTP header: SSRC and payload type; RTCP, short and non-v2 payloads are not RTP', () => {
  assert.deepEqual(readRtpHeader(rtp(0x1234, 8)), { ssrc: 0x1234, payloadType: 8 });
  assert.deepEqual(readRtpHeader(rtp(0x1234, 0x80 | 8)), { ssrc: 0x1234, payloadType: 8 }, 'the marker bit is not part of the type');
  assert.equal(readRtpHeader(rtp(1, 200)), 'rtcp');
  assert.equal(readRtpHeader(Buffer.alloc(11)), 'rtp-short');
  assert.equal(readRtpHeader(Buffer.alloc(12)), 'rtp-version');
});

test('SDP endpoints: every m= port with its c= address; declined (port 0) streams none', () => {
  assert.deepEqual(sdpEndpoints(SDP_INVITE), [{ address: '192.0.2.1', port: 4000 }, { address: '192.0.2.1', port: 5000 }]);
  assert.deepEqual(sdpEndpoints(Buffer.from('BYE sip:x SIP/2.0\r\nCall-ID: a\r\nContent-Length: 0\r\n\r\n')), []);
});

test('media store: keeps datagrams to or from a learned endpoint (and its RTCP port), per dialog and stream', () => {
  const media = new MediaStore();
  media.learn(3, SDP_INVITE);
  const kept = [
    udp(rtp(7, 0), '192.0.2.9', 6000, '192.0.2.1', 4000),
    udp(rtp(7, 0), '192.0.2.9', 6000, '192.0.2.1', 4000),
    udp(rtp(9, 8), '192.0.2.1', 4000, '192.0.2.9', 6000),
    udp(rtp(1, 200), '192.0.2.1', 4001, '192.0.2.9', 6001),
  ];
  for (const { d, f } of kept) assert.equal(media.offer(d, f), true);
  const other = udp(rtp(7, 0), '192.0.2.9', 6000, '192.0.2.1', 4002);
  assert.equal(media.offer(other.d, other.f), false);
  assert.equal(media.kept, 4);
  assert.equal(media.packets(3).length, 4);
  assert.equal(media.packets(4).length, 0);
  assert.deepEqual(media.streams(3).map((s) => [s.ssrc, s.payloadType, s.packets]), [[7, 0, 2], [9, 8, 1]]);
  const p = media.packets(3)[2]!;
  assert.deepEqual(media.frameBytes(p), kept[2]!.f.data);
  assert.deepEqual(media.payloadBytes(p), rtp(9, 8));
});

test('media store: a payload that is not a view of its frame (reassembled) is kept on its own', () => {
  const media = new MediaStore();
  media.learn(0, SDP_INVITE);
  const { d, f } = udp(rtp(7, 0), '192.0.2.9', 6000, '192.0.2.1', 4000);
  const copy = { ...d, payload: Buffer.from(d.payload) };
  media.offer(copy, f);
  assert.deepEqual(media.payloadBytes(media.packets(0)[0]!), rtp(7, 0));
});

test('-r on a real call: both G.711 streams counted as tshark counts them; without -r nothing is kept', async () => {
  const path = sharedPcap('sipnab/sip-rtp-g711.pcap');
  const { store, media } = await loadCapture(path, true);
  assert.ok(media);
  const streams = Array.from({ length: store.dialogCount() }, (_, i) => media.streams(held(store, i).id)).flat();
  assert.deepEqual(
    streams.map((s) => [s.ssrc.toString(16), s.payloadType, s.packets]).sort(),
    [['343da99b', 0, 425], ['343ffa34', 8, 414]],
  );
  assert.equal((await loadCapture(path)).media, undefined);
});
