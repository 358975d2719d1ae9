import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { formatTable, median, verdict, type Bench, type BenchContext } from '../bench.js';
import { generateRtpCapture, RTP_GENERATOR_VERSION, type RtpCaptureMeta, type RtpCaptureOptions } from '../gen/rtp-calls.js';
import { measure, type Measurement } from '../measure.js';
import { onPath } from './load.js';

const OPTIONS: RtpCaptureOptions = { calls: 500, seconds: 60 };
const CAPTURE = fileURLToPath(new URL('../../../../test/bench/out/rtp.pcap', import.meta.url));
const RUNS = 3;
const TARGET_PACKETS_PER_S = 1_500_000;
const TIMEOUT_MS = 120_000;

function ensure(log: (line: string) => void): RtpCaptureMeta {
  const sidecar = `${CAPTURE}.json`;
  if (existsSync(CAPTURE) && existsSync(sidecar)) {
    const meta = JSON.parse(readFileSync(sidecar, 'utf8')) as RtpCaptureMeta;
    if (meta.version === RTP_GENERATOR_VERSION && meta.calls === OPTIONS.calls && meta.seconds === OPTIONS.seconds && statSync(CAPTURE).size === meta.bytes) return meta;
  }
  mkdirSync(dirname(CAPTURE), { recursive: true });
  const started = performance.now();
  const meta = generateRtpCapture(CAPTURE, OPTIONS);
  writeFileSync(sidecar, `${JSON.stringify(meta, null, 2)}\n`);
  log(`generated ${CAPTURE}: ${meta.rtpPackets} RTP packets in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  return meta;
}

interface Stream { type: string; packets: number; lost: number; maxJitterMs: number }

const seconds = (ms: number): string => `${(ms / 1000).toFixed(2)} s`;
const mib = (kib: number): string => `${(kib / 1024).toFixed(1)} MiB`;
const peak = (m: Measurement): number => Math.max(m.hwmKiB, m.timeMaxRssKiB ?? 0);

async function run(ctx: BenchContext): Promise<boolean> {
  const meta = ensure(ctx.log);
  const file = relative(ctx.root, CAPTURE);
  const stdoutFile = join(ctx.root, 'test/bench/out/rtp-stdout.txt');
  ctx.log(`capture: ${file}, ${(meta.bytes / 1e6).toFixed(1)} MB, ${meta.calls} calls × 2 streams × ${meta.seconds} s of 20 ms G.711 = ${meta.rtpPackets} RTP packets`);
  ctx.log(`command: node bin/sipscope -N -I ${file} --json   (${RUNS} runs, ${availableParallelism()} CPUs, one core used)`);
  const runs: { m: Measurement; problem: string }[] = [];
  for (let i = 0; i < RUNS; i++) {
    const m = await measure(process.execPath, ['bin/sipscope', '-N', '-I', file, '--json'], { cwd: ctx.root, stdoutFile, timeoutMs: TIMEOUT_MS });
    let problem = m.exitCode === 0 ? '' : `exit ${m.exitCode}`;
    if (!problem) {
      const streams = readFileSync(stdoutFile, 'utf8').split('\n').filter((l) => l.includes('"type":"stream"')).map((l) => JSON.parse(l) as Stream);
      const wanted = meta.seconds * 50;
      if (streams.length !== 2 * meta.calls) problem = `${streams.length} streams, want ${2 * meta.calls}`;
      else if (!streams.every((s) => s.packets === wanted && s.lost === 0)) problem = `a stream without ${wanted} packets or with loss`;
    }
    runs.push({ m, problem });
  }
  const valid = runs.filter((r) => !r.problem);
  const rates = valid.map((r) => meta.rtpPackets / (r.m.wallMs / 1000));
  const rateOk = valid.length === RUNS && Math.min(...rates) >= TARGET_PACKETS_PER_S;
  const rows = [
    ['run', 'time', 'RTP packets/s', 'peak RSS', 'note'],
    ...runs.map((r, i) => [String(i + 1), seconds(r.m.wallMs), String(Math.round(meta.rtpPackets / (r.m.wallMs / 1000))), mib(peak(r.m)), r.problem]),
  ];
  for (const line of formatTable(rows)) ctx.log(`  ${line}`);
  const summary = [
    ['', 'median', 'target', 'result'],
    ['RTP packets/s', rates.length ? String(Math.round(median(rates))) : '-', `>= ${TARGET_PACKETS_PER_S} (worst run)`, verdict(rateOk)],
    ['peak RSS', valid.length ? mib(median(valid.map((r) => peak(r.m)))) : '-', '(stated)', ''],
  ];
  const sngrep = onPath('sngrep');
  if (sngrep) {
    const ref = await measure(sngrep, ['-r', '-N', '-I', file], { cwd: ctx.root, stdoutFile, timeoutMs: TIMEOUT_MS });
    summary.push(['sngrep -r -N', `${seconds(ref.wallMs)}, ${mib(peak(ref))}`, '(reference, one run)', ref.exitCode === 0 ? '' : `exit ${ref.exitCode}`]);
  }
  for (const line of formatTable(summary)) ctx.log(`  ${line}`);
  return rateOk;
}

export const rtpBench: Bench = {
  name: 'rtp',
  description: `headless load of ${OPTIONS.calls} calls × 2 streams × ${OPTIONS.seconds} s of G.711 (about 3M RTP packets): packets/s (target >= 1.5M) and peak RSS`,
  run,
};
