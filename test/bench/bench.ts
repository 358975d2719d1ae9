import { loadavg } from 'node:os';

/** One of issue 17's targets as a bench run measured it. */
export interface TargetResult {
  /** Short name, as the final table and the failure message show it. */
  name: string;
  /** The absolute figure measured, e.g. "4.21 s". */
  figure: string;
  /** sngrep's figure on the same work in the same run, '' when sngrep is not installed or has none. */
  sngrep: string;
  /** figure / sngrep's, e.g. "0.27×", '' without sngrep. */
  ratio: string;
  /** What it must be, e.g. "<= 0.15× sngrep" or "<= 20 ms"; '(stated)' for figures without a limit. */
  limit: string;
  /** null for a figure that is only stated. */
  pass: boolean | null;
}

/** What every benchmark gets from the runner. */
export interface BenchContext {
  /** Repository root (absolute); commands run from here. */
  root: string;
  log(line: string): void;
  /** Records a figure for the run's final targets table; a failed one makes the bench exit non-zero. */
  target(result: TargetResult): void;
}

/** A named benchmark step; `npm run bench -- <name>` runs only the named ones. */
export interface Bench {
  name: string;
  description: string;
  /** Prints its own report through ctx.log and resolves to whether every target was met. */
  run(ctx: BenchContext): Promise<boolean>;
}

export function verdict(pass: boolean): string {
  return pass ? 'PASS' : 'FAIL';
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** The nearest-rank quantile q (0..1) of `values`. */
export function quantile(values: readonly number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
}

/** Left-aligned columns, two spaces apart, for the reports. */
export function formatTable(rows: readonly (readonly string[])[]): string[] {
  const widths: number[] = [];
  for (const row of rows) row.forEach((cell, i) => { widths[i] = Math.max(widths[i] ?? 0, cell.length); });
  return rows.map((row) => row.map((cell, i) => cell.padEnd(widths[i]!)).join('  ').trimEnd());
}

/** "load 3.12 2.80 2.41": the machine is shared, so every figure is printed beside it. */
export function loadAverage(): string {
  return `load ${loadavg().map((l) => l.toFixed(2)).join(' ')}`;
}

export const seconds = (ms: number): string => `${(ms / 1000).toFixed(2)} s`;
export const millis = (ms: number): string => `${ms.toFixed(1)} ms`;
export const mib = (kib: number): string => `${(kib / 1024).toFixed(1)} MiB`;

/** "0.27×", or '' when there is nothing to compare with. */
export function ratio(ours: number, theirs: number | undefined): string {
  return theirs === undefined || theirs <= 0 ? '' : `${(ours / theirs).toFixed(2)}×`;
}

/** The final table: every target of the run, with sngrep's figure and the ratio beside ours. */
export function targetsTable(results: readonly TargetResult[]): string[] {
  return formatTable([
    ['target', 'sipscope', 'sngrep', 'ratio', 'limit', 'result'],
    ...results.map((r) => [r.name, r.figure, r.sngrep || '-', r.ratio || '-', r.limit, r.pass === null ? 'stated' : verdict(r.pass)]),
  ]);
}

/** One line per missed target, naming it: what the bench prints last when it fails. */
export function missedTargets(results: readonly TargetResult[]): string[] {
  return results.filter((r) => r.pass === false).map((r) => `missed: ${r.name}: ${r.figure}${r.ratio ? ` (${r.ratio} sngrep's ${r.sngrep})` : ''}, limit ${r.limit}`);
}
