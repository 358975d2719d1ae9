// -O rotation: what --rotate-time measures, and TLS secrets in every rotated pcapng file.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Frame } from '../../src/model/frame.js';
import { CaptureOutput, rotatedPath } from '../../src/sink/capture-output.js';
import { openFile } from '../../src/source/file-source.js';

const dir = mkdtempSync(join(tmpdir(), 'sipscope-output-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const SECOND = 1_000_000_000n;

function frame(index: number, ts: bigint): Frame {
  const data = Buffer.alloc(60);
  return { index, ts, linktype: 1, data, origLen: data.length, fileOffset: -1 };
}

/** Frames per file of a rotating -O, and the secrets each file carries. */
async function files(path: string, n: number): Promise<{ frames: number; secrets: string[] }[]> {
  const out: { frames: number; secrets: string[] }[] = [];
  for (let i = 1; i <= n; i++) {
    const f = { frames: 0, secrets: [] as string[] };
    const source = openFile(rotatedPath(path, i));
    await source.start({ frame: () => f.frames++, secrets: (_t, data) => f.secrets.push(...data.toString('latin1').trim().split('\n')) });
    source.stop();
    out.push(f);
  }
  return out;
}

test('--rotate-time counts the clock it is given (wall time, live), not the packets\' capture times', async () => {
  const path = join(dir, 'live.pcap');
  let now = 0n;
  const out = new CaptureOutput(path, { pcapng: false, rotation: { sizeBytes: 0, intervalNs: 60n * SECOND, files: 0 }, clock: () => now }, () => {});
  // A HEP agent's times jump an hour ahead and back: no file boundary. The clock passing a minute is one.
  out.frame(frame(1, 3600n * SECOND));
  out.frame(frame(2, 0n));
  now = 30n * SECOND;
  out.frame(frame(3, 7200n * SECOND));
  now = 61n * SECOND;
  out.frame(frame(4, 5n * SECOND));
  out.close();
  assert.deepEqual((await files(path, 2)).map((f) => f.frames), [3, 1]);
});

test('--rotate-time on a file counts capture time', async () => {
  const path = join(dir, 'file.pcap');
  const out = new CaptureOutput(path, { pcapng: false, rotation: { sizeBytes: 0, intervalNs: 60n * SECOND, files: 0 } }, () => {});
  for (const [i, s] of [0n, 30n, 59n, 60n, 61n, 130n].entries()) out.frame(frame(i + 1, s * SECOND));
  out.close();
  assert.deepEqual((await files(path, 3)).map((f) => f.frames), [3, 2, 1]);
});

test('a rotated pcapng file repeats the TLS secrets written to the files before it', async () => {
  const path = join(dir, 'tls.pcapng');
  const lines: string[] = [];
  const out = new CaptureOutput(path, { pcapng: true, secrets: () => lines, rotation: { sizeBytes: 300, intervalNs: 0n, files: 0 } }, () => {});
  lines.push('CLIENT_RANDOM aa 11');
  out.frame(frame(1, 1n));
  out.frame(frame(2, 2n));
  lines.push('CLIENT_RANDOM bb 22');
  // Past 300 bytes: the next frame opens file 2, which must carry both secrets, each once.
  for (let i = 3; i <= 6; i++) out.frame(frame(i, BigInt(i)));
  out.close();
  const got = await files(path, 2);
  assert.deepEqual(got[0]!.secrets, ['CLIENT_RANDOM aa 11', 'CLIENT_RANDOM bb 22']);
  assert.deepEqual(got[1]!.secrets, ['CLIENT_RANDOM aa 11', 'CLIENT_RANDOM bb 22']);
  assert.equal(got.reduce((n, f) => n + f.frames, 0), 6);
});
