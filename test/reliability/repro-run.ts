import { existsSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { runCli, SHARED_REPROS, type CliResult } from '../support/cli.js';

const RSS_REPORT = fileURLToPath(new URL('../support/rss-report.js', import.meta.url));

/** The shared fuzz repros (../shared/repros), or a clear failure in CI when they are missing; undefined means skip. */
export function reproFiles(): string[] | undefined {
  if (!existsSync(SHARED_REPROS)) {
    if (process.env.CI === 'true') throw new Error(`${SHARED_REPROS} is missing: the reliability tests need the shared fuzz repros`);
    return undefined;
  }
  return readdirSync(SHARED_REPROS).filter((f) => f !== 'README.md').sort();
}

export function repro(name: string): string {
  return `${SHARED_REPROS}/${name}`;
}

/** The headless JSON summary line (DESIGN.md's contract). */
export interface Summary {
  type: string;
  dialogs: number;
  frames: number;
  skipped: Record<string, number>;
  skipDetails: Record<string, string[]>;
  warnings?: string[];
}

export interface HeadlessRun extends CliResult {
  /** Peak resident set of the run, KiB. */
  maxRssKib: number;
  /** The JSON Lines of stdout, parsed. */
  lines: Record<string, unknown>[];
  summary: Summary;
}

/** Runs `sipscope -N -I FILE --json …` and parses what it printed. */
export async function headlessJson(file: string, extra: string[] = []): Promise<HeadlessRun> {
  const r = await runCli(['-N', '-I', file, '--json', ...extra], { nodeArgs: ['--import', RSS_REPORT] });
  const rss = /maxrss-kib (\d+)\s*$/.exec(r.stderr);
  const lines = r.stdout.trimEnd().split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as Record<string, unknown>);
  return { ...r, stderr: r.stderr.replace(/\n?maxrss-kib \d+\s*$/, ''), maxRssKib: rss ? Number(rss[1]) : NaN, lines, summary: (lines.at(-1) ?? {}) as unknown as Summary };
}

/** Code points JSON output must never carry raw: C0 (its own newlines aside), DEL and C1. */
export const RAW_CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/;
