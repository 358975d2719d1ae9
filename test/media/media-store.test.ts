import { dialogId, held } from '../support/ids.js';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MediaPlane } from '../../src/media/media-plane.js';
import { MediaStore } from '../../src/media/media-store.js';
import { newRtpHeader, readRtp } from '../../src/media/rtp.js';
import { sdpEndpoints, sdpSessions } from '../../src/media/sdp-endpoints.js';
import { MAX_ENDPOINTS, MediaMap } from '../../src/media/media-map.js';
import { parseSdp, type SdpSession } from '../../src/sip/sdp.js';
import { SdpReader } from '../../src/sip/sdp-scan.js';
import type { DialogId } from '../../src/model/ids.js';
import type { Datagram } from '../../src/model/datagram.js';
import type { Frame } from '../../src/model/frame.js';
import { loadCapture, sharedPcap } from './support.js';

const reader = new SdpReader();
const read = (sessions: readonly SdpSession[]) => reader.readSessions(sessions);

const SDP = 'v=0\r\nc=IN IP4 192.0.2.1\r\nm=audio 4000 RTP/AVP 0 8\r\nm=video 0 RTP/AVP 96\r\nm=audio 5000 RTP/AVP 0\r\n';
const SDP_INVITE = Buffer.from([
  'INVITE sip:bob@192.0.2.2 SIP/2.0', 'Call-ID: a', 'CSeq: 1 INVITE', 'Content-Type: application/sdp', `Content-Length: ${SDP.length}`, '', SDP,
].join('\r\n'));

function rtp(ssrc: number, pt: number, seq = 0): Buffer {
  const b = Buffer.alloc(172);
  b[0] = 0x80;
  b[1] = pt;
  b.writeUInt16BE(seq, 2);
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

test('RTP header: fields; RTCP, short and non-v2 payloads are not RTP', () => {
  const h = newRtpHeader();
  assert.equal(readRtp(rtp(0x1234, 0x80 | 8), h), '');
  assert.deepEqual([h.ssrc, h.payloadType, h.marker, h.payloadStart, h.payloadEnd], [0x1234, 8, true, 12, 172], 'the marker bit is not part of the type');
  assert.equal(readRtp(rtp(1, 200), h), 'rtcp');
  assert.equal(readRtp(Buffer.alloc(11), h), 'rtp-short');
  assert.equal(readRtp(Buffer.alloc(12), h), 'rtp-version');
});

test('SDP endpoints: every m= port with its c= address; declined (port 0) streams none', () => {
  assert.deepEqual(sdpEndpoints(SDP_INVITE), [{ address: '192.0.2.1', port: 4000 }, { address: '192.0.2.1', port: 5000 }]);
  assert.deepEqual(sdpEndpoints(Buffer.from('BYE sip:x SIP/2.0\r\nCall-ID: a\r\nContent-Length: 0\r\n\r\n')), []);
});

function learned(dialog: DialogId): MediaPlane {
  const plane = new MediaPlane();
  const { d } = udp(SDP_INVITE, '192.0.2.1', 5060, '192.0.2.2', 5060);
  plane.learnMessage(dialog, d, 'INVITE', read(sdpSessions(SDP_INVITE)));
  return plane;
}

test('media plane: datagrams to or from a learned endpoint (and its RTCP port) belong to its dialog, per stream', () => {
  const plane = learned(dialogId(3));
  const kept = [
    udp(rtp(7, 0), '192.0.2.9', 6000, '192.0.2.1', 4000),
    udp(rtp(7, 0, 1), '192.0.2.9', 6000, '192.0.2.1', 4000),
    udp(rtp(9, 8), '192.0.2.1', 4000, '192.0.2.9', 6000),
    udp(rtp(1, 200), '192.0.2.1', 4001, '192.0.2.9', 6001),
  ];
  for (const { d } of kept) assert.equal(plane.offer(d, true), 3);
  const other = udp(rtp(7, 0), '192.0.2.9', 6000, '192.0.2.1', 4002);
  assert.equal(plane.offer(other.d, true), -1);
  assert.deepEqual(plane.streams(dialogId(3)).map((s) => [s.ssrc, s.payloadType, s.codec, s.packets, s.origin]), [[7, 0, 'PCMU', 2, 'nat'], [9, 8, 'PCMA', 1, 'nat']]);
  assert.deepEqual(plane.streams(dialogId(4)), []);
});

test('media plane: a port announced again by a newer dialog takes the stream from its next packet; a forgotten dialog its streams', () => {
  const plane = learned(dialogId(3));
  const toA = (seq: number): Datagram => udp(rtp(7, 0, seq), '192.0.2.9', 6000, '192.0.2.1', 4000).d;
  for (let seq = 0; seq < 3; seq++) assert.equal(plane.offer(toA(seq), true), 3);
  const { d } = udp(SDP_INVITE, '192.0.2.1', 5060, '192.0.2.2', 5060);
  plane.learnMessage(dialogId(4), d, 'INVITE', read(sdpSessions(SDP_INVITE)));
  for (let seq = 3; seq < 5; seq++) assert.equal(plane.offer(toA(seq), true), 4);
  assert.deepEqual([plane.streams(dialogId(3)).map((s) => s.packets), plane.streams(dialogId(4)).map((s) => s.packets)], [[3], [2]]);
  plane.forgetBefore(dialogId(4));
  assert.equal(plane.offer(toA(5), true), 4);
  assert.deepEqual([plane.streams(dialogId(3)), plane.streams(dialogId(4)).map((s) => s.packets)], [[], [3]]);
});

test('media plane: a failed call (busy, rejected) ends like a BYE; the retry after a challenge starts again', () => {
  const plane = new MediaPlane();
  const sip = (start: string): Datagram => udp(Buffer.from(`${start}\r\nCall-ID: a\r\n\r\n`), '192.0.2.2', 5060, '192.0.2.1', 5060).d;
  const { d } = udp(SDP_INVITE, '192.0.2.1', 5060, '192.0.2.2', 5060);
  const between = (seq: number): Datagram => udp(rtp(5, 8, seq), '192.0.2.1', 30000, '192.0.2.2', 30002).d;
  const none = read([]);
  plane.learnMessage(dialogId(3), d, 'INVITE', read(sdpSessions(SDP_INVITE)), 'CALL SETUP');
  assert.equal(plane.offer(between(0)), 3, 'RTP between the hosts of a call being set up');
  plane.learnMessage(dialogId(3), sip('SIP/2.0 407 Proxy Authentication Required'), '', none, 'REJECTED');
  assert.equal(plane.offer(between(1)), -1, 'the challenged call is over');
  plane.learnMessage(dialogId(3), d, 'INVITE', read(sdpSessions(SDP_INVITE)), 'CALL SETUP');
  assert.equal(plane.offer(between(2)), 3, 'the retry sets it up again');
  plane.learnMessage(dialogId(3), sip('SIP/2.0 486 Busy Here'), '', none, 'BUSY');
  assert.equal(plane.offer(between(3)), -1);
});

test('media store: keeps frames per dialog; a payload that is not a view of its frame (reassembled) is kept on its own', () => {
  const media = new MediaStore();
  const a = udp(rtp(9, 8), '192.0.2.1', 4000, '192.0.2.9', 6000);
  media.keep(dialogId(3), a.d, a.f);
  const { d, f } = udp(rtp(7, 0), '192.0.2.9', 6000, '192.0.2.1', 4000);
  media.keep(dialogId(0), { ...d, payload: Buffer.from(d.payload) }, f);
  assert.equal(media.kept, 2);
  assert.deepEqual(media.frameBytes(media.packets(dialogId(3))[0]!), a.f.data);
  assert.deepEqual(media.payloadBytes(media.packets(dialogId(3))[0]!), rtp(9, 8));
  assert.deepEqual(media.payloadBytes(media.packets(dialogId(0))[0]!), rtp(7, 0));
});

test('-r on a real call: both G.711 streams counted as tshark counts them; without -r nothing is kept', async () => {
  const path = sharedPcap('sipnab/sip-rtp-g711.pcap');
  const { store, media } = await loadCapture(path, true);
  assert.ok(media);
  assert.ok(media.kept >= 839);
  const streams = Array.from({ length: store.dialogCount() }, (_, i) => store.streams(held(store, i).id)).flat();
  assert.deepEqual(
    streams.map((s) => [s.ssrc.toString(16), s.payloadType, s.packets]).sort(),
    [['343da99b', 0, 425], ['343ffa34', 8, 414]],
  );
  assert.equal((await loadCapture(path)).media, undefined);
});

test('media map: at its bound, the oldest endpoints of ended calls make room; with every call live the new one is refused', () => {
  const template = parseSdp('v=0\r\nc=IN IP4 192.0.2.1\r\nm=audio 4000 RTP/AVP 0\r\na=rtcp-mux\r\n');
  const at = (port: number) => read([{ ...template, media: [{ ...template.media[0]!, port }] }]);
  const ended = new Set<number>();
  const skipped: string[] = [];
  const map = new MediaMap((r) => skipped.push(r), (d) => ended.has(d));
  for (let i = 0; i < MAX_ENDPOINTS; i++) map.learn(dialogId(i), at(1 + i), 0, 0);
  assert.equal(map.size, MAX_ENDPOINTS);
  ended.add(5);
  map.learn(dialogId(MAX_ENDPOINTS), at(MAX_ENDPOINTS + 1), 0, 0);
  assert.deepEqual(skipped, []);
  assert.equal(map.size, MAX_ENDPOINTS);
  assert.equal(map.lookup('192.0.2.1', 6), -1, 'the ended call\'s endpoint went');
  assert.equal(map.dialogOf(map.lookup('192.0.2.1', MAX_ENDPOINTS + 1)), MAX_ENDPOINTS);
  assert.equal(map.dialogOf(map.lookup('192.0.2.1', 7)), 6, 'live calls keep theirs');
  map.learn(dialogId(MAX_ENDPOINTS + 1), at(MAX_ENDPOINTS + 2), 0, 0);
  assert.deepEqual(skipped, ['media-endpoint-limit']);
  assert.equal(map.lookup('192.0.2.1', MAX_ENDPOINTS + 2), -1);
});

test('media plane: what SIP taught before the first media is learnt in order when media comes, past the log\'s address bound too', () => {
  const plane = new MediaPlane();
  const none = read([]);
  const sip = (src: string, dst: string): Datagram => udp(Buffer.from('BYE sip:x SIP/2.0\r\nCall-ID: a\r\n\r\n'), src, 5060, dst, 5060).d;
  const between = (src: string, dst: string): Datagram => udp(rtp(5, 8), src, 30000, dst, 30002).d;
  plane.learnMessage(dialogId(1), sip('192.0.2.1', '192.0.2.2'), 'INVITE', none, 'CALL SETUP');
  plane.learnMessage(dialogId(2), sip('192.0.2.3', '192.0.2.4'), 'INVITE', none, 'CALL SETUP');
  plane.learnMessage(dialogId(1), sip('192.0.2.1', '192.0.2.2'), 'BYE', none, 'CALL SETUP');
  // More distinct hosts than the log numbers: it is replayed, and the rest learnt at once.
  for (let i = 0; i < 70_000; i++) plane.learnMessage(dialogId(3 + i), sip(`10.${i >> 16}.${(i >> 8) & 255}.${i & 255}`, '192.0.2.9'), 'INVITE', none, 'CALL SETUP');
  assert.equal(plane.offer(between('192.0.2.1', '192.0.2.2')), -1, 'the call that ended before any media');
  assert.equal(plane.offer(between('192.0.2.3', '192.0.2.4')), 2);
  assert.equal(plane.offer(between('10.1.17.111', '192.0.2.9')), 3 + 70_000 - 1, 'the latest dialog of a host');
  assert.equal(plane.offer(between('10.0.0.5', '10.0.0.6')), -1);
});
