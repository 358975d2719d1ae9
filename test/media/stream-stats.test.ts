// A generated call with known loss, reordering, a duplicate, jitter, DTMF, RTCP and NAT'ed and
// unannounced media: the figures below are worked out by hand from the packet list.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PcapOut } from '../bench/gen/pcap-out.js';
import { held } from '../support/ids.js';
import { host, rtcpRrXr, rtcpSr, rtp, sdp, sip, telephoneEvent, type Host } from './rtp-gen.js';
import { loadCapture } from './support.js';
import type { RtpStreamInfo } from '../../src/model/media.js';
import { delayImpairment, rToMos } from '../../src/media/mos.js';

const T0_MS = 1_710_234_000_000;
const caller = host('192.0.2.10', 5060);
const callee = host('192.0.2.20', 5060);
const callerMedia = host('192.0.2.10', 4000);
const calleeMedia = host('192.0.2.20', 5000);
const SSRC_A = 0xa0a0a0a0;
const SSRC_B = 0xb0b0b0b0;
const A_START = 1000; // ms after T0
const B_START = 1005;

type Event = [ms: number, from: Host, to: Host, payload: string | Buffer];

function capture(path: string): void {
  const ev: Event[] = [];
  const callId = 'stats-1@192.0.2.10';
  ev.push([0, caller, callee, sip('INVITE sip:bob@192.0.2.20 SIP/2.0', callId, '1 INVITE', caller, callee, sdp(caller.ip, 4000))]);
  ev.push([500, callee, caller, sip('SIP/2.0 200 OK', callId, '1 INVITE', callee, caller,
    sdp(callee.ip, 5000, ['a=rtpmap:8 PCMA/8000', 'a=rtpmap:101 telephone-event/8000'], '8 101'))]);
  ev.push([510, caller, callee, sip('ACK sip:bob@192.0.2.20 SIP/2.0', callId, '1 ACK', caller, callee)]);

  // Stream A, caller → callee: seq 1000-1049, 20 ms of PCMA each. 1010 and 1011 are lost, 1020 and
  // 1021 swap places, 1030 arrives twice (1 ms apart), 1040 arrives 10 ms late.
  for (let seq = 1000; seq < 1050; seq++) {
    if (seq === 1010 || seq === 1011) continue;
    const k = seq - 1000;
    let at = A_START + 20 * k;
    if (seq === 1020) at += 20;
    if (seq === 1021) at -= 20;
    if (seq === 1040) at += 10;
    const p = rtp({ seq, ts: 160 * k, ssrc: SSRC_A, pt: 8, marker: k === 0 });
    ev.push([at, callerMedia, calleeMedia, p]);
    if (seq === 1030) ev.push([at + 1, callerMedia, calleeMedia, p]);
  }
  // Stream B, callee → caller: 20 packets whose seq wraps (65530 … 13); packets 10-13 are the
  // telephone-event "5" (same timestamp, durations 160/320/480, end bit on the last two); audio
  // resumes at 14 with the marker bit.
  for (let k = 0; k < 20; k++) {
    const seq = (65530 + k) & 0xffff;
    const dtmf = k >= 10 && k <= 13;
    const payload = dtmf ? telephoneEvent(5, k >= 12, 10, 160 * Math.min(k - 9, 3)) : undefined;
    ev.push([B_START + 20 * k, calleeMedia, callerMedia, rtp({ seq, ts: dtmf ? 1600 : 160 * k, ssrc: SSRC_B, pt: dtmf ? 101 : 8, marker: k === 0 || k === 10 || k === 14, payload })]);
  }
  // RTCP: A's sender report, then the callee's receiver report about A 200 ms later, held 125 ms (DLSR 8192/65536 s).
  ev.push([1500, host(callerMedia.ip, 4001), host(calleeMedia.ip, 5001), rtcpSr(SSRC_A, 0x12345678)]);
  ev.push([1700, host(calleeMedia.ip, 5001), host(callerMedia.ip, 4001),
    rtcpRrXr(SSRC_B, SSRC_A, { fraction: 5, cumulative: 1, jitter: 37, lsr: 0x12345678, dlsr: 8192, rFactor: 85, mosLq: 41, mosCq: 40 })]);
  // NAT'ed: a sender no SDP named, to the caller's announced port. Unannounced: between the two hosts on ports no SDP named.
  for (let k = 0; k < 5; k++) ev.push([1200 + 20 * k, host('198.51.100.7', 7000), callerMedia, rtp({ seq: k, ts: 160 * k, ssrc: 7, pt: 0 })]);
  for (let k = 0; k < 5; k++) ev.push([1210 + 20 * k, host(caller.ip, 30000), host(callee.ip, 30002), rtp({ seq: k, ts: 160 * k, ssrc: 9, pt: 0 })]);
  ev.push([1800, caller, callee, sip('INFO sip:bob@192.0.2.20 SIP/2.0', callId, '2 INFO', caller, callee, 'Signal=7\r\nDuration=250\r\n', 'application/dtmf-relay')]);
  ev.push([2500, caller, callee, sip('BYE sip:bob@192.0.2.20 SIP/2.0', callId, '3 BYE', caller, callee)]);
  // After the BYE, traffic between the hosts is no longer the call's.
  ev.push([2600, host(caller.ip, 30000), host(callee.ip, 30002), rtp({ seq: 9, ts: 0, ssrc: 11, pt: 0 })]);

  ev.sort((a, b) => a[0] - b[0]);
  const out = new PcapOut(path);
  for (const [ms, from, to, payload] of ev) out.udp((T0_MS + ms) * 1000, from, to, payload);
  out.close();
}

/** RFC 3550 A.8 over the |D| values a stream's packets produce, as Wireshark's running estimate. */
function jitterAfter(diffs: number[], start = 0): number[] {
  const out: number[] = [];
  let j = start;
  for (const d of diffs) out.push((j = (15 * j + d) / 16));
  return out;
}

const near = (actual: number, expected: number, what: string): void =>
  assert.ok(Math.abs(actual - expected) <= 0.0015, `${what}: ${actual} vs ${expected}`);

test('generated call: loss, reordering, duplicate, jitter, DTMF, RTCP, NAT and unannounced streams', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'sipscope-rtp-'));
  try {
    const path = join(dir, 'stats.pcap');
    capture(path);
    const { store, plane } = await loadCapture(path);
    assert.equal(store.dialogCount(), 1);
    const d = held(store, 0);
    const streams = store.streams(d.id);
    const by = (ssrc: number): RtpStreamInfo => streams.find((s) => s.ssrc === ssrc)!;
    assert.deepEqual(streams.map((s) => [s.ssrc, s.origin]), [[SSRC_A, 'sdp'], [SSRC_B, 'sdp'], [7, 'nat'], [9, 'unannounced']]);

    const a = by(SSRC_A);
    // 49 packets (50 sent − 2 lost + 1 duplicate); expected 1049 − 1000 + 1; Wireshark's lost nets the duplicate off.
    assert.deepEqual([a.packets, a.expected, a.lost, a.lossPct, a.duplicates], [49, 50, 1, 2, 1]);
    // 1012 after 1009, 1021 after 1019, 1020 late, 1030 again.
    assert.equal(a.seqErrors, 4);
    assert.equal(a.wrongTimestamps, 0);
    assert.equal(a.maxDeltaMs, 60, 'the gap left by the two lost packets');
    // |D| per packet after the first, in arrival order: 1021 early by 20, 1020 40 behind 1021's clock,
    // 1022 20 ahead of 1020's, the duplicate and the packet after it 1 ms off, 1040 and 1041 10 ms late.
    const diffs = [...Array(17).fill(0), 20, 40, 20, ...Array(8).fill(0), 1, 1, ...Array(8).fill(0), 10, 10, ...Array(8).fill(0)];
    assert.equal(diffs.length, 48);
    const j = jitterAfter(diffs);
    near(a.maxJitterMs, Math.max(...j), 'max jitter');
    near(a.meanJitterMs, j.reduce((x, y) => x + y, 0) / 48, 'mean jitter');
    assert.equal(a.codec, 'PCMA');
    // RTCP: RTT = 200 ms between SR and RR − 125 ms held; jitter 37 ticks at 8 kHz.
    assert.deepEqual([a.rtcp.senderReports, a.rtcp.receiverReports, a.rtcp.rttMs, a.rtcp.jitterMs, a.rtcp.cumulativeLost, a.rtcp.fractionLostPct], [1, 1, 75, 4.625, 1, 1.95]);
    assert.deepEqual(a.rtcp.xr, { lossRatePct: (100 * 5) / 256, discardRatePct: 0, roundTripMs: 60, endSystemDelayMs: 0, rFactor: 85, mosLq: 4.1, mosCq: 4 });
    // MOS: G.711 (Ie 0, Bpl 25.1), Ppl 2 %, random loss (BurstR 1), Ta = 75/2 + 20 + 50 ms.
    const r = 93.2 - delayImpairment(75 / 2 + 20 + 50) - (95 * 2) / (2 + 25.1);
    assert.equal(a.mos, Math.round(rToMos(r) * 100) / 100);
    assert.equal(a.mos, 4.23);

    const b = by(SSRC_B);
    assert.deepEqual([b.packets, b.expected, b.lost, b.seqErrors, b.duplicates, b.markers], [20, 20, 0, 0, 0, 3]);
    assert.deepEqual(b.codecs, ['PCMA', 'telephone-event']);
    // Every regular packet 20 ms after the one before (DTMF included); jitter only from audio.
    near(b.maxDeltaMs, 20, 'max delta');
    // Wireshark measures the resumed audio (k=14, marker) against the last audio clock (k=9) from the
    // last arrival (k=13): D = 80 ms, J = 5; k=15-19 then decay it. Mean over 19 deltas, max 5·15/16.
    const decay = jitterAfter([0, 0, 0, 0, 0], 5);
    near(b.maxJitterMs, decay[0]!, 'max jitter');
    near(b.meanJitterMs, decay.reduce((x, y) => x + y, 0) / 19, 'mean jitter');
    assert.deepEqual(b.dtmf.map((e) => [e.digit, e.durationMs, e.volume, e.ended, e.source]), [['5', 60, 10, true, 'rfc4733']]);

    assert.deepEqual([by(7).packets, by(7).codec, by(9).packets], [5, 'PCMU', 5]);
    assert.deepEqual(plane.infoDtmf(d.id).map((e) => [e.digit, e.durationMs, e.source]), [['7', 250, 'info']]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
