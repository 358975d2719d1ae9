// Issue 17's live budget: sipp calls over loopback captured with -d lo. At 3,000 calls/s for 10 s every call must be
// in the output and libpcap must have dropped nothing; then the rate goes up until calls go missing or libpcap drops,
// and sngrep gets the same loads. Needs root (live capture) and sipp; sngrep only for its column.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import dgram from 'node:dgram';
import { untilCapturing } from '../../support/live-capture.js';
import { whyNotLive } from '../../support/cli.js';
import { freePort, udpBound, waitFor } from '../../support/ports.js';
import { formatTable, loadAverage, type Bench, type BenchContext, type TargetResult } from '../bench.js';
import { onPath } from './load.js';

const TARGET_RATE = 3000;
const SECONDS = 10;
/** Offered rates after the target one, until calls go missing or libpcap drops. */
const RAMP = [5000, 8000, 12_000, 16_000];
/** sipp falling this far below the offered rate means the machine, not the capture, is the limit. */
const ACHIEVED_SHARE = 0.8;

function exited(child: ChildProcess): Promise<number | null> {
  return new Promise((r) => {
    if (child.exitCode !== null) r(child.exitCode);
    else child.once('close', (code) => r(code));
  });
}

interface Trial {
  tool: 'sipscope' | 'sngrep';
  offered: number;
  /** Calls sipp started (each is one dialog to capture, answered or not), and its own average rate. */
  calls: number;
  achieved: number;
  /** Dialogs the tool shows at the end. */
  captured: number;
  /** libpcap's counters (sipscope only: sngrep reports none). */
  received?: number;
  dropped?: number;
  load: string;
  problem: string;
}

/** Runs sipp's built-in uac against its uac at `rate` calls/s for SECONDS; resolves with what its final report says. */
async function sipp(rate: number, uasPort: number, uacPort: number): Promise<{ calls: number; achieved: number; problem: string }> {
  const uas = spawn('sipp', ['-sn', 'uas', '-i', '127.0.0.1', '-p', String(uasPort), '-nostdin'], { stdio: 'ignore' });
  try {
    await waitFor('sipp uas', () => udpBound(uasPort), () => uas.exitCode === null);
    const uac = spawn('sipp', ['-sn', 'uac', `127.0.0.1:${uasPort}`, '-i', '127.0.0.1', '-p', String(uacPort), '-r', String(rate),
      '-m', String(rate * SECONDS), '-nostdin', '-timeout', String(SECONDS * 6)], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    uac.stdout!.on('data', (b: Buffer) => { out = (out + b.toString('latin1')).slice(-20_000); });
    const code = await exited(uac);
    const column = (label: string): number => Number(new RegExp(`${label}\\s*\\|[^|]*\\|\\s*([\\d.]+)`).exec(out)?.[1] ?? 0);
    const failed = column('Failed call');
    return { calls: column('Total Calls created'), achieved: column('Call Rate'), problem: code === 0 ? '' : `sipp: ${failed} calls failed (exit ${code})` };
  } finally {
    uas.kill('SIGTERM');
    await exited(uas);
  }
}

async function sipscopeTrial(ctx: BenchContext, dir: string, rate: number): Promise<Trial> {
  const [uasPort, uacPort] = [await freePort(), await freePort()];
  const out = join(dir, `live-${rate}.pcap`);
  const cap = spawn(process.execPath, ['bin/sipscope', '-N', '--json', '-d', 'lo', '-O', out, 'udp', 'port', String(uasPort), 'or', 'udp', 'port', String(uacPort)],
    { cwd: ctx.root, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  cap.stdout!.on('data', (b: Buffer) => { stdout += b.toString(); });
  cap.stderr!.on('data', (b: Buffer) => { stderr += b.toString(); });
  const done = exited(cap);
  const probe = dgram.createSocket('udp4');
  try {
    await untilCapturing(out, () => probe.send('probe', uasPort, '127.0.0.1'), () => cap.exitCode === null);
  } finally {
    probe.close();
  }
  const s = await sipp(rate, uasPort, uacPort);
  cap.kill('SIGINT');
  const code = await done;
  const lines = stdout.trim().split('\n').flatMap((l) => { try { return [JSON.parse(l) as Record<string, unknown>]; } catch { return []; } });
  const summary = lines.find((l) => l.type === 'summary');
  const captured = lines.filter((l) => l.type === 'dialog').length;
  const problem = s.problem || (code === 0 && summary ? '' : `sipscope exit ${code}: ${stderr.trim().split('\n')[0] ?? ''}`);
  return { tool: 'sipscope', offered: rate, calls: s.calls, achieved: s.achieved, captured, received: summary?.received as number | undefined,
    dropped: summary?.dropped as number | undefined, load: loadAverage(), problem };
}

/** sngrep -N prints "Dialog count: N" as dialogs come; a probe dialog (one OPTIONS Call-ID) shows it is capturing. */
async function sngrepTrial(path: string, rate: number): Promise<Trial> {
  const [uasPort, uacPort] = [await freePort(), await freePort()];
  const cap = spawn(path, ['-N', '-l', '2000000', '-d', 'lo', 'udp', 'port', String(uasPort), 'or', 'udp', 'port', String(uacPort)], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  cap.stdout!.on('data', (b: Buffer) => { stdout = (stdout + b.toString('latin1')).slice(-4096); });
  const count = (): number => Number(/Dialog count: (\d+)\D*$/.exec(stdout)?.[1] ?? 0);
  const done = exited(cap);
  const probe = dgram.createSocket('udp4');
  const options = Buffer.from(`OPTIONS sip:probe@127.0.0.1 SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:${uacPort};branch=z9hG4bKprobe\r\n` +
    `From: <sip:bench@127.0.0.1>;tag=1\r\nTo: <sip:probe@127.0.0.1>\r\nCall-ID: bench-probe-${uasPort}\r\nCSeq: 1 OPTIONS\r\nContent-Length: 0\r\n\r\n`);
  try {
    await waitFor('sngrep to capture', () => {
      if (count() === 0) probe.send(options, uasPort, '127.0.0.1');
      return count() > 0;
    }, () => cap.exitCode === null);
  } finally {
    probe.close();
  }
  const s = await sipp(rate, uasPort, uacPort);
  // The count is printed as dialogs arrive: wait for it to settle before stopping sngrep.
  let last = -1;
  while (count() !== last) {
    last = count();
    await new Promise((r) => setTimeout(r, 500));
  }
  cap.kill('SIGTERM');
  const code = await done;
  const problem = s.problem || (code === 0 || code === null ? '' : `sngrep exit ${code}`);
  return { tool: 'sngrep', offered: rate, calls: s.calls, achieved: s.achieved, captured: count() - 1, load: loadAverage(), problem };
}

const complete = (t: Trial): boolean => !t.problem && t.calls === t.offered * SECONDS && t.captured === t.calls && (t.dropped ?? 0) === 0;
const machineBound = (t: Trial): boolean => t.achieved < t.offered * ACHIEVED_SHARE;

/** Target rate, then the ramp until the tool loses something or sipp cannot offer the rate. */
async function ramp(run: (rate: number) => Promise<Trial>, log: (t: Trial) => void): Promise<Trial[]> {
  const trials: Trial[] = [];
  for (const rate of [TARGET_RATE, ...RAMP]) {
    const t = await run(rate);
    trials.push(t);
    log(t);
    if (!complete(t) || machineBound(t)) break;
  }
  return trials;
}

/** "drops from 8000 calls/s", "none up to 16000 calls/s", or "sipp reached only 2400 calls/s". */
function onset(trials: Trial[]): string {
  const lost = trials.find((t) => !complete(t));
  if (lost) return `losses from ${lost.offered} calls/s offered (${Math.round(lost.achieved)} achieved${machineBound(lost) ? ', machine-bound' : ''})`;
  const last = trials.at(-1)!;
  return machineBound(last)
    ? `none; sipp reached only ${Math.round(last.achieved)} of ${last.offered} calls/s (machine-bound)`
    : `none up to ${last.offered} calls/s`;
}

async function run(ctx: BenchContext): Promise<boolean> {
  const why = whyNotLive() ?? (onPath('sipp') ? undefined : 'sipp is not installed (Debian package sip-tester)');
  if (why) {
    ctx.log(`cannot run: ${why}`);
    ctx.target({ name: `live ${TARGET_RATE} calls/s`, figure: why, sngrep: '', ratio: '', limit: 'every call, 0 dropped', pass: false });
    return false;
  }
  const sngrep = onPath('sngrep');
  const dir = mkdtempSync(join(tmpdir(), 'sipscope-bench-live-'));
  ctx.log(`sipp -sn uac → sipp -sn uas over 127.0.0.1 for ${SECONDS} s a rate; captured with sipscope -N --json -d lo` +
    `${sngrep ? ' and sngrep -N -l 2000000 -d lo' : ''} (default buffers), BPF on the two sipp ports`);
  const rows = [['tool', 'offered/s', 'sipp calls started', 'sipp achieved/s', 'captured', 'received', 'dropped', 'load average', 'note']];
  const log = (t: Trial): void => {
    const note = [t.problem, machineBound(t) ? 'machine-bound: sipp fell short of the rate' : ''].filter(Boolean).join('; ');
    const row = [t.tool, String(t.offered), String(t.calls), t.achieved.toFixed(0), String(t.captured), String(t.received ?? '-'), String(t.dropped ?? '-'), t.load, note];
    rows.push(row);
    ctx.log(`  ${row.join('  ')}`);
  };
  try {
    const ours = await ramp((rate) => sipscopeTrial(ctx, dir, rate), log);
    const theirs = sngrep ? await ramp((rate) => sngrepTrial(sngrep, rate), log) : [];
    for (const line of formatTable(rows)) ctx.log(`  ${line}`);
    const atTarget = ours[0]!;
    const sngrepAtTarget = theirs[0];
    const targets: TargetResult[] = [
      { name: `live ${TARGET_RATE} calls/s × ${SECONDS} s: captured`, figure: `${atTarget.captured}/${atTarget.calls}`,
        sngrep: sngrepAtTarget ? `${sngrepAtTarget.captured}/${sngrepAtTarget.calls}` : '', ratio: '',
        limit: `= ${TARGET_RATE * SECONDS} calls`, pass: !atTarget.problem && atTarget.calls === TARGET_RATE * SECONDS && atTarget.captured === atTarget.calls },
      { name: `live ${TARGET_RATE} calls/s × ${SECONDS} s: libpcap dropped`, figure: `${atTarget.dropped ?? '-'} of ${atTarget.received ?? '-'} received`,
        sngrep: sngrepAtTarget ? '(not reported)' : '', ratio: '', limit: '= 0', pass: atTarget.dropped === 0 },
      { name: 'live: where losses start', figure: onset(ours), sngrep: theirs.length ? onset(theirs) : '', ratio: '', limit: '(stated)', pass: null },
    ];
    for (const t of targets) ctx.target(t);
    return targets.every((t) => t.pass !== false);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export const liveBench: Bench = {
  name: 'live',
  description: `sipp at ${TARGET_RATE} calls/s for ${SECONDS} s over loopback, captured with -d lo: every call, 0 dropped; ` +
    'then the rate where losses start, beside sngrep\'s',
  run,
};
