// Acceptance: every RTP stream `tshark -z rtp,streams` lists appears with the same packets and lost,
// and max delta / mean and max jitter within 5 % or 0.5 ms. Runs tshark when it is installed (CI
// installs it), else compares with the figures recorded beside this test (tshark-rtp-streams.json).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { loadCapture, sharedPcap } from './support.js';
import { held } from '../support/ids.js';
import { tsharkLive } from '../support/tshark.js';

interface TsharkStream {
  src: string; sport: number; dst: string; dport: number; ssrc: number;
  packets: number; lost: number; maxDeltaMs: number; meanJitterMs: number; maxJitterMs: number;
}

const recorded = JSON.parse(readFileSync(new URL('../../../test/media/tshark-rtp-streams.json', import.meta.url), 'utf8')) as {
  tshark: string; captures: Record<string, TsharkStream[]>;
};

/** Streams tshark finds that sipscope does not analyse, and why (each checked to still be listed). */
const NOT_OURS: Record<string, { key: string; why: string }[]> = {
  'heplify/rtp_rtcp_sip_ipv4_udp.pcap': [{ key: '200.57.7.202:30000>200.57.7.196:40362#11837', why: 'announced by MGCP SDP, not SIP' }],
  // MGCP SDP (frames 3146-3147) turns the port to T.38 for Wireshark; the bytes that follow are RTP v2 PCMA.
  'heplify/FAX-Call-t38-CA-TDM-SIP-FB-1.pcap': [{ key: '10.35.60.100:15580>10.23.1.52:16756#246353583', why: 'tshark decodes its RTP as T.38 after an MGCP re-announcement' }],
};

const ROW = /^\s*(\S+)\s+(\S+)\s+(\S+)\s+(\d+)\s+(\S+)\s+(\d+)\s+0x([0-9A-F]+)\s+(.*?)\s+(\d+)\s+(-?\d+)\s+\((\S+)%\)\s+(\S+)\s+(\S+)\s+(\S+)\s+(\S+)\s+(\S+)\s+(\S+)/;

function tsharkStreams(path: string): TsharkStream[] {
  const out = execFileSync('tshark', ['-q', '-r', path, '-z', 'rtp,streams'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], maxBuffer: 1 << 24 });
  const rows: TsharkStream[] = [];
  for (const line of out.split('\n')) {
    const g = ROW.exec(line);
    if (!g) continue;
    rows.push({
      src: g[3]!, sport: Number(g[4]), dst: g[5]!, dport: Number(g[6]), ssrc: parseInt(g[7]!, 16),
      packets: Number(g[9]), lost: Number(g[10]), maxDeltaMs: Number(g[14]), meanJitterMs: Number(g[16]), maxJitterMs: Number(g[17]),
    });
  }
  return rows;
}

const live = tsharkLive();

const key = (s: { src: string; sport: number; dst: string; dport: number; ssrc: number }): string => `${s.src}:${s.sport}>${s.dst}:${s.dport}#${s.ssrc}`;

function close(ours: number, theirs: number): boolean {
  return Math.abs(ours - theirs) <= Math.max(0.5, 0.05 * Math.abs(theirs));
}

for (const [rel, figures] of Object.entries(recorded.captures)) {
  test(`RTP streams as tshark: ${rel}${live ? '' : ` (recorded ${recorded.tshark})`}`, async () => {
    const path = sharedPcap(rel);
    const expected = live ? tsharkStreams(path) : figures;
    assert.ok(expected.length > 0, 'tshark lists streams');
    const { store } = await loadCapture(path);
    const ours = new Map(Array.from({ length: store.dialogCount() }, (_, i) => store.streams(held(store, i).id)).flat().map((s) => [key(s), s]));
    const skipped = new Set((NOT_OURS[rel] ?? []).map((n) => n.key));
    for (const k of skipped) assert.ok(expected.some((t) => key(t) === k), `exemption ${k} still listed by tshark`);
    for (const t of expected) {
      const k = key(t);
      if (skipped.has(k)) continue;
      const s = ours.get(k);
      assert.ok(s, `stream ${k} found`);
      assert.equal(s.packets, t.packets, `${k} packets`);
      assert.equal(s.lost, t.lost, `${k} lost`);
      assert.ok(close(s.maxDeltaMs, t.maxDeltaMs), `${k} max delta ${s.maxDeltaMs} vs ${t.maxDeltaMs}`);
      assert.ok(close(s.meanJitterMs, t.meanJitterMs), `${k} mean jitter ${s.meanJitterMs} vs ${t.meanJitterMs}`);
      assert.ok(close(s.maxJitterMs, t.maxJitterMs), `${k} max jitter ${s.maxJitterMs} vs ${t.maxJitterMs}`);
    }
  });
}

test('every shared capture in which tshark finds RTP has recorded figures here', { skip: !live && 'tshark not installed' }, () => {
  const manifest = readFileSync(sharedPcap('MANIFEST.tsv'), 'utf8').split('\n').slice(1).map((l) => l.split('\t')[0]!).filter((p) => p !== '');
  const withRtp = manifest.filter((rel) => tsharkStreams(sharedPcap(rel)).length > 0);
  assert.deepEqual(withRtp.sort(), Object.keys(recorded.captures).sort());
});
