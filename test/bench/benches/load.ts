import { accessSync, closeSync, constants, openSync, readSync, statSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { delimiter, join, relative } from 'node:path';
import { BENCH_CAPTURE, BENCH_DIALOGS, ensureCapture } from '../bench-capture.js';
import { formatTable, median, verdict, type Bench, type BenchContext } from '../bench.js';
import { measure, type Measurement } from '../measure.js';

const RUNS = 3;
const TARGET_MS = 4000;
const TARGET_RSS_KIB = 300 * 1024;
const TIMEOUT_MS = 120_000;
const TAIL_BYTES = 64 * 1024;

/** The last line of `sipscope -N --json` (DESIGN.md "Headless contract"). */
interface Summary {
  type: 'summary';
  dialogs: number;
  messages: number;
  frames: number;
  skipped: Record<string, number>;
}

interface Run {
  m: Measurement;
  peakKiB: number;
  summary: Summary | null;
  /** Why the run does not count, '' when it does. */
  problem: string;
}

/** The last non-empty line of a possibly large file, reading only its end. */
function lastLine(file: string): string {
  const size = statSync(file).size;
  const length = Math.min(size, TAIL_BYTES);
  const buf = Buffer.alloc(length);
  const fd = openSync(file, 'r');
  try {
    readSync(fd, buf, 0, length, size - length);
  } finally {
    closeSync(fd);
  }
  return buf.toString('utf8').trimEnd().split('\n').at(-1) ?? '';
}

function parseSummary(line: string): Summary | null {
  try {
    const value = JSON.parse(line) as Partial<Summary>;
    return value.type === 'summary' && typeof value.messages === 'number' && typeof value.dialogs === 'number'
      ? value as Summary
      : null;
  } catch {
    return null;
  }
}

function problemOf(m: Measurement, summary: Summary | null, wantsSummary: boolean): string {
  if (m.timedOut) return `killed after ${TIMEOUT_MS / 1000} s`;
  if (m.exitCode !== 0) return `${m.exitCode === null ? 'killed by a signal' : `exit ${m.exitCode}`}: ${m.stderr.trim().split('\n')[0]}`;
  if (wantsSummary && !summary) return 'no JSON summary line at the end of stdout';
  return '';
}

async function timeRuns(ctx: BenchContext, command: string, args: string[], wantsSummary: boolean): Promise<Run[]> {
  const stdoutFile = join(ctx.root, 'test/bench/out/load-stdout.txt');
  const runs: Run[] = [];
  for (let i = 0; i < RUNS; i++) {
    const m = await measure(command, args, { cwd: ctx.root, stdoutFile, timeoutMs: TIMEOUT_MS });
    const summary = parseSummary(lastLine(stdoutFile));
    runs.push({ m, peakKiB: Math.max(m.hwmKiB, m.timeMaxRssKiB ?? 0), summary, problem: problemOf(m, summary, wantsSummary) });
  }
  return runs;
}

export function onPath(program: string): string | null {
  for (const dir of (process.env['PATH'] ?? '').split(delimiter)) {
    try {
      accessSync(join(dir, program), constants.X_OK);
      return join(dir, program);
    } catch {
      // not in this directory
    }
  }
  return null;
}

const seconds = (ms: number): string => `${(ms / 1000).toFixed(2)} s`;
const mib = (kib: number): string => `${(kib / 1024).toFixed(1)} MiB`;

function runTable(runs: Run[]): string[] {
  return formatTable([
    ['run', 'time', 'VmHWM', 'time %M', 'messages', 'dialogs', 'frames', 'note'],
    ...runs.map((r, i) => [
      String(i + 1), seconds(r.m.wallMs), mib(r.m.hwmKiB), r.m.timeMaxRssKiB === null ? '-' : mib(r.m.timeMaxRssKiB),
      String(r.summary?.messages ?? '-'), String(r.summary?.dialogs ?? '-'), String(r.summary?.frames ?? '-'), r.problem,
    ]),
  ]);
}

async function run(ctx: BenchContext): Promise<boolean> {
  const meta = ensureCapture(BENCH_CAPTURE, { dialogs: BENCH_DIALOGS }, ctx.log);
  const file = relative(ctx.root, BENCH_CAPTURE);
  ctx.log(`capture: ${file}, ${(meta.bytes / 1e6).toFixed(1)} MB (${mib(meta.bytes / 1024)}), ` +
    `${meta.messages} SIP messages in ${meta.dialogs} dialogs`);
  ctx.log(`command: node bin/sipscope -N -I ${file} --json   (${RUNS} runs, ${availableParallelism()} CPUs; targets are for 2)`);

  const runs = await timeRuns(ctx, process.execPath, ['bin/sipscope', '-N', '-I', file, '--json'], true);
  for (const line of runTable(runs)) ctx.log(`  ${line}`);

  const valid = runs.filter((r) => !r.problem);
  const complete = valid.length === runs.length;
  const times = valid.map((r) => r.m.wallMs);
  const peaks = valid.map((r) => r.peakKiB);
  const last = valid.at(-1)?.summary;
  const timeOk = complete && Math.max(...times) <= TARGET_MS;
  const rssOk = complete && Math.max(...peaks) <= TARGET_RSS_KIB;
  const messagesOk = complete && valid.every((r) => r.summary?.messages === meta.messages);
  const dialogsOk = complete && valid.every((r) => r.summary?.dialogs === meta.dialogs);
  const stat = (values: number[], show: (v: number) => string): [string, string] =>
    values.length ? [show(median(values)), show(Math.max(...values))] : ['-', '-'];

  const rows = [
    ['', 'median', 'worst', 'target', 'result'],
    ['load time', ...stat(times, seconds), `<= ${seconds(TARGET_MS)}`, verdict(timeOk)],
    ['peak RSS', ...stat(peaks, mib), `<= ${mib(TARGET_RSS_KIB)}`, verdict(rssOk)],
    ['messages', String(last?.messages ?? '-'), '', `= ${meta.messages}`, verdict(messagesOk)],
    ['dialogs', String(last?.dialogs ?? '-'), '', `= ${meta.dialogs}`, verdict(dialogsOk)],
  ];
  const sngrep = onPath('sngrep');
  if (sngrep) {
    const reference = (await timeRuns(ctx, sngrep, ['-N', '-I', file], false)).filter((r) => !r.problem);
    rows.push(['sngrep -N', ...stat(reference.map((r) => r.m.wallMs), seconds), '(reference)', '']);
    rows.push(['sngrep RSS', ...stat(reference.map((r) => r.peakKiB), mib), '(reference)', '']);
  }
  for (const line of formatTable(rows)) ctx.log(`  ${line}`);
  if (last && Object.keys(last.skipped).length) ctx.log(`  skipped: ${JSON.stringify(last.skipped)}`);
  return timeOk && rssOk && messagesOk && dialogsOk;
}

export const loadBench: Bench = {
  name: 'load',
  description: `headless load of a ${BENCH_DIALOGS / 1000}k-dialog capture: time and peak RSS (target <= 4 s, <= 300 MiB)`,
  run,
};
