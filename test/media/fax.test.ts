import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { decodeUdptl, UdptlReceiver, type UdptlPacket } from '../../src/media/udptl.js';
import { decodeIfp, layoutMisfit } from '../../src/media/t38.js';
import { decodeCaps, decodeIdentity, describeT30, fcfName, parseT30 } from '../../src/media/t30.js';
import { summarizeFax, describeTrainings } from '../../src/media/fax-summary.js';
import type { Pipeline } from '../../src/cli/pipeline.js';
import { loadCapture, sharedPcap } from './support.js';
import { capBits, dataIfp, FCF, hdlcFrame, identity, indicatorIfp, udptlFec, udptlRedundancy } from './t38-encode.js';
import { RECEIVER, SENDER, writeFaxCall } from './fax-gen.js';
import { runCli } from '../support/cli.js';
import { FaxStore } from '../../src/media/fax-store.js';
import type { Datagram } from '../../src/model/datagram.js';
import type { DialogId } from '../../src/model/ids.js';
import type { SipMessage } from '../../src/model/sip.js';

const hex = (s: string): Buffer => Buffer.from(s, 'hex');
/** LtoZ_rtpFilter_fail_2.pcap frame 351: seq 3, hdlc-data [c0], three secondaries. */
const LTOZ_351 = hex('000306c001800000c0000306c001800000ff01060100');
/** Frame 124 of the same capture: G.711 RTP sent to the T.38 port during the switch. */
const LTOZ_RTP = hex('8000106d00002336fa1bb4e6bb2744a6d825dea64727bca8352aafad2c2faab7283ea6cc2674a54f26bfa73829b1ab2d2eabb4293ba7c4');

test('UDPTL: sequence, primary and redundancy secondaries; RTP and truncated payloads are not UDPTL', () => {
  const p = decodeUdptl(LTOZ_351) as UdptlPacket;
  assert.equal(p.seq, 3);
  assert.deepEqual(p.primary, hex('c001800000c0'));
  assert.deepEqual(p.secondaries.map((s) => s.toString('hex')), ['c001800000ff', '06', '00']);
  assert.equal(decodeUdptl(LTOZ_RTP), 'udptl-length');
  assert.equal(decodeUdptl(LTOZ_351.subarray(0, 12)), 'udptl-length');
  assert.equal(decodeUdptl(Buffer.concat([LTOZ_351, hex('00')])), 'udptl-trailing');
  assert.equal(decodeUdptl(hex('0001')), 'udptl-short');
  const fec = decodeUdptl(udptlFec(9, hex('00'), 3, [hex('0102'), hex('03')])) as UdptlPacket;
  assert.deepEqual([fec.fecSpan, fec.fec.map((b) => b.toString('hex'))], [3, ['0102', '03']]);
});

test('UDPTL receiver: lost primaries come back from redundancy, duplicates are dropped, unrepairable gaps counted', () => {
  const r = new UdptlReceiver();
  const ifp = (n: number): Buffer => Buffer.from([n << 1]);
  const packet = (seq: number): UdptlPacket => decodeUdptl(udptlRedundancy(seq, ifp(seq), [ifp(seq - 1), ifp(seq - 2)].filter((_, i) => seq - 1 - i >= 0))) as UdptlPacket;
  const seen: [number, boolean][] = [];
  for (const seq of [0, 1, 4, 4, 2, 5, 9]) for (const o of r.push(packet(seq))) seen.push([o.seq, o.recovered]);
  assert.deepEqual(seen, [[0, false], [1, false], [2, true], [3, true], [4, false], [5, false], [7, true], [8, true], [9, false]]);
  assert.deepEqual([r.recovered, r.lost, r.duplicates], [4, 1, 2]);
});

test('UDPTL receiver: FEC parity rebuilds the one missing packet of a group', () => {
  const r = new UdptlReceiver();
  const ifps = [hex('0a'), hex('c0018000000bff'), hex('0c'), hex('0e10')];
  // Span 2, one entry: packet n carries packets n-2 XOR n-1, zero padded to the longer one.
  const xor = (a: Buffer, b: Buffer): Buffer => Buffer.from(Array.from({ length: Math.max(a.length, b.length) }, (_, i) => (a[i] ?? 0) ^ (b[i] ?? 0)));
  const fecPacket = (seq: number): UdptlPacket =>
    decodeUdptl(udptlFec(seq, ifps[seq]!, 2, seq >= 2 ? [xor(ifps[seq - 2]!, ifps[seq - 1]!)] : [])) as UdptlPacket;
  const got = [0, 2].flatMap((s) => r.push(fecPacket(s)));
  assert.deepEqual(got.map((o) => [o.seq, o.ifp.toString('hex'), o.recovered]), [[0, '0a', false], [1, 'c0018000000bff', true], [2, '0c', false]]);
});

test('T.38 IFP: indicators, data fields, both field-type layouts, and which layout a packet fits', () => {
  assert.deepEqual(decodeIfp(indicatorIfp('v21-preamble'), 'pre-corrigendum'), { kind: 'indicator', indicator: 'v21-preamble' });
  assert.deepEqual(decodeIfp(indicatorIfp('v17-14400-long-training'), 'corrigendum'), { kind: 'indicator', indicator: 'v17-14400-long-training' });
  // Extension indicator v8-signal (index 1): 0x20 | 0, then 01 in the top bits of the next octet.
  assert.deepEqual(decodeIfp(hex('2040'), 'pre-corrigendum'), { kind: 'indicator', indicator: 'v8-signal' });
  const hdlc = decodeIfp(hex('c001800000ff'), 'pre-corrigendum');
  assert.deepEqual(hdlc, { kind: 'data', modem: 'v21', fields: [{ type: 'hdlc-data', data: hex('ff') }] });
  // LtoZ frame 404 and 425: 0x20 / 0x40 are fcs-OK / fcs-OK-sig-end before the corrigendum.
  assert.deepEqual(decodeIfp(hex('c00120'), 'pre-corrigendum'), { kind: 'data', modem: 'v21', fields: [{ type: 'hdlc-fcs-OK' }] });
  assert.deepEqual(decodeIfp(hex('c00110'), 'corrigendum'), { kind: 'data', modem: 'v21', fields: [{ type: 'hdlc-fcs-OK' }] });
  assert.equal(layoutMisfit(hex('c00140'), 'corrigendum'), 1, 'an extension needs a second octet');
  assert.equal(layoutMisfit(hex('c00108'), 'pre-corrigendum'), 1, 'bit 3 is padding before the corrigendum');
  assert.equal(layoutMisfit(dataIfp('v17-9600', [{ type: 't4-non-ecm-sig-end' }], 'corrigendum'), 'corrigendum'), 0);
  assert.equal(decodeIfp(Buffer.alloc(0), 'corrigendum'), 't38-short');
  assert.equal(decodeIfp(hex('c00280'), 'corrigendum'), 't38-short');
  assert.equal(decodeIfp(hex('5e'), 'corrigendum'), 't38-unknown-type', 'data type 15 does not exist');
});

test('T.30: FCF names with and without the X bit, capabilities, identities in reversed order', () => {
  assert.deepEqual([0x01, 0x81, 0x02, 0x82, 0x41, 0xc1, 0xc2, 0x21, 0x22, 0xf2, 0x74, 0x31, 0x32, 0xdf, 0x7d, 0x3d, 0x58].map(fcfName),
    ['DIS', 'DTC', 'CSI', 'CIG', 'DCS', 'DCS', 'TSI', 'CFR', 'FTT', 'MPS', 'EOP', 'MCF', 'RTN', 'DCN', 'PPS', 'PPR', 'CRP']);
  assert.equal(fcfName(0x7f), 'FCF 0x7f');
  // LtoZ's DIS (Wireshark: V.27 ter and V.29, fine, 215/255 mm, unlimited length, no ECM).
  const dis = decodeCaps(hex('00729f00'), false);
  assert.deepEqual(dis, { rate: 9600, modems: ['V.27ter', 'V.29'], resolution: 'fine', ecm: false, width: 255, length: 'unlimited', coding: 'MH', t38: false });
  const dcs = parseT30(hdlcFrame(FCF.DCS, capBits(4, [10, 14, 15, 24, 27, 31]), true, true), false);
  assert.ok(typeof dcs !== 'string');
  assert.equal(describeT30(dcs), '14400 fine ECM MMR 215mm A4');
  assert.equal(decodeIdentity(identity('+4930 1234567')), '+4930 1234567');
  assert.equal(decodeIdentity(Buffer.from([0x00, 0x80])), '??', 'control bytes never leave as text');
  assert.equal(parseT30(hex('ffc0'), false), 't30-short');
  assert.equal(parseT30(hex('03c001'), false), 't30-address');
});

/** T.30 frames of every fax session of a pipeline, as [frame, from-side detail]. */
function steps(p: Pipeline): { steps: string[]; result: string; reason: string; pages: number; confirmed: number; training: string; recovered: number; lost: number } {
  const [dialog] = p.fax.dialogs();
  assert.ok(dialog !== undefined, 'a T.38 dialog');
  const [session] = p.fax.sessions(dialog);
  assert.ok(session, 'a UDPTL session');
  const s = summarizeFax(session.events());
  return {
    steps: s.steps.map((t) => `${t.from === `${SENDER.ip}:${SENDER.image}` ? 'S' : 'R'} ${t.frame}${t.detail ? ` ${t.detail}` : ''}`),
    result: s.result, reason: s.reason, pages: s.pages.at(-1)?.page ?? 0, confirmed: s.confirmedPages,
    training: describeTrainings(s.trainings), recovered: session.recovered, lost: session.lost,
  };
}

const PLAIN_STEPS = [
  'R CSI +1 555 0100', 'R DIS V.27ter/V.29/V.17 14400 fine MR 215mm A4',
  'S TSI +4930 1234567', 'S DCS 14400 fine MH 215mm A4', 'R FTT 14400 failed',
  'S TSI +4930 1234567', 'S DCS 12000 fine MH 215mm A4', 'R CFR',
  'S MPS page 1', 'R MCF page 1', 'S EOP page 2', 'R MCF page 2', 'S DCN',
];

test('generated fax, ECM off, one FTT retrain: the exact T.30 sequence, two pages confirmed, result ok', async () => {
  const got = steps(await loadCapture(writeFaxCall('fax-plain.pcap', { ftt: true })));
  assert.deepEqual(got.steps, PLAIN_STEPS);
  assert.deepEqual([got.result, got.reason, got.pages, got.confirmed, got.training], ['ok', '', 2, 2, '14400 FTT, 12000 CFR']);
});

test('generated fax with ECM: PPS per page, MCF, DCN; result ok', async () => {
  const got = steps(await loadCapture(writeFaxCall('fax-ecm.pcap', { ecm: true })));
  assert.deepEqual(got.steps, [
    'R CSI +1 555 0100', 'R DIS V.27ter/V.29/V.17 14400 fine ECM MR 215mm A4',
    'S TSI +4930 1234567', 'S DCS 14400 fine ECM MH 215mm A4', 'R CFR',
    'S PPS MPS page 1 block 1', 'R MCF page 1', 'S PPS EOP page 2 block 1', 'R MCF page 2', 'S DCN',
  ]);
  assert.deepEqual([got.result, got.pages, got.confirmed, got.training], ['ok', 2, 2, '14400 CFR']);
});

test('generated fax with dropped UDPTL packets: primaries rebuilt from redundancy, same sequence and result', async () => {
  // Every fourth packet lost (never more than the three secondaries can cover).
  const got = steps(await loadCapture(writeFaxCall('fax-drops.pcap', { ftt: true, drop: (i) => i % 4 === 1 })));
  assert.deepEqual(got.steps, PLAIN_STEPS);
  assert.equal(got.result, 'ok');
  assert.ok(got.recovered > 20, `recovered ${got.recovered}`);
  assert.equal(got.lost, 0);
});

test('T.38 over RTP (RFC 4612, rtpmap t38/8000): the same T.30 sequence; losses without redundancy are counted', async () => {
  const got = steps(await loadCapture(writeFaxCall('fax-rtp.pcap', { ftt: true, rtp: true })));
  assert.deepEqual(got.steps, PLAIN_STEPS);
  assert.equal(got.result, 'ok');
  const lossy = steps(await loadCapture(writeFaxCall('fax-rtp-loss.pcap', { ftt: true, rtp: true, drop: (i) => i === 40 })));
  assert.deepEqual([lossy.recovered, lossy.lost], [0, 1]);
});

/** tshark's T.30 control frames of a capture (FCD/RCP page data left out), as FCF names. */
function tsharkT30(path: string): string[] | undefined {
  const r = spawnSync('tshark', ['-r', path, '-Y', 't30.FacsimileControl', '-T', 'fields', '-e', 't30.FacsimileControl'], { encoding: 'utf8' });
  if (r.error) {
    assert.ok(process.env.CI !== 'true', 'tshark is needed in CI (apt-get install tshark)');
    return undefined;
  }
  assert.equal(r.status, 0, r.stderr);
  return r.stdout.trim().split('\n').map((v) => fcfName(Number(v))).filter((n) => n !== 'FCD' && n !== 'RCP');
}

test('tshark decodes the generated captures to the same T.30 frames (the encoder follows T.38, not just the decoder)', async (t) => {
  for (const [name, o] of [['fax-plain-ts.pcap', { ftt: true }], ['fax-ecm-ts.pcap', { ecm: true }]] as const) {
    const path = writeFaxCall(name, o);
    const reference = tsharkT30(path);
    if (!reference) return t.skip('tshark not installed');
    assert.deepEqual(steps(await loadCapture(path)).steps.map((s) => s.split(' ')[1]), reference, name);
  }
});

test('LtoZ_rtpFilter_fail_2.pcap: T.30 frames in tshark\'s order, failed for want of CFR', async () => {
  const path = sharedPcap('wswiki/LtoZ_rtpFilter_fail_2.pcap');
  const p = await loadCapture(path);
  const session = p.fax.sessions(p.fax.dialogs()[0]!)[0]!;
  const s = summarizeFax(session.events());
  const frames = s.steps.map((x) => x.frame);
  assert.deepEqual(frames, ['CSI', 'DIS', 'TSI', 'DCS', 'TSI', 'DCS']);
  const reference = tsharkT30(path);
  if (reference) assert.deepEqual(frames, reference);
  assert.equal(s.result, 'failed');
  assert.match(s.reason, /no CFR after DCS/);
  assert.deepEqual([s.rate, s.resolution, s.ecm], [9600, 'standard', false]);
  assert.deepEqual(p.fax.findings(p.fax.dialogs()[0]!).map((f) => f.code), ['fax-failed']);
});

test('T.38 switch: a 488 is t38-rejected, accepted-then-RTP is t38-not-used; the real heplify capture was refused with 488', async () => {
  const codes = async (path: string): Promise<string[]> => {
    const p = await loadCapture(path);
    return p.fax.dialogs().flatMap((d) => p.fax.findings(d).map((f) => `${f.code}: ${f.text}`));
  };
  assert.deepEqual(await codes(writeFaxCall('fax-refused.pcap', { t38: 'refused' })), ['t38-rejected: the re-INVITE to T.38 was refused with 488']);
  assert.deepEqual(await codes(writeFaxCall('fax-ignored.pcap', { t38: 'ignored' })),
    ['t38-not-used: T.38 was accepted but 110 RTP packets followed on the media ports']);
  assert.deepEqual(await codes(writeFaxCall('fax-ok.pcap')), []);
  // Both B2BUA legs offer T.38 (CSeq 3) and get 488, then fall back to G.711 (CSeq 4); the
  // audio then sent to the former image ports is RTP, not UDPTL (tshark misreads it as T.38).
  const heplify = await codes(sharedPcap('heplify/FAX-Call-t38-CA-TDM-SIP-FB-1.pcap'));
  assert.deepEqual(heplify, ['t38-rejected: the re-INVITE to T.38 was refused with 488', 't38-rejected: the re-INVITE to T.38 was refused with 488']);
});

test('T.38 offers without a fax session: sipnab/sip-sdp-example.pcap and wswiki/T38.pcap give no session and no finding', async () => {
  for (const capture of ['sipnab/sip-sdp-example.pcap', 'wswiki/T38.pcap', 'wswiki/fax-iz-InLife-G711.cap']) {
    const p = await loadCapture(sharedPcap(capture));
    assert.deepEqual(p.fax.dialogs().flatMap((d) => [...p.fax.sessions(d), ...p.fax.findings(d)]), [], capture);
  }
});

test('the T.38 negotiation from SIP alone: T38.pcap accepted with no UDPTL captured, heplify refused with 488, the generated fax accepted', async () => {
  const negotiations = async (path: string): Promise<string[]> => {
    const p = await loadCapture(path);
    return p.fax.dialogs().map((d) => {
      const n = p.fax.negotiation(d)!;
      return `${n.refused ?? (n.acceptedAt === undefined ? 'offered' : 'accepted')} ${n.endpoints.join(' ')} sessions=${p.fax.sessions(d).length}`;
    });
  };
  assert.deepEqual(await negotiations(sharedPcap('wswiki/T38.pcap')), ['accepted 212.15.13.21:46012 84.44.107.78:10964 sessions=0']);
  assert.deepEqual(await negotiations(sharedPcap('heplify/FAX-Call-t38-CA-TDM-SIP-FB-1.pcap')), [
    'the re-INVITE to T.38 was refused with 488 10.23.1.52:16756 sessions=0',
    'the re-INVITE to T.38 was refused with 488 138.132.169.101:15580 sessions=0',
  ]);
  assert.match((await negotiations(writeFaxCall('fax-negotiated.pcap')))[0]!, /^accepted \S+:\d+ \S+:\d+ sessions=1$/);
  const p = await loadCapture(sharedPcap('sngrep/aaa.pcap'));
  assert.equal(p.fax.negotiation(p.store.firstId), undefined);
});

test('-N --json: one fax line per T.38 session after the dialogs, before the summary', async () => {
  const r = await runCli(['-N', '--json', '-I', sharedPcap('wswiki/LtoZ_rtpFilter_fail_2.pcap')]);
  assert.equal(r.code, 0, r.stderr);
  const lines = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
  // The call's audio before the switch to T.38 comes first, as its two RTP stream lines.
  assert.deepEqual(lines.map((l) => l.type), ['dialog', 'stream', 'stream', 'fax', 'summary']);
  const fax = lines[3]!;
  assert.deepEqual(Object.keys(fax).slice(0, 11), ['type', 'callId', 'src', 'dst', 't30', 'pages', 'confirmedPages', 'rate', 'ecm', 'result', 'reason']);
  assert.deepEqual([fax.callId, fax.src, fax.dst, fax.result, fax.rate, fax.ecm], ['738c6ff4-3bef5da0@10.10.10.211', '10.10.10.211:16422', '10.10.10.158:16394', 'failed', 9600, false]);
  const t30 = fax.t30 as Record<string, string>[];
  assert.deepEqual(t30[3], { frame: 'DCS', time: '2009-01-17T06:17:15.478954Z', from: '10.10.10.211:16422', to: '10.10.10.158:16394', detail: '9600 standard MH 215mm unlimited' });
  const gen = await runCli(['-N', '--json', '-I', writeFaxCall('fax-json.pcap', { ftt: true })]);
  const line = gen.stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>).find((l) => l.type === 'fax')!;
  assert.deepEqual([line.pages, line.confirmedPages, line.rate, line.result, line.calling, line.called, line.training],
    [2, 2, 12000, 'ok', SENDER.id, RECEIVER.id, '14400 FTT, 12000 CFR']);
});

test('fax store: a first INVITE offering audio and fax is no switch to judge; bad UDPTL is a counted skip; rotation forgets a dialog', () => {
  const skipped: string[] = [];
  const store = new FaxStore((r) => skipped.push(r));
  const sdp = (media: string): Buffer => {
    const body = `v=0\r\no=- 1 1 IN IP4 192.0.2.1\r\ns=-\r\nc=IN IP4 192.0.2.1\r\nt=0 0\r\n${media}`;
    return Buffer.from(`X sip:x SIP/2.0\r\nCall-ID: a\r\nContent-Type: application/sdp\r\nContent-Length: ${body.length}\r\n\r\n${body}`);
  };
  const msg = (dialog: number, method: string, status: number, cseq: number) =>
    ({ id: 0, dialog, method, status, cseq, cseqMethod: 'INVITE', ts: 0n }) as unknown as SipMessage;
  const none = (): Buffer[] => [];
  store.sip(msg(0, 'INVITE', 0, 1), sdp('m=audio 4000 RTP/AVP 8\r\nm=image 4002 udptl t38\r\n'), none);
  store.sip(msg(0, '', 200, 1), sdp('m=audio 6000 RTP/AVP 8\r\nm=image 0 udptl t38\r\n'), none);
  assert.deepEqual(store.findings(0 as DialogId), []);
  store.sip(msg(1, 'INVITE', 0, 2), sdp('m=image 4004 udptl t38\r\n'), none);
  store.sip(msg(1, '', 488, 2), undefined, none);
  assert.deepEqual(store.findings(1 as DialogId).map((f) => f.code), ['t38-rejected']);
  const udptl: Datagram = { frame: 1, ts: 1n, src: '192.0.2.9', sport: 7000, dst: '192.0.2.1', dport: 4004, transport: 'UDP', payload: udptlRedundancy(0, indicatorIfp('cng'), []), fileOffset: -1 };
  assert.equal(store.offer(udptl), true);
  assert.equal(store.offer({ ...udptl, payload: Buffer.from([0, 1, 9, 0]) }), false);
  assert.equal(store.offer({ ...udptl, payload: Buffer.concat([Buffer.from([0x80, 8]), Buffer.alloc(170)]) }), false, 'RTP on the port');
  assert.deepEqual(skipped, ['udptl-length'], 'a bad UDPTL packet is counted, RTP is not');
  store.forgetBefore(2 as DialogId);
  assert.deepEqual([store.dialogs(), store.sessions(1 as DialogId), store.findings(1 as DialogId)], [[], [], []]);
  assert.equal(store.offer(udptl), false, 'the endpoint went with its dialog');
});

test('T.38 and T.30 decode errors are counted skip reasons, once each: a truncated UDPTL packet, a corrupt IFP, a T.30 frame with a bad address', async () => {
  let damaged = false;
  const path = writeFaxCall('fax-damaged.pcap', {
    ftt: true,
    // Packet 5 cut to 3 bytes: not UDPTL. Its IFP comes back from the next packet's redundancy.
    mutatePacket: (i, b) => (i === 5 ? b.subarray(0, 3) : b),
    mutateIfp: (i, b) => {
      // IFP 40: v21 data whose field count has the length-form bit set, in either field layout.
      if (i === 40) return Buffer.from([0xc0, 0x80]);
      // The first HDLC piece starting a T.30 frame (address 0xff, control 0x03, sent bit-reversed): the address is damaged.
      const at = b.indexOf(Buffer.from([0xff, 0xc0]));
      if (i < 20 && at > 0 && !damaged) {
        damaged = true;
        const copy = Buffer.from(b);
        copy[at] = 0x7f;
        return copy;
      }
      return b;
    },
  });
  const p = await loadCapture(path);
  const session = p.fax.sessions(p.fax.dialogs()[0]!)[0]!;
  session.events();
  // Looking again (the screen, the diagnosis and the JSON all ask) counts nothing twice.
  p.diagnosis.finish();
  session.events();
  const { skipped } = p.store.stats();
  assert.deepEqual([skipped['udptl-short'], skipped['t38-length'], skipped['t30-address']], [1, 1, 1], JSON.stringify(skipped));
  assert.equal(session.recovered >= 1, true, 'the truncated packet\'s IFP was rebuilt from redundancy');
  const r = await runCli(['-N', '--json', '-I', path]);
  const summary = JSON.parse(r.stdout.trim().split('\n').at(-1)!) as { skipped: Record<string, number> };
  assert.deepEqual([summary.skipped['udptl-short'], summary.skipped['t38-length'], summary.skipped['t30-address']], [1, 1, 1]);
});
