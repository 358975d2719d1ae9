// Issue 17's live budget: sipp calls over loopback captured with -d lo. At 3,000 calls/s for 10 s every call and every
// packet must be in the capture and libpcap must have dropped nothing; then the rate steps up until something is lost
// (and is bisected between the last clean rate and the first lossy one), and sngrep gets the same loads.
// The ground truth is sipp's own count of what it sent, from both ends; each tool's -O file is counted the same way,
// so sngrep (which reports no libpcap counters) is judged on the same packets. Needs root, sipp; sngrep for its column.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import dgram from 'node:dgram';
import { openFile } from '../../../src/source/file-source.js';
import { whyNotLive } from '../../support/cli.js';
import { freePort, udpBound, waitFor } from '../../support/ports.js';
import { formatTable, loadAverage, type Bench, type BenchContext, type TargetResult } from '../bench.js';
import { onPath } from './load.js';

const TARGET_RATE = 3000;
const SECONDS = 10;
/** Offered rates after the target one, until something is lost or sipp cannot offer the rate. */
const RAMP = [5000, 8000, 12_000, 16_000, 24_000];
/** Halvings of the gap between the last clean rate and the first lossy one. */
const BISECTIONS = 2;
/** sipp falling this far below the offered rate means the machine, not the capture, is the limit. */
const ACHIEVED_SHARE = 0.9;
/**
 * sipp's default socket buffers (64 KiB) overflow at a few thousand calls/s on a busy machine, and the retransmission
 * storm that follows is sipp's problem, not the capture's: both ends get 4 MiB (net.core.rmem_max here).
 */
const SIPP_BUFFER = 4 << 20;
/**
 * A sipp run that takes this long is stuck (a starved or paused machine): it is told to stop (SIGUSR1, so it still
 * prints what it did), then killed; the trial fails.
 */
const SIPP_WATCHDOG_MS = (SECONDS * 6 + 60) * 1000;

function exited(child: ChildProcess): Promise<number | null> {
  return new Promise((r) => {
    if (child.exitCode !== null || child.signalCode !== null) r(child.exitCode);
    else child.once('close', (code) => r(code));
  });
}

function collect(child: ChildProcess, keep = 40_000): () => string {
  let out = '';
  child.stdout!.on('data', (b: Buffer) => { out = (out + b.toString('latin1')).slice(-keep); });
  return () => out;
}

interface SippRun {
  /** Calls the uac started (each one dialog to capture, answered or not). */
  calls: number;
  /** Calls per second while the uac was starting them (its statistics row where the last call was started). */
  achieved: number;
  failed: number;
  /** SIP messages both ends sent, retransmissions included: what a complete capture holds. */
  sent: number;
  problem: string;
}

interface Trial extends SippRun {
  tool: 'sipscope' | 'sngrep';
  offered: number;
  /** Dialogs the tool reports (the probe's left out). */
  dialogs: number;
  /** Packets in the tool's -O file (the probe's left out). */
  saved: number;
  /** libpcap's counters (sipscope only: sngrep reports none). */
  received?: number;
  dropped?: number;
  load: string;
}

/**
 * Messages sent per line of a sipp scenario screen: the uac draws a send as `INVITE ---------->`, the uas as
 * `<---------- 180`; the two figures after it are messages and retransmissions.
 */
export function sippSent(screen: string): number {
  const last = screen.lastIndexOf('Scenario Screen');
  const lines = (last < 0 ? '' : screen.slice(last)).split('\n');
  let sent = 0;
  for (const line of lines) {
    const m = /^\s*(?:[\w-]+ -{5,}>|<-{5,} [\w-]+)\s+(?:E-RTD\d+\s+)?(\d+)\s+(\d+)/.exec(line);
    if (m) sent += Number(m[1]) + Number(m[2]);
  }
  return sent;
}

/** The uac's -trace_stat rows: the cumulative call rate in the first row that counts every call started. */
export function sippRate(csv: string, calls: number): number {
  const rows = csv.trim().split('\n').map((l) => l.split(';'));
  const head = rows[0] ?? [];
  const [created, rate] = [head.indexOf('TotalCallCreated'), head.indexOf('CallRate(C)')];
  const done = rows.slice(1).find((r) => Number(r[created]) >= calls);
  return Number(done?.[rate] ?? 0);
}

/** sipp's built-in uac against its uas at `rate` calls/s for SECONDS; what both ends say they did. */
async function sipp(dir: string, rate: number, uasPort: number, uacPort: number): Promise<SippRun> {
  const uas = spawn('sipp', ['-sn', 'uas', '-i', '127.0.0.1', '-p', String(uasPort), '-nostdin', '-buff_size', String(SIPP_BUFFER)],
    { stdio: ['ignore', 'pipe', 'ignore'] });
  const uasScreen = collect(uas);
  const stat = join(dir, `uac-${rate}-${uacPort}.csv`);
  let uacScreen = (): string => '';
  let code: number | null = null;
  let stuck = false;
  try {
    await waitFor('sipp uas', () => udpBound(uasPort), () => uas.exitCode === null);
    const uac = spawn('sipp', ['-sn', 'uac', `127.0.0.1:${uasPort}`, '-i', '127.0.0.1', '-p', String(uacPort), '-r', String(rate),
      '-m', String(rate * SECONDS), '-nostdin', '-timeout', String(SECONDS * 6), '-buff_size', String(SIPP_BUFFER),
      '-trace_stat', '-stf', stat, '-fd', '1'], { stdio: ['ignore', 'pipe', 'ignore'] });
    uacScreen = collect(uac);
    const watchdog = setTimeout(() => {
      stuck = true;
      uac.kill('SIGUSR1');
      setTimeout(() => uac.kill('SIGKILL'), 15_000).unref();
    }, SIPP_WATCHDOG_MS);
    code = await exited(uac);
    clearTimeout(watchdog);
  } finally {
    // SIGUSR1 lets the uas finish its calls and print its final screen, the count of what it sent.
    uas.kill('SIGUSR1');
    const watchdog = setTimeout(() => uas.kill('SIGKILL'), 30_000);
    await exited(uas);
    clearTimeout(watchdog);
  }
  const out = uacScreen();
  const column = (label: string): number => Number(new RegExp(`${label}\\s*\\|[^|]*\\|\\s*([\\d.]+)`).exec(out.slice(out.lastIndexOf('Statistics Screen')))?.[1] ?? 0);
  const calls = column('Total Calls created');
  let csv = '';
  try { csv = readFileSync(stat, 'latin1'); } catch { /* sipp never got to write it: achieved stays 0 */ }
  const failed = column('Failed call');
  const uasSent = sippSent(uasScreen());
  const problem = stuck ? `sipp did not finish in ${SIPP_WATCHDOG_MS / 1000} s (stopped)` : code === null ? 'sipp was killed'
    : !uasSent ? 'sipp uas printed no final screen' : '';
  return { calls, achieved: sippRate(csv, calls), failed, sent: sippSent(out) + uasSent, problem };
}

/** One OPTIONS dialog the tools see before the load, to know they capture; its packets are left out of the counts. */
const PROBE_ID = 'bench-probe';
function probeMessage(uasPort: number, uacPort: number): Buffer {
  return Buffer.from(`OPTIONS sip:probe@127.0.0.1:${uasPort} SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:${uacPort};branch=z9hG4bKprobe\r\n` +
    `From: <sip:bench@127.0.0.1>;tag=1\r\nTo: <sip:probe@127.0.0.1>\r\nCall-ID: ${PROBE_ID}\r\nCSeq: 1 OPTIONS\r\nContent-Length: 0\r\n\r\n`);
}

/** Packets in a capture file, the probe's left out (0 while the file is not there). */
async function savedPackets(path: string): Promise<number> {
  const probe = Buffer.from(`Call-ID: ${PROBE_ID}\r\n`);
  let n = 0;
  try {
    const src = openFile(path);
    try {
      await src.start({ frame: (f) => { if (f.data.indexOf(probe) < 0) n++; } });
    } finally {
      src.stop();
    }
  } catch {
    return 0;
  }
  return n;
}

/** Sends the probe until `seen()`: the tool is capturing (opening libpcap takes ms to seconds on a loaded machine). */
async function untilSeen(uasPort: number, uacPort: number, seen: () => boolean, running: () => boolean): Promise<void> {
  const sock = dgram.createSocket('udp4');
  const probe = probeMessage(uasPort, uacPort);
  let last = 0;
  try {
    await waitFor('the tool to capture the probe', () => {
      if (seen()) return true;
      if (Date.now() - last > 200) { sock.send(probe, uasPort, '127.0.0.1'); last = Date.now(); }
      return false;
    }, running);
  } finally {
    sock.close();
  }
}

async function sipscopeTrial(ctx: BenchContext, dir: string, rate: number): Promise<Trial> {
  const [uasPort, uacPort] = [await freePort(), await freePort()];
  const out = join(dir, `sipscope-${rate}.pcap`);
  const cap = spawn(process.execPath, ['bin/sipscope', '-N', '--json', '-d', 'lo', '-O', out, 'udp', 'port', String(uasPort), 'or', 'udp', 'port', String(uacPort)],
    { cwd: ctx.root, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  cap.stdout!.on('data', (b: Buffer) => { stdout += b.toString(); });
  cap.stderr!.on('data', (b: Buffer) => { stderr += b.toString(); });
  const done = exited(cap);
  // -O is written as packets come: the probe in it means libpcap is capturing.
  await untilSeen(uasPort, uacPort, () => holdsProbe(out), () => cap.exitCode === null);
  const s = await sipp(dir, rate, uasPort, uacPort);
  cap.kill('SIGINT');
  const code = await done;
  const lines = stdout.trim().split('\n').flatMap((l) => { try { return [JSON.parse(l) as Record<string, unknown>]; } catch { return []; } });
  const summary = lines.find((l) => l.type === 'summary');
  const dialogs = lines.filter((l) => l.type === 'dialog' && l.callId !== PROBE_ID).length;
  const problem = s.problem || (code === 0 && summary ? '' : `sipscope exit ${code}: ${stderr.trim().split('\n')[0] ?? ''}`);
  return { ...s, problem, tool: 'sipscope', offered: rate, dialogs, saved: await savedPackets(out),
    received: summary?.received as number | undefined, dropped: summary?.dropped as number | undefined, load: loadAverage() };
}

function holdsProbe(path: string): boolean {
  try {
    return readFileSync(path, 'latin1').includes(`Call-ID: ${PROBE_ID}\r\n`);
  } catch {
    return false;
  }
}

/** sngrep -N prints "Dialog count: N" as dialogs come: the probe's dialog shows it is capturing. */
async function sngrepTrial(path: string, dir: string, rate: number): Promise<Trial> {
  const [uasPort, uacPort] = [await freePort(), await freePort()];
  const out = join(dir, `sngrep-${rate}.pcap`);
  const cap = spawn(path, ['-N', '-l', '2000000', '-d', 'lo', '-O', out, 'udp', 'port', String(uasPort), 'or', 'udp', 'port', String(uacPort)],
    { stdio: ['ignore', 'pipe', 'ignore'] });
  const stdout = collect(cap, 4096);
  const count = (): number => Number(/Dialog count: (\d+)\D*$/.exec(stdout())?.[1] ?? 0);
  const done = exited(cap);
  await untilSeen(uasPort, uacPort, () => count() > 0, () => cap.exitCode === null);
  const s = await sipp(dir, rate, uasPort, uacPort);
  // The count is printed as dialogs arrive: wait for it to settle before stopping sngrep.
  let last = -1;
  while (count() !== last) {
    last = count();
    await new Promise((r) => setTimeout(r, 500));
  }
  cap.kill('SIGTERM');
  const code = await done;
  const problem = s.problem || (code === 0 || code === null ? '' : `sngrep exit ${code}`);
  return { ...s, problem, tool: 'sngrep', offered: rate, dialogs: count() - 1, saved: await savedPackets(out), load: loadAverage() };
}

const captured = (t: Trial): boolean => !t.problem && t.calls > 0 && t.dialogs === t.calls && t.saved === t.sent && (t.dropped ?? 0) === 0;
const machineBound = (t: Trial): boolean => t.achieved < t.offered * ACHIEVED_SHARE;
/** A clean trial at a rate sipp really offered; a lossy one counts whatever rate sipp reached. */
const clean = (t: Trial): boolean => captured(t) && !machineBound(t);

/** The target rate, the ramp until the tool loses something (or sipp cannot offer the rate), then bisection. */
async function search(run: (rate: number) => Promise<Trial>, log: (t: Trial) => void): Promise<Trial[]> {
  const trials: Trial[] = [];
  const step = async (rate: number): Promise<Trial> => {
    const t = await run(rate);
    trials.push(t);
    log(t);
    return t;
  };
  let good = 0;
  let bad = 0;
  for (const rate of [TARGET_RATE, ...RAMP]) {
    const t = await step(rate);
    if (!captured(t) && !t.problem) { bad = rate; break; }
    if (!clean(t)) return trials; // sipp (the machine) is the limit, or something failed: no onset to find
    good = rate;
  }
  for (let i = 0; i < BISECTIONS && bad && good && bad - good > 500; i++) {
    const rate = Math.round((good + bad) / 2 / 250) * 250;
    const t = await step(rate);
    if (clean(t)) good = rate;
    else if (!captured(t) && !t.problem) bad = rate;
    else break;
  }
  return trials;
}

/** "losses from 8000 calls/s (none at 6500)", "none up to 24000 calls/s", or "sipp reached only 2400 calls/s". */
export function onset(trials: readonly Trial[]): string {
  const lossy = trials.filter((t) => !captured(t) && !t.problem).sort((a, b) => a.offered - b.offered)[0];
  const best = trials.filter(clean).sort((a, b) => b.offered - a.offered)[0];
  const none = best ? ` (none at ${best.offered})` : '';
  if (lossy) return `losses from ${lossy.offered} calls/s offered, ${Math.round(lossy.achieved)} achieved${none}`;
  const last = trials.at(-1);
  if (!last) return 'not measured';
  if (last.problem) return `stopped at ${last.offered} calls/s: ${last.problem}${none}`;
  return machineBound(last)
    ? `none; sipp reached only ${Math.round(last.achieved)} of ${last.offered} calls/s (the machine is the limit)${none}`
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
  ctx.log(`sipp -sn uac → sipp -sn uas over 127.0.0.1 (socket buffers ${SIPP_BUFFER >> 20} MiB), ${SECONDS} s a rate; captured with ` +
    `sipscope -N --json -d lo -O${sngrep ? ' and sngrep -N -l 2000000 -d lo -O' : ''}, each with its default libpcap buffer ` +
    '(sipscope 32 MiB, sngrep 2 MiB), BPF on the two sipp ports. "sent" is what both sipp ends say they sent (retransmissions ' +
    'included), "saved" the packets in the tool\'s -O file, "dialogs" what the tool reports; loopback queues each packet twice, ' +
    'so libpcap\'s "received" is about twice "sent".');
  const rows = [['tool', 'offered/s', 'achieved/s', 'calls', 'failed', 'dialogs', 'sent', 'saved', 'received', 'dropped', 'load average', 'note']];
  const log = (t: Trial): void => {
    const note = [t.problem, machineBound(t) ? 'sipp fell short of the rate' : '', captured(t) || t.problem ? '' : 'LOST'].filter(Boolean).join('; ');
    const row = [t.tool, String(t.offered), t.achieved.toFixed(0), String(t.calls), String(t.failed), String(t.dialogs), String(t.sent),
      String(t.saved), String(t.received ?? '-'), String(t.dropped ?? '-'), t.load, note];
    rows.push(row);
    ctx.log(`  ${row.join('  ')}`);
  };
  try {
    const ours = await search((rate) => sipscopeTrial(ctx, dir, rate), log);
    const theirs = sngrep ? await search((rate) => sngrepTrial(sngrep, dir, rate), log) : [];
    for (const line of formatTable(rows)) ctx.log(`  ${line}`);
    const at = ours[0]!;
    const them = theirs[0];
    const offered = at.problem ? `; ${at.problem}` : machineBound(at) ? `; sipp reached only ${Math.round(at.achieved)} calls/s: not a test of the capture` : '';
    const targets: TargetResult[] = [
      { name: `live ${TARGET_RATE} calls/s × ${SECONDS} s: dialogs`, figure: `${at.dialogs}/${at.calls}${offered}`,
        sngrep: them ? `${them.dialogs}/${them.calls}` : '', ratio: '', limit: `= ${TARGET_RATE * SECONDS} calls`,
        pass: !offered && at.calls === TARGET_RATE * SECONDS && at.dialogs === at.calls },
      { name: `live ${TARGET_RATE} calls/s × ${SECONDS} s: packets saved`, figure: `${at.saved}/${at.sent}`,
        sngrep: them ? `${them.saved}/${them.sent}` : '', ratio: '', limit: '= sent', pass: !offered && at.saved === at.sent },
      { name: `live ${TARGET_RATE} calls/s × ${SECONDS} s: libpcap dropped`, figure: `${at.dropped ?? '-'} of ${at.received ?? '-'} received`,
        sngrep: them ? `(not reported; ${them.problem ? '?' : them.sent - them.saved} lost)` : '', ratio: '', limit: '= 0', pass: !offered && at.dropped === 0 },
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
  description: `sipp at ${TARGET_RATE} calls/s for ${SECONDS} s over loopback, captured with -d lo: every call and packet, 0 dropped; ` +
    'then the rate where losses start, beside sngrep\'s',
  run,
};
