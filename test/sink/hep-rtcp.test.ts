// -H sends RTCP as HEP type 5: the JSON report HOMER stores, correlated with the call's Call-ID. Checked on a real
// capture with RTCP, through the real binary into a UDP socket decoded with the HEP parser -L uses, against tshark's
// reading of the same RTCP packets.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import dgram from 'node:dgram';
import { newHepFields, parseHep, PAYLOAD_RTCP, PAYLOAD_SIP, rtcpFromJson } from '../../src/source/hep-codec.js';
import { rtcpToJson } from '../../src/sink/hep-rtcp.js';
import { runCli } from '../support/cli.js';
import { freePort, udpDrained, waitFor } from '../support/ports.js';

const CAPTURE = '../shared/pcaps/heplify/rtp_rtcp_sip_ipv4_udp.pcap';
const CALL_ID = '12013223@200.57.7.195';

/** An SR with one report block, then an SDES chunk: the usual compound packet. */
function compound(): Buffer {
  const sr = Buffer.alloc(52);
  sr[0] = 0x81;
  sr[1] = 200;
  sr.writeUInt16BE(52 / 4 - 1, 2);
  [0xd2bd4e3e, 3314573259, 2147483648, 160, 41, 6560].forEach((v, i) => sr.writeUInt32BE(v, 4 + i * 4));
  sr.writeUInt32BE(0x58f33dea, 28);
  sr[32] = 12;
  sr.writeIntBE(-3, 33, 3);
  [65551, 47, 0x1234, 65536].forEach((v, i) => sr.writeUInt32BE(v, 36 + i * 4));
  const sdes = Buffer.from([0x81, 202, 0, 2, 0xd2, 0xbd, 0x4e, 0x3e, 0, 0, 0, 0]);
  return Buffer.concat([sr, sdes]);
}

test('an RTCP report becomes heplify\'s JSON, which -L turns back into the same report', () => {
  const packet = compound();
  const json = rtcpToJson(packet, 0, packet.length)!;
  assert.deepEqual(JSON.parse(json), {
    type: 200, ssrc: 0xd2bd4e3e, report_count: 1,
    sender_information: { ntp_timestamp_sec: 3314573259, ntp_timestamp_usec: 2147483648, rtp_timestamp: 160, packets: 41, octets: 6560 },
    report_blocks: [{ source_ssrc: 0x58f33dea, fraction_lost: 12, packets_lost: -3, highest_seq_no: 65551, ia_jitter: 47, lsr: 0x1234, dlsr: 65536 }],
  });
  assert.deepEqual(rtcpFromJson(json), packet.subarray(0, 52));
  const rr = Buffer.from([0x80, 201, 0, 1, 1, 2, 3, 4]);
  assert.deepEqual(JSON.parse(rtcpToJson(rr, 0, rr.length)!), { type: 201, ssrc: 0x01020304, report_count: 0, report_blocks: [] });
  assert.equal(rtcpToJson(packet, 52, packet.length), undefined, 'SDES alone is no report');
  assert.equal(rtcpToJson(packet, 0, 40), undefined, 'cut short');
});

test('-H sends every RTCP packet of a call as HEP type 5 with the call\'s Call-ID, beside its SIP', async () => {
  const tshark = spawnSync('tshark', ['-r', CAPTURE, '-o', 'rtcp.heuristic_rtcp:TRUE', '-Y', 'rtcp.pt == 200 || rtcp.pt == 201', '-T', 'fields',
    '-e', 'frame.time_epoch', '-e', 'ip.src', '-e', 'udp.srcport', '-e', 'ip.dst', '-e', 'udp.dstport', '-e', 'rtcp.pt', '-e', 'rtcp.senderssrc',
    '-E', 'separator=|'], { encoding: 'utf8' });
  if (tshark.error && process.env.CI) assert.fail('tshark is needed in CI (apt-get install tshark)');
  if (tshark.error) return;
  // The call's RTCP is what flows to or from the RTCP port (RTP + 1) of an endpoint its SDP announces; the capture
  // also holds RTCP of a leg whose signalling it lacks, which belongs to no call.
  const sdp = spawnSync('tshark', ['-r', CAPTURE, '-Y', `sdp && sip.Call-ID == "${CALL_ID}"`, '-T', 'fields', '-e', 'sdp.connection_info.address',
    '-e', 'sdp.media.port', '-E', 'separator=|'], { encoding: 'utf8' });
  const rtcpEnds = new Set(sdp.stdout.trim().split('\n').map((l) => `${l.split('|')[0]}:${Number(l.split('|')[1]) + 1}`));
  const expected = tshark.stdout.trim().split('\n').map((l) => {
    const [time, src, sport, dst, dport, pt, ssrc] = l.split('|');
    return { time: time!.slice(0, -3), src: `${src}:${sport}`, dst: `${dst}:${dport}`, type: Number(pt!.split(',')[0]), ssrc: Number(ssrc!.split(',')[0]) };
  }).filter((r) => rtcpEnds.has(r.src) || rtcpEnds.has(r.dst));
  assert.equal(rtcpEnds.size, 2);
  assert.ok(expected.length >= 10, 'the call has RTCP');

  const port = await freePort();
  const sock = dgram.createSocket('udp4');
  const got: Buffer[] = [];
  sock.on('message', (m) => got.push(m));
  await new Promise<void>((r) => sock.bind(port, '127.0.0.1', r));
  try {
    const tx = await runCli(['-N', '-q', '-I', CAPTURE, '-H', `udp:127.0.0.1:${port}`, '--hep-id', '7']);
    assert.equal(tx.code, 0, tx.stderr);
    await waitFor('the socket to be read', () => udpDrained(port));
  } finally {
    sock.close();
  }
  const h = newHepFields();
  const decoded = got.map((b) => {
    assert.equal(parseHep(b, 0, b.length, h), undefined);
    const ip = (off: number): string => [...b.subarray(off, off + 4)].join('.');
    return {
      type: h.payloadType, captureId: h.captureId, correlation: h.correlationOff < 0 ? '' : b.toString('latin1', h.correlationOff, h.correlationOff + h.correlationLen),
      time: `${h.seconds}.${String(h.micros).padStart(6, '0')}`, src: `${ip(h.srcOff)}:${h.sport}`, dst: `${ip(h.dstOff)}:${h.dport}`,
      payload: b.toString('utf8', h.payOff, h.payEnd),
    };
  });
  assert.equal(decoded.filter((d) => d.type === PAYLOAD_SIP).length, 14, 'the SIP messages still go out');
  const rtcp = decoded.filter((d) => d.type === PAYLOAD_RTCP);
  assert.deepEqual(rtcp.map((d) => {
    const report = JSON.parse(d.payload) as { type: number; ssrc: number };
    return { time: d.time, src: d.src, dst: d.dst, type: report.type, ssrc: report.ssrc };
  }), expected, 'one type-5 packet per RTCP report tshark sees, with its capture time and addresses');
  assert.ok(rtcp.every((d) => d.correlation === CALL_ID && d.captureId === 7), 'correlated with the call');
  assert.ok(rtcp.every((d) => rtcpFromJson(d.payload) !== undefined), '-L reads each report back');
});
