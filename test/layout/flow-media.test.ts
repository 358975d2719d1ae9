import { test } from 'node:test';
import assert from 'node:assert/strict';
import { labelInfoDtmf, streamFlowMessages, streamLabel, type StreamRow } from '../../src/layout/flow-media.js';
import { flowMessageFrom, mergeFlows, type FlowMessage } from '../../src/layout/flow-message.js';
import { layoutFlow } from '../../src/layout/flow-layout.js';
import { arrowStyle, flowRows } from '../../src/layout/flow-rows.js';
import { cellWidth } from '../../src/layout/text-width.js';
import type { DtmfEvent, RtpStreamInfo } from '../../src/model/media.js';
import type { SipMessage } from '../../src/model/sip.js';
import { dialogId, messageId } from '../support/ids.js';

const T0 = 1_700_000_000_000_000_000n;
const D = dialogId(4);

function stream(id: number, src: string, dst: string, extra: Partial<RtpStreamInfo> = {}): RtpStreamInfo {
  return {
    id, dialog: D, src, sport: 4000, dst, dport: 5000, ssrc: 1, origin: 'sdp', media: 'audio', srtp: false, payloadType: 8, codec: 'PCMA',
    payloadTypes: [8], codecs: ['PCMA'], packets: 1450, expected: 1455, lost: 5, lossPct: 0.34, seqErrors: 1, duplicates: 0,
    wrongTimestamps: 0, markers: 1, maxDeltaMs: 20, meanJitterMs: 1, maxJitterMs: 2, start: T0 + 2_000_000_000n, end: T0 + 30_000_000_000n,
    mos: 4.21, jitterDiscards: 0, dtmf: [],
    rtcp: { senderReports: 0, receiverReports: 0, fractionLostPct: null, cumulativeLost: null, jitterMs: null, rttMs: null, xr: null },
    ...extra,
  };
}

function key(digit: string, ts: bigint, source: DtmfEvent['source'] = 'rfc4733'): DtmfEvent {
  return { digit, ts, durationMs: 160, volume: 10, ended: true, source };
}

function sip(i: number, method: string, ts: bigint): FlowMessage {
  const m: SipMessage = {
    id: messageId(i), dialog: D, frame: i, ts, src: '10.0.0.1', sport: 5060, dst: '10.0.0.2', dport: 5060, transport: 'UDP', method,
    status: 0, cseq: i, cseqMethod: method, hasSdp: false, retrans: false, ref: { inFile: false, offset: 0, length: 0 },
  };
  return flowMessageFrom(m);
}

test('a row per stream at its first packet between its media addresses, a row per RFC 4733 key press', () => {
  const streams = [
    stream(7, '10.0.0.1', '10.0.0.2', { dtmf: [key('5', T0 + 5_000_000_000n), key('#', T0 + 6_000_000_000n)] }),
    stream(8, '10.0.0.2', '2001:db8::9', { codec: '', payloadType: 96, mos: null, start: T0 + 2_100_000_000n }),
  ];
  const rows = streamFlowMessages(streams, D, messageId(3));
  assert.deepEqual(rows.map((r) => [r.synthetic?.kind, r.src, r.dst, r.label]), [
    ['rtp', '10.0.0.1:4000', '10.0.0.2:5000', 'RTP (PCMA)'],
    ['dtmf', '10.0.0.1:4000', '10.0.0.2:5000', 'DTMF 5 (160 ms)'],
    ['dtmf', '10.0.0.1:4000', '10.0.0.2:5000', 'DTMF # (160 ms)'],
    ['rtp', '10.0.0.2:4000', '[2001:db8::9]:5000', 'RTP (PT 96)'],
  ]);
  assert.ok(rows.every((r) => r.id === 3 && r.dialog === D));
  assert.equal(rows[0]!.ts, streams[0]!.start);
  assert.equal(new Set(rows.map((r) => r.synthetic!.key)).size, 4, 'each row keeps a key of its own');
  assert.deepEqual(rows[3]!.stream, { codec: 'PT 96', packets: 1450, lossPct: 0.34, mos: null });
  // A live stream grows: the key stays.
  const later = streamFlowMessages([{ ...streams[0]!, packets: 2000 }], D, messageId(3));
  assert.equal(later[0]!.synthetic!.key, rows[0]!.synthetic!.key);
});

test('the RTP label: sngrep\'s RTP (codec) and packets, loss and MOS, shorter forms as the arrow narrows', () => {
  const s: StreamRow = { codec: 'PCMA', packets: 1450, lossPct: 0.34, mos: 4.21 };
  assert.equal(streamLabel(s, 80, false), 'RTP (PCMA) 1450 pkts, loss 0.3%, MOS 4.2');
  assert.equal(streamLabel(s, 28, false), 'RTP PCMA 1450 0.3% MOS 4.2');
  assert.equal(streamLabel(s, 18, false), 'PCMA 1450 0.3% 4.2');
  assert.equal(streamLabel(s, 16, false), 'PCMA 1450');
  assert.equal(streamLabel({ ...s, lossPct: 12.5, mos: null }, 80, false), 'RTP (PCMA) 1450 pkts, loss 13%');
  assert.equal(streamLabel({ ...s, lossPct: 0 }, 80, false), 'RTP (PCMA) 1450 pkts, loss 0%, MOS 4.2');
  for (let room = 1; room < 45; room++) assert.ok(cellWidth(streamLabel(s, room, false)) <= room, `fits ${room}`);
});

test('a SIP INFO that carried a key says which', () => {
  const msgs = [sip(0, 'INVITE', T0), sip(1, 'INFO', T0 + 1n), sip(2, 'INFO', T0 + 2n)];
  labelInfoDtmf(msgs, [key('7', T0 + 1n, 'info')]);
  assert.deepEqual(msgs.map((m) => m.dtmf), [undefined, '7', undefined]);
  const layout = layoutFlow(msgs, 80, { compressed: false, ascii: false, timeColumn: true });
  const rows = flowRows(layout, msgs, 1, 1, { selected: -1, colorBy: 'type' });
  assert.match(rows[0]!.map((r) => r.text).join(''), /INFO \(DTMF 7\)/);
});

test('stream rows draw a dashed media line in the media style; the cursor still wins', () => {
  const call = [sip(0, 'INVITE', T0), sip(1, 'ACK', T0 + 1_000_000_000n)];
  const msgs = mergeFlows([call, streamFlowMessages([stream(1, '10.0.0.1', '10.0.0.2')], D, messageId(0))]);
  assert.deepEqual(msgs.map((m) => m.label), ['INVITE', 'ACK', 'RTP (PCMA)']);
  for (const ascii of [false, true]) {
    const layout = layoutFlow(msgs, 160, { compressed: false, ascii, timeColumn: true });
    assert.equal(layout.columns.length, 4, 'media addresses are columns of their own');
    const rows = flowRows(layout, msgs, 2, 1, { selected: -1, colorBy: 'type' });
    const line = rows[1]!.map((r) => r.text).join('');
    assert.ok(line.includes(ascii ? '.....>' : '╌╌╌╌╌>'), line);
    assert.ok(rows[0]!.some((r) => r.style === 'media' && r.text.includes('RTP PCMA 1450 0.3% MOS 4.2')));
    assert.equal(arrowStyle(msgs[2]!, layout, 'cseq'), 'media');
    const selected = flowRows(layout, msgs, 2, 1, { selected: 2, colorBy: 'type' });
    assert.ok(selected[1]!.some((r) => r.style === 'cursor' && r.text.includes('>')));
  }
});
