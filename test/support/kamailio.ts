// A real Kamailio for tests: our own config in a temp dir, on loopback, foreground (-DD -E),
// stopped by the test. Tools missing fail in CI (CI=true) and skip with a reason locally.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const MODULES = ['/usr/lib/x86_64-linux-gnu/kamailio/modules', '/usr/lib/kamailio/modules', '/usr/lib64/kamailio/modules'];

/** Why a test needing these tools cannot run here; throws in CI, where the tools must be installed. */
export function missingTools(tools: string[]): string | undefined {
  const missing = tools.filter((t) => spawnSync('sh', ['-c', `command -v ${t}`]).status !== 0);
  if (missing.length === 0) return undefined;
  const why = `needs ${missing.join(', ')} (Debian: kamailio kamailio-sqlite-modules sqlite3 sip-tester tshark)`;
  if (process.env.CI) throw new Error(why);
  return why;
}

export function modulePath(): string {
  const found = MODULES.find((m) => spawnSync('test', ['-f', `${m}/tm.so`]).status === 0);
  if (!found) throw new Error(`no Kamailio modules in ${MODULES.join(', ')}`);
  return found;
}

export interface Kamailio {
  dir: string;
  log: () => string;
  alive: () => boolean;
  stop: () => Promise<void>;
}

/** Starts kamailio with cfg (written to a fresh temp dir, where it also keeps its runtime files). */
export function startKamailio(cfg: (dir: string) => string): Kamailio {
  const dir = mkdtempSync(join(tmpdir(), 'sipscope-kamailio-'));
  writeFileSync(join(dir, 'kamailio.cfg'), cfg(dir));
  const child: ChildProcess = spawn('kamailio', ['-f', join(dir, 'kamailio.cfg'), '-DD', '-E', '-Y', dir, '-w', dir], { stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  child.stdout!.on('data', (b: Buffer) => (log += b.toString()));
  child.stderr!.on('data', (b: Buffer) => (log += b.toString()));
  let alive = true;
  const exited = new Promise<void>((r) => child.once('close', () => { alive = false; r(); }));
  return {
    dir,
    log: () => log,
    alive: () => alive,
    stop: async () => {
      child.kill('SIGTERM');
      await exited;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The head of every config: one UDP listener on loopback, one worker, logs to stderr. */
export function cfgHead(port: number): string {
  return `#!KAMAILIO
debug=2
log_stderror=yes
children=1
disable_tcp=yes
auto_aliases=no
listen=udp:127.0.0.1:${port}
mpath="${modulePath()}/"
`;
}
