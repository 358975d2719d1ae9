// RTCP as the endpoints report it, per stream, against tshark's decode of the same packets: sender
// reports by the stream's SSRC, report blocks about it (by another SSRC: some phones add a block
// about themselves to every SR) and the last block's interarrival jitter, in timestamp units
// converted at the codec's clock. Runs tshark when it is installed (CI installs it), else compares
// with the figures recorded below from tshark 4.0.17.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { loadCapture, sharedPcap } from './support.js';
import { held } from '../support/ids.js';
import { tsharkLive } from '../support/tshark.js';

interface Reported { senderReports: number; receiverReports: number; lastJitter: number | null }

const CAPTURE = 'heplify/rtp_rtcp_sip_ipv4_udp.pcap';
/** The capture's streams are G.711 A-law: 8000 timestamp units a second. */
const CLOCK = 8000;
const RECORDED: Record<string, Reported> = {
  '200.57.7.204:8000>200.57.7.196:40376#3535621694': { senderReports: 8, receiverReports: 6, lastJitter: 20 },
  // The phone at .204 reports a jitter growing to 9244 units (1155.5 ms) on a stream that arrives
  // at the capture point with 0.25 ms at most: its own figure, shown as it reports it.
  '200.57.7.196:40376>200.57.7.204:8000#1492336106': { senderReports: 6, receiverReports: 7, lastJitter: 9244 },
};

const live = tsharkLive();

const FIELDS = ['ip.src', 'udp.srcport', 'ip.dst', 'udp.dstport', 'rtcp.pt', 'rtcp.senderssrc', 'rtcp.rc', 'rtcp.ssrc.identifier', 'rtcp.ssrc.jitter'];

/** What tshark decodes between the RTCP ports (RTP port + 1) of a stream's two ends. */
function tsharkReported(path: string, src: string, sport: number, dst: string, dport: number, ssrc: number): Reported {
  const out = execFileSync('tshark', ['-r', path, '-Y', 'rtcp', '-T', 'fields', '-E', 'separator=|', ...FIELDS.flatMap((f) => ['-e', f])], {
    encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'],
  });
  const ends = new Set([`${src}:${sport + 1}`, `${dst}:${dport + 1}`]);
  const r: Reported = { senderReports: 0, receiverReports: 0, lastJitter: null };
  for (const line of out.split('\n').filter((l) => l !== '')) {
    const [from, fromPort, to, toPort, pts, senders, counts, ids, jitters] = line.split('|') as string[];
    if (!ends.has(`${from}:${fromPort}`) || !ends.has(`${to}:${toPort}`) || from === to) continue;
    const list = (v: string | undefined): number[] => (v ? v.split(',').map(Number) : []);
    const reports = list(pts).filter((pt) => pt === 200 || pt === 201);
    const sender = list(senders);
    const count = list(counts);
    const id = list(ids);
    const jitter = list(jitters);
    // Report blocks follow their SR/RR in order; SDES chunk identifiers come after all of them.
    let block = 0;
    reports.forEach((pt, i) => {
      if (pt === 200 && sender[i] === ssrc) r.senderReports++;
      for (let k = 0; k < (count[i] ?? 0); k++, block++) {
        if (id[block] !== ssrc || sender[i] === ssrc) continue;
        r.receiverReports++;
        r.lastJitter = jitter[block]!;
      }
    });
  }
  return r;
}

test(`RTCP reports per stream as tshark decodes them: ${CAPTURE}${live ? '' : ' (recorded, tshark 4.0.17)'}`, async () => {
  const path = sharedPcap(CAPTURE);
  const { store } = await loadCapture(path);
  const streams = Array.from({ length: store.dialogCount() }, (_, i) => store.streams(held(store, i).id)).flat();
  for (const [key, recorded] of Object.entries(RECORDED)) {
    const s = streams.find((x) => `${x.src}:${x.sport}>${x.dst}:${x.dport}#${x.ssrc}` === key);
    assert.ok(s, `stream ${key} found`);
    const expected = live ? tsharkReported(path, s.src, s.sport, s.dst, s.dport, s.ssrc) : recorded;
    assert.deepEqual(
      [s.rtcp.senderReports, s.rtcp.receiverReports, s.rtcp.jitterMs],
      [expected.senderReports, expected.receiverReports, expected.lastJitter === null ? null : Math.round((expected.lastJitter * 1e6) / CLOCK) / 1000],
      `${key}: SR, report blocks, last reported jitter (ms)`,
    );
  }
});
