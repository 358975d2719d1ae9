/** What every benchmark gets from the runner. */
export interface BenchContext {
  /** Repository root (absolute); commands run from here. */
  root: string;
  log(line: string): void;
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

/** Left-aligned columns, two spaces apart, for the reports. */
export function formatTable(rows: readonly (readonly string[])[]): string[] {
  const widths: number[] = [];
  for (const row of rows) row.forEach((cell, i) => { widths[i] = Math.max(widths[i] ?? 0, cell.length); });
  return rows.map((row) => row.map((cell, i) => cell.padEnd(widths[i]!)).join('  ').trimEnd());
}
