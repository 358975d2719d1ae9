import { spawn } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync } from 'node:fs';

const GNU_TIME = '/usr/bin/time';
const POLL_MS = 20;

/** One run of a command: how long it took and how much memory it held at its peak. */
export interface Measurement {
  wallMs: number;
  /** Last VmHWM read from /proc/<pid>/status while it ran, in KiB; 0 when it ended before the first poll. */
  hwmKiB: number;
  /** Maximum RSS reported by GNU time, in KiB; null when /usr/bin/time is not installed. */
  timeMaxRssKiB: number | null;
  /** User + system CPU time from GNU time, in ms (less sensitive to a busy machine than wall time); null without it. */
  cpuMs: number | null;
  /** Exit code, or null when a signal (or the timeout) ended it. */
  exitCode: number | null;
  timedOut: boolean;
  /** Its stderr, without GNU time's own line. */
  stderr: string;
  /** With stdoutFile 'pipe': the end of what it printed, else ''. */
  stdoutTail: string;
}

const TAIL_BYTES = 64 * 1024;

export interface MeasureOptions {
  cwd: string;
  /**
   * Receives the command's stdout, so a large output costs the measured process nothing but a file write.
   * 'pipe': stdout is a pipe this process drains, keeping only its last 64 KiB in Measurement.stdoutTail.
   */
  stdoutFile: string | 'pipe';
  timeoutMs: number;
  /** Variables added to this process's environment for the command. */
  env?: Record<string, string>;
}

/** The process to poll: the command itself, or GNU time's only child once it has been forked. */
function measuredPid(pid: number, wrapped: boolean): number | null {
  if (!wrapped) return pid;
  try {
    const child = readFileSync(`/proc/${pid}/task/${pid}/children`, 'latin1').trim().split(' ')[0];
    return child ? Number(child) : null;
  } catch {
    return null;
  }
}

function readHwmKiB(pid: number): number | null {
  try {
    const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'latin1'));
    return match ? Number(match[1]) : null;
  } catch {
    return null;
  }
}

const TIME_FORMAT = '%M %U %S';

/** Splits GNU time's `-f '%M %U %S'` line (the last one) from the command's own stderr. */
function splitTimeOutput(stderr: string): { maxRssKiB: number | null; cpuMs: number | null; rest: string } {
  const lines = stderr.trimEnd().split('\n');
  const match = /^(\d+) ([\d.]+) ([\d.]+)$/.exec(lines.at(-1) ?? '');
  if (!match) return { maxRssKiB: null, cpuMs: null, rest: stderr };
  return { maxRssKiB: Number(match[1]), cpuMs: (Number(match[2]) + Number(match[3])) * 1000, rest: lines.slice(0, -1).join('\n') };
}

/** Runs `command args` once, polling its peak RSS every 20 ms, and wrapped in GNU time when available. */
export function measure(command: string, args: string[], options: MeasureOptions): Promise<Measurement> {
  const wrapped = existsSync(GNU_TIME);
  const out = options.stdoutFile === 'pipe' ? 'pipe' : openSync(options.stdoutFile, 'w');
  const started = performance.now();
  const [program, argv] = wrapped ? [GNU_TIME, ['-f', TIME_FORMAT, command, ...args]] : [command, args];
  const child = spawn(program, argv, { cwd: options.cwd, stdio: ['ignore', out, 'pipe'], env: options.env && { ...process.env, ...options.env } });
  if (typeof out === 'number') closeSync(out);
  let stderr = '';
  child.stderr?.setEncoding('utf8').on('data', (text: string) => { stderr += text; });
  let stdoutTail = Buffer.alloc(0);
  child.stdout?.on('data', (chunk: Buffer) => {
    stdoutTail = Buffer.concat([stdoutTail, chunk]);
    if (stdoutTail.length > 2 * TAIL_BYTES) stdoutTail = stdoutTail.subarray(stdoutTail.length - TAIL_BYTES);
  });

  let hwmKiB = 0;
  let timedOut = false;
  const target = (): number | null => (child.pid === undefined ? null : measuredPid(child.pid, wrapped));
  const poll = setInterval(() => {
    const pid = target();
    const hwm = pid === null ? null : readHwmKiB(pid);
    if (hwm !== null) hwmKiB = hwm;
  }, POLL_MS);
  const timeout = setTimeout(() => {
    timedOut = true;
    // Killing GNU time alone would leave the measured process running.
    const pid = target();
    if (pid !== null && pid !== child.pid) process.kill(pid, 'SIGKILL');
    child.kill('SIGKILL');
  }, options.timeoutMs);
  let wallMs = 0;
  child.on('exit', () => {
    wallMs = performance.now() - started;
    clearInterval(poll);
    clearTimeout(timeout);
  });

  return new Promise((resolve, reject) => {
    child.on('error', (err) => {
      clearInterval(poll);
      clearTimeout(timeout);
      reject(err);
    });
    // 'close' follows 'exit' once stderr has drained, so GNU time's line is in.
    child.on('close', (code) => {
      const time = wrapped ? splitTimeOutput(stderr) : { maxRssKiB: null, cpuMs: null, rest: stderr };
      resolve({ wallMs, hwmKiB, timeMaxRssKiB: time.maxRssKiB, cpuMs: time.cpuMs, exitCode: code, timedOut, stderr: time.rest, stdoutTail: stdoutTail.toString('utf8') });
    });
  });
}
