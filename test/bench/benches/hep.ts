// The bench capture through `sipscope -H udp:` into `sipscope -L udp:` on loopback. The sender reads
// the file from stdin, which this bench feeds at a fixed message rate (a file would be sent as fast
// as it is read, faster than any collector takes it); the receiver's loss is messages sent minus
// messages stored, its kernel drops come from /proc/net/udp. CPU is utime+stime of each process.
import { spawn, type ChildProcess } from 'node:child_process';
import { openSync, readSync, closeSync, readFileSync } from 'node:fs';
import { BENCH_CAPTURE, BENCH_DIALOGS, ensureCapture } from '../bench-capture.js';
import { formatTable, verdict, type Bench, type BenchContext } from '../bench.js';
import { freePort, udpBound, udpDrained, waitFor } from '../../support/ports.js';

const TARGET_RATE = 50_000;
const RATES = [TARGET_RATE, 100_000];
const CLOCK_TICKS = 100;

/** utime + stime of a process in seconds (Linux), 0 once it is gone. */
function cpuSeconds(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
  } catch {
    return 0;
  }
}

/** Keeps the last CPU reading of a child, so it is known after the child exits. */
function trackCpu(child: ChildProcess): { seconds: () => number; stop: () => void } {
  let last = 0;
  const timer = setInterval(() => { last = Math.max(last, cpuSeconds(child.pid!)); }, 100);
  return { seconds: () => last, stop: () => clearInterval(timer) };
}

function exited(child: ChildProcess): Promise<number | null> {
  return new Promise((r) => child.once('close', (code) => r(code)));
}

interface Result { rate: number; sent: number; stored: number; kernelDrops: number; seconds: number; txCpu: number; rxCpu: number }

/** Feeds the pcap to stdin at about `rate` messages a second (bytes per message from the capture's average). */
async function feed(stdin: NodeJS.WritableStream, bytesPerSecond: number): Promise<void> {
  const fd = openSync(BENCH_CAPTURE, 'r');
  const chunk = Buffer.alloc(64 * 1024);
  const started = performance.now();
  let sent = 0;
  try {
    for (;;) {
      const n = readSync(fd, chunk, 0, chunk.length, null);
      if (n === 0) break;
      const ok = stdin.write(Buffer.from(chunk.subarray(0, n)));
      sent += n;
      const ahead = sent / bytesPerSecond * 1000 - (performance.now() - started);
      if (ahead > 1) await new Promise((r) => setTimeout(r, ahead));
      if (!ok) await new Promise((r) => stdin.once('drain', r));
    }
  } finally {
    closeSync(fd);
    stdin.end();
  }
}

async function once(ctx: BenchContext, rate: number, messages: number, bytes: number): Promise<Result> {
  const port = await freePort();
  const bin = `${ctx.root}/bin/sipscope`;
  const rx = spawn(process.execPath, [bin, '-N', '--json', '-B', '64', '-L', `udp:127.0.0.1:${port}`], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  rx.stdout!.on('data', (b: Buffer) => (out += b.toString()));
  const rxDone = exited(rx);
  const rxCpu = trackCpu(rx);
  await waitFor('the listener', () => udpBound(port));
  const started = performance.now();
  const tx = spawn(process.execPath, [bin, '-N', '-q', '-I', '-', '-H', `udp:127.0.0.1:${port}`], { stdio: ['pipe', 'ignore', 'pipe'] });
  const txCpu = trackCpu(tx);
  const txDone = exited(tx);
  await feed(tx.stdin!, (rate * bytes) / messages);
  await txDone;
  await waitFor('the listener to drain', () => udpDrained(port));
  const seconds = (performance.now() - started) / 1000;
  rx.kill('SIGTERM');
  await rxDone;
  rxCpu.stop();
  txCpu.stop();
  const summary = JSON.parse(out.trim().split('\n').at(-1)!) as { messages: number; received: number; dropped: number };
  return { rate, sent: messages, stored: summary.messages, kernelDrops: summary.dropped, seconds, txCpu: txCpu.seconds(), rxCpu: rxCpu.seconds() };
}

async function run(ctx: BenchContext): Promise<boolean> {
  const meta = ensureCapture(BENCH_CAPTURE, { dialogs: BENCH_DIALOGS }, ctx.log);
  const rows: string[][] = [['offered msg/s', 'messages', 'stored', 'lost', 'kernel drops', 'achieved msg/s', '-H CPU s', '-L CPU s']];
  let pass = false;
  for (const rate of RATES) {
    const r = await once(ctx, rate, meta.messages, meta.bytes);
    const lost = r.sent - r.stored;
    if (rate === TARGET_RATE) pass = lost === 0;
    rows.push([String(rate), String(r.sent), String(r.stored), String(lost), String(r.kernelDrops),
      String(Math.round(r.sent / r.seconds)), r.txCpu.toFixed(1), r.rxCpu.toFixed(1)]);
  }
  for (const line of formatTable(rows)) ctx.log(line);
  ctx.log(`${verdict(pass)}: ${TARGET_RATE} HEP messages/s into -L with 0 loss (shared machine: noisy)`);
  return pass;
}

export const hepBench: Bench = {
  name: 'hep',
  description: `the ${BENCH_DIALOGS / 1000}k-dialog capture through -H into -L over UDP on loopback: loss, kernel drops, CPU (target ${TARGET_RATE} msg/s, 0 loss)`,
  run,
};
