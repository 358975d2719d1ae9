import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ALICE, BOB, basicCall, fileFindings, writePcap, type Call } from './scenario.js';

const dir = mkdtempSync(join(tmpdir(), 'sipscope-diag-media-'));
test.after(() => rmSync(dir, { recursive: true, force: true }));

const A = { ip: ALICE.ip, port: 4000 };
const B = { ip: BOB.ip, port: 5000 };

/** A 60 s call (answer at 3 s) whose RTP is `rtp`, next to a healthy call so the capture has media. */
async function run(name: string, rtp: Call['rtp']): Promise<string[]> {
  const call = { ...basicCall(`${name}@gen`), rtp };
  const healthy = { ...basicCall(`healthy-${name}@gen`), rtp: [{ from: A, to: B, startMs: 3050, count: 200 }, { from: B, to: A, startMs: 3050, count: 200 }] };
  // The healthy call uses other media ports.
  healthy.msgs = healthy.msgs.map((m) => ({ ...m, sdp: m.sdp?.replace(/m=audio (\d+)/, (_x, p: string) => `m=audio ${Number(p) + 10}`) }));
  healthy.rtp = healthy.rtp!.map((f) => ({ ...f, from: { ...f.from, port: f.from.port + 10 }, to: { ...f.to, port: f.to.port + 10 } }));
  const path = join(dir, `${name}.pcap`);
  writePcap(path, [call, healthy]);
  const found = await fileFindings(path);
  assert.deepEqual(found[1].findings.map((f) => f.code), [], 'the healthy call has no findings');
  return found[0].findings.map((f) => `${f.severity}:${f.code} ${f.text}`);
}

test('one-way-media: RTP from the caller only', async () => {
  assert.deepEqual(await run('oneway', [{ from: A, to: B, startMs: 3050, count: 300 }]), [
    'error:one-way-media RTP only 10.1.1.10:4000 → 10.2.2.20:5000 (PCMA), 300 packets; nothing from 10.2.2.20 back to 10.1.1.10',
  ]);
});

test('no-media: an answered call without RTP while other calls have it', async () => {
  assert.deepEqual(await run('nomedia', []), ['error:no-media no RTP in 57 s of call; the answer named 10.2.2.20:5000']);
});

test('media-quality: 10 % loss both ways', async () => {
  const out = await run('lossy', [{ from: A, to: B, startMs: 3050, count: 300, dropEvery: 10 }, { from: B, to: A, startMs: 3050, count: 300, dropEvery: 10 }]);
  assert.equal(out.length, 1);
  assert.match(out[0], /^warning:media-quality 10\.1\.1\.10:4000 → 10\.2\.2\.20:5000 \(PCMA\): loss 9\.7 % \(29 of 299\), MOS 3\.44$/);
});

test('late-media: the first RTP 2.5 s after the 200 OK', async () => {
  assert.deepEqual(await run('late', [{ from: A, to: B, startMs: 5500, count: 200 }, { from: B, to: A, startMs: 5500, count: 200 }]), [
    'warning:late-media first RTP 2.5 s after the 200 OK (10.1.1.10:4000 → 10.2.2.20:5000 (PCMA))',
  ]);
});

test('nat-mismatch: RTP from an address no SDP named', async () => {
  const natted = { ip: '203.0.113.9', port: 40000 };
  assert.deepEqual(await run('latched', [{ from: A, to: B, startMs: 3050, count: 200 }, { from: natted, to: A, startMs: 3050, count: 200 }]), [
    'warning:nat-mismatch RTP 203.0.113.9:40000 → 10.1.1.10:4000 (PCMA) comes from an address no SDP of the call named: the sender is behind NAT',
  ]);
});
