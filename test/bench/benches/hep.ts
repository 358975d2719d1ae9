// The bench capture through `sipscope -H` into `sipscope -L udp:` on loopback. -H runs once, into
// a TCP collector that records its packets (TCP: nothing lost, and -H's cost per message is
// measured there); then a replayer child sends that recording to a fresh -L at stepped rates, so
// the offered load does not depend on the sender keeping up. Each step states loss (messages sent
// minus stored), the kernel's drops on the socket (/proc/net/udp), and the CPU of each side; the
// receiver's CPU per message (startup and exit excluded) is the figure that survives a busy machine.
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, readFileSync, rmSync } from 'node:fs';
import net from 'node:net';
import { fileURLToPath } from 'node:url';
import { BENCH_CAPTURE, BENCH_DIALOGS, ensureCapture } from '../bench-capture.js';
import { formatTable, loadAverage, verdict, type Bench, type BenchContext } from '../bench.js';
import { freePort, udpBound, udpDrained, udpDrops, waitFor } from '../../support/ports.js';

const TARGET_RATE = 50_000;
/** Tried from the target up while nothing is lost, else down until nothing is. */
const UP = [60_000, 80_000, 100_000, 130_000];
const DOWN = [40_000, 30_000, 20_000, 10_000];
const CLOCK_TICKS = 100;
/** What -L asks for; the kernel grants at most net.core.rmem_max. */
const RECEIVE_MIB = 64;
const RECORDING = fileURLToPath(new URL('../../../../test/bench/out/bench.hep', import.meta.url));
const REPLAY = fileURLToPath(new URL('../hep-replay.js', import.meta.url));

/** utime + stime of a process in seconds (Linux), undefined once it is gone. */
function cpuSeconds(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
  } catch {
    return undefined;
  }
}

/** Keeps the last CPU reading of a child, so it is known after the child exits. */
function trackCpu(child: ChildProcess): { seconds: () => number; stop: () => void } {
  let last = 0;
  const timer = setInterval(() => { last = Math.max(last, cpuSeconds(child.pid!) ?? 0); }, 20);
  return { seconds: () => last, stop: () => clearInterval(timer) };
}

function exited(child: ChildProcess): Promise<number | null> {
  return new Promise((r) => child.once('close', (code) => r(code)));
}

function collect(stream: NodeJS.ReadableStream | null): () => string {
  let text = '';
  stream?.on('data', (b: Buffer) => { text = (text + b.toString()).slice(-64 * 1024); });
  return () => text;
}

/** CPU seconds of `sipscope ARGS` run to its end. */
async function cpuOf(ctx: BenchContext, args: string[]): Promise<{ cpu: number; code: number | null; stderr: string }> {
  const child = spawn(process.execPath, [`${ctx.root}/bin/sipscope`, ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
  const cpu = trackCpu(child);
  const stderr = collect(child.stderr);
  const code = await exited(child);
  cpu.stop();
  return { cpu: cpu.seconds(), code, stderr: stderr() };
}

/** -H over TCP into a collector that writes the packets to RECORDING; the packets counted, -H's CPU. */
async function record(ctx: BenchContext): Promise<{ packets: number; cpu: number }> {
  const out = createWriteStream(RECORDING);
  let packets = 0;
  let held: Buffer = Buffer.alloc(0);
  const server = net.createServer((sock) => sock.on('data', (b: Buffer) => {
    out.write(b);
    held = held.length ? Buffer.concat([held, b]) : b;
    let p = 0;
    while (held.length - p >= 6 && held.length - p >= held.readUInt16BE(p + 4)) {
      p += held.readUInt16BE(p + 4);
      packets++;
    }
    held = held.subarray(p);
  }));
  const port = await new Promise<number>((r) => server.listen(0, '127.0.0.1', () => r((server.address() as net.AddressInfo).port)));
  const run = await cpuOf(ctx, ['-N', '-q', '-I', BENCH_CAPTURE, '-H', `tcp:127.0.0.1:${port}`, '--hep-rate', '0']);
  await new Promise<void>((r) => server.close(() => r()));
  await new Promise<void>((r) => out.end(r));
  if (run.code !== 0) throw new Error(`sipscope -H exited ${run.code}: ${run.stderr.trim()}`);
  return { packets, cpu: run.cpu };
}

interface Step { rate: number; sent: number; achieved: number; stored: number; kernelDrops: number; ringDrops: number; txCpu: number; rxCpu: number; buffer: string }

/** -L's CPU (both threads) per message it decoded and stored, in µs. */
const perMessage = (s: Step): number => (s.rxCpu * 1e6) / Math.max(1, s.stored);

/** A fresh -L, the recording replayed into it at `rate`; the receiver's CPU from its first to its last packet. */
async function step(ctx: BenchContext, rate: number): Promise<Step> {
  const port = await freePort();
  const rx = spawn(process.execPath, [`${ctx.root}/bin/sipscope`, '-N', '--json', '-B', String(RECEIVE_MIB), '-L', `udp:127.0.0.1:${port}`],
    { stdio: ['ignore', 'pipe', 'pipe'] });
  const stdout = collect(rx.stdout);
  const stderr = collect(rx.stderr);
  const rxDone = exited(rx);
  let rxAlive = true;
  void rxDone.then(() => (rxAlive = false));
  await waitFor('the listener', () => udpBound(port), () => rxAlive);
  const rxBefore = cpuSeconds(rx.pid!) ?? 0;
  const tx = spawn(process.execPath, [REPLAY, RECORDING, String(port), String(rate)], { stdio: ['ignore', 'pipe', 'inherit'] });
  const txOut = collect(tx.stdout);
  if (await exited(tx) !== 0) throw new Error('the replayer failed');
  await waitFor('the listener to drain', () => udpDrained(port), () => rxAlive);
  // The socket is read; what its thread put in the ring is decoded once the receiver's CPU stops growing.
  let last = -1;
  let still = 0;
  await waitFor('the listener to go idle', () => {
    const now = cpuSeconds(rx.pid!) ?? 0;
    still = now === last ? still + 1 : 0;
    last = now;
    return still >= 3;
  }, () => rxAlive);
  const rxCpu = last - rxBefore;
  const kernelDrops = udpDrops(port);
  rx.kill('SIGTERM');
  await rxDone;
  const replay = JSON.parse(txOut()) as { sent: number; seconds: number; cpu: number };
  const summary = JSON.parse(stdout().trim().split('\n').at(-1)!) as { messages: number; dropped: number };
  // -L says when the kernel granted less than asked (net.core.rmem_max).
  const granted = /receive buffer is (\d+) KiB/.exec(stderr());
  return {
    rate, sent: replay.sent, achieved: replay.sent / replay.seconds, stored: summary.messages, kernelDrops,
    // -L's Dropped is the kernel's and its ring's (a decoder starved of CPU for longer than the ring holds).
    ringDrops: summary.dropped - kernelDrops, txCpu: replay.cpu, rxCpu,
    buffer: granted ? `${Math.round(Number(granted[1]) / 1024)} MiB` : `${RECEIVE_MIB} MiB`,
  };
}

async function run(ctx: BenchContext): Promise<boolean> {
  const meta = ensureCapture(BENCH_CAPTURE, { dialogs: BENCH_DIALOGS }, ctx.log);
  try {
    const rec = await record(ctx);
    const plain = await cpuOf(ctx, ['-N', '-q', '-I', BENCH_CAPTURE]);
    const us = (s: number): string => ((s * 1e6) / meta.messages).toFixed(1);
    ctx.log(`-H over TCP: ${rec.packets} of ${meta.messages} messages recorded; sipscope -N -I bench.pcap -H: ${rec.cpu.toFixed(1)} s CPU ` +
      `(${us(rec.cpu)} µs/msg), without -H ${plain.cpu.toFixed(1)} s (${us(plain.cpu)} µs/msg): -H itself ${us(rec.cpu - plain.cpu)} µs/msg   (${loadAverage()})`);
    if (rec.packets !== meta.messages) throw new Error(`-H sent ${rec.packets} of ${meta.messages} messages over TCP`);

    const rows: string[][] = [['offered msg/s', 'achieved', 'sent', 'stored', 'lost', 'kernel drops', 'ring drops', 'rcvbuf', 'replay CPU s', '-L CPU s', '-L µs/msg', 'load']];
    const steps: Step[] = [];
    /** Every message of the capture sent and stored. */
    const clean = (s: Step): boolean => s.sent === s.stored && s.stored === meta.messages;
    const tryRate = async (rate: number): Promise<boolean> => {
      const s = await step(ctx, rate);
      steps.push(s);
      rows.push([String(rate), String(Math.round(s.achieved)), String(s.sent), String(s.stored), String(s.sent - s.stored), String(s.kernelDrops),
        String(s.ringDrops), s.buffer, s.txCpu.toFixed(1), s.rxCpu.toFixed(1), perMessage(s).toFixed(1), loadAverage().slice(5)]);
      ctx.log(`  ${rate} msg/s offered, ${Math.round(s.achieved)} achieved: ${s.sent - s.stored} lost`);
      return clean(s);
    };
    const atTarget = await tryRate(TARGET_RATE);
    for (const rate of atTarget ? UP : DOWN) {
      if ((await tryRate(rate)) !== atTarget) break;
    }
    for (const line of formatTable(rows)) ctx.log(line);
    // What counts is the rate the replayer reached: on a busy machine it may fall short of the one it was given.
    const sustained = Math.round(Math.max(0, ...steps.filter(clean).map((s) => s.achieved)));
    const pass = sustained >= TARGET_RATE;
    if (steps.some((s) => s.achieved < s.rate * 0.95)) ctx.log('the replayer fell behind the rate it was given (CPU taken by others): see "achieved"');
    const perMsg = Math.min(...steps.map(perMessage));
    ctx.log(`sustained with 0 loss: ${sustained ? `${sustained} msg/s` : 'none of the rates tried'}; -L receive path ${perMsg.toFixed(1)} µs/msg at best ` +
      `(${Math.round(1e6 / perMsg)} msg/s on one free core)   (${loadAverage()}; shared machine: noisy)`);
    ctx.target({ name: 'HEP into -L, 0 loss', figure: `${sustained} msg/s`, sngrep: '', ratio: '', limit: `>= ${TARGET_RATE} msg/s`, pass });
    ctx.log(`${verdict(pass)}: ${TARGET_RATE} HEP messages/s into -L with 0 loss`);
    return pass;
  } finally {
    rmSync(RECORDING, { force: true });
  }
}

export const hepBench: Bench = {
  name: 'hep',
  description: `the ${BENCH_DIALOGS / 1000}k-dialog capture through -H into -L over UDP on loopback, stepping the rate: loss, kernel drops, CPU of each side (target ${TARGET_RATE} msg/s, 0 loss)`,
  run,
};
