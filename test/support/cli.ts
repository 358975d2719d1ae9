import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { openFile } from '../../src/source/file-source.js';

/** Repository root (compiled tests run from dist/test/…). */
export const REPO = fileURLToPath(new URL('../../../', import.meta.url)).replace(/\/$/, '');
export const BIN = `${REPO}/bin/sipscope`;
export const SHARED_REPROS = `${REPO}/../shared/repros`;
export { sharedPcap } from './shared-pcaps.js';

export interface CliResult { code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }

/** Runs the real binary to completion. */
export function runCli(args: string[], opts: { stdin?: Buffer | NodeJS.ReadableStream; env?: NodeJS.ProcessEnv; nodeArgs?: string[] } = {}): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...(opts.nodeArgs ?? []), BIN, ...args], { env: opts.env ?? process.env, stdio: ['pipe', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    child.on('error', reject);
    child.on('close', (code, signal) =>
      resolve({ code, signal, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') }),
    );
    const input = opts.stdin;
    if (input === undefined) child.stdin.end();
    else if (Buffer.isBuffer(input)) child.stdin.end(input);
    else input.pipe(child.stdin);
  });
}

/** Why live capture tests cannot run here (not root, or the pcap module not built); undefined when they can. */
export function whyNotLive(): string | undefined {
  if (process.getuid?.() !== 0) return 'live capture needs root';
  if (!existsSync(`${REPO}/node_modules/pcap/build/Release/pcap_binding.node`)) return 'the pcap module is not built (libpcap-dev missing)';
  return undefined;
}

/** Frames in a capture file, read by sipscope's own reader (which throws unless the file is valid). */
export async function countFrames(path: string): Promise<number> {
  const src = openFile(path);
  try {
    return (await src.start({ frame: () => {} })).frames;
  } finally {
    src.stop();
  }
}

export interface Running {
  child: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  exited: Promise<number | null>;
  alive: () => boolean;
}

/** Starts the real binary and leaves it running (a listener, a live capture); killed when the test process ends. */
export function startSipscope(args: string[]): Running {
  const child = spawn(process.execPath, [BIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  process.once('exit', () => child.kill('SIGKILL'));
  let out = '';
  let err = '';
  let alive = true;
  child.stdout!.on('data', (b: Buffer) => (out += b.toString()));
  child.stderr!.on('data', (b: Buffer) => (err += b.toString()));
  const exited = new Promise<number | null>((r) => child.on('close', (code) => { alive = false; r(code); }));
  return { child, stdout: () => out, stderr: () => err, exited, alive: () => alive };
}
