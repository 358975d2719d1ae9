import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { RtpStreamInfo } from '../../../src/model/media.js';
import { fitNumber, sortStreams, sparkline, streamLines } from '../../../src/ui/present/streams.js';

function stream(id: number, lossPct: number, maxJitterMs: number, mos: number | null): RtpStreamInfo {
  return {
    id, dialog: 0 as never, src: '192.0.2.1', sport: 4000 + id, dst: '192.0.2.2', dport: 5000, ssrc: id, origin: 'sdp', media: 'audio',
    srtp: false, payloadType: 8, codec: 'PCMA', payloadTypes: [8], codecs: ['PCMA'], packets: 100, expected: 100, lost: 0, lossPct,
    seqErrors: 0, duplicates: 0, wrongTimestamps: 0, markers: 1, maxDeltaMs: 20, meanJitterMs: 1, maxJitterMs, start: BigInt(id), end: 10n,
    mos, jitterDiscards: 0, dtmf: [],
    rtcp: { senderReports: 0, receiverReports: 0, fractionLostPct: null, cumulativeLost: null, jitterMs: null, rttMs: null, xr: null },
  };
}

test('streams sort worst first: loss, jitter, MOS (unrated last); z reverses', () => {
  const s = [stream(0, 1, 5, 4.4), stream(1, 7, 1, 3.1), stream(2, 0, 9, null)];
  assert.deepEqual(sortStreams(s, 'start').map((x) => x.id), [0, 1, 2]);
  assert.deepEqual(sortStreams(s, 'loss').map((x) => x.id), [1, 0, 2]);
  assert.deepEqual(sortStreams(s, 'jitter').map((x) => x.id), [2, 0, 1]);
  assert.deepEqual(sortStreams(s, 'mos').map((x) => x.id), [1, 0, 2]);
  assert.deepEqual(sortStreams(s, 'mos', true).map((x) => x.id), [2, 0, 1]);
});

test('sparklines scale to the maximum; ASCII levels with --ascii', () => {
  assert.equal(sparkline([0, 1, 2, 4, 8], 8, false), '▁▂▃▅█');
  assert.equal(sparkline([0, 1, 2, 4, 8], 8, true), '_.-=#');
  assert.equal(sparkline([0, 0], 0, false), '▁▁');
});

test('the table: one row per stream, worst first; addresses on a line of their own when narrow', () => {
  const streams = [stream(0, 1, 5, 4.4), stream(1, 7, 1, 3.1)];
  const wide = streamLines(streams, new Map(), 'loss', false, 120, false).map((l) => l.map((seg) => seg.text).join(''));
  assert.match(wide[0]!, /^Stream +Codec +Pkts +Lost +Loss +MaxDlt +Jit +MaxJit +MOS/);
  assert.match(wide[1]!, /^192\.0\.2\.1:4001 → 192\.0\.2\.2:5000 +PCMA +100 +0 +7\.0% +20\.0 +1\.00 +1\.00 +3\.10/);
  const narrow = streamLines(streams, new Map(), 'loss', false, 60, false).map((l) => l.map((seg) => seg.text).join(''));
  assert.match(narrow[1]!, /^192\.0\.2\.1:4001 → 192\.0\.2\.2:5000 *$/);
  assert.match(narrow[2]!, /^ +PCMA +100 +0 +7\.0%/);
  assert.ok(narrow.slice(0, 5).every((t) => t.length <= 60));
});

test('a figure too wide for its column loses decimals, then takes k/M, and keeps the space before the next column', () => {
  assert.equal(fitNumber(15.523, 2, 6), '15.52');
  assert.equal(fitNumber(2730.468, 2, 6), '2730.5');
  assert.equal(fitNumber(27304.68, 2, 6), '27305');
  assert.equal(fitNumber(1_234_567, 0, 6), '1235k');
  assert.equal(fitNumber(12_345_678, 0, 4), '12M');
  assert.equal(fitNumber(1_234_567, 0, 7), '1234567');
  const slow = { ...stream(0, 0, 2730.468, 1.62), maxDeltaMs: 9199.842, packets: 1_234_567 };
  const row = streamLines([slow], new Map(), 'start', false, 120, false).map((l) => l.map((seg) => seg.text).join(''))[1]!;
  assert.match(row, / 1235k +0 +0\.0% +9199\.8 +1\.00 2730\.5 1\.62 *$/);
});

test('the details wrap under their value at 80 columns; nothing is cut', () => {
  const lines = streamLines([{ ...stream(0, 0.16, 15.5, 4.38), jitterDiscards: 7 }], new Map(), 'start', false, 80, false).map((l) => l.map((seg) => seg.text).join(''));
  assert.ok(lines.every((l) => l.length <= 80), lines.join('\n'));
  const jitter = lines.findIndex((l) => l.startsWith('Jitter '));
  assert.match(lines.slice(jitter, jitter + 2).join(' '), /7 late for a 50 +ms buffer$/);
  assert.match(lines[jitter + 1]!, /^ {12}\S/);
});
