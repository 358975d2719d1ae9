// `npm run bench` runs every benchmark; `npm run bench -- load` only the named ones. Exits 1 when a target is missed.
import { fileURLToPath } from 'node:url';
import { loadAverage, missedTargets, targetsTable, type Bench, type BenchContext, type TargetResult } from './bench.js';
import { loadBench } from './benches/load.js';
import { rtpBench } from './benches/rtp.js';
import { keysBench } from '../ui/bench-keys.js';
import { filterBench } from '../store/filter-bench.js';
import { tlsBench } from './benches/tls.js';
import { hepBench } from './benches/hep.js';
import { hugeBench, screenBench } from './benches/tui.js';
import { liveBench } from './benches/live.js';
import { reprosBench, soakBench } from './benches/soak.js';

/** Every benchmark, in the order `npm run bench` runs them. Add new ones here. */
const benches: Bench[] = [loadBench, screenBench, rtpBench, keysBench, hugeBench, filterBench, tlsBench, reprosBench, soakBench, hepBench, liveBench];

const targets: TargetResult[] = [];
const ctx: BenchContext = {
  root: fileURLToPath(new URL('../../../', import.meta.url)),
  log: (line) => process.stdout.write(`${line}\n`),
  target: (result) => { targets.push(result); },
};

const names = process.argv.slice(2);
const unknown = names.filter((name) => !benches.some((b) => b.name === name));
if (unknown.length) {
  process.stderr.write(`bench: unknown benchmark ${unknown.join(', ')}; known:\n`);
  for (const b of benches) process.stderr.write(`  ${b.name.padEnd(10)} ${b.description}\n`);
  process.exit(2);
}

const failed: string[] = [];
for (const bench of benches.filter((b) => names.length === 0 || names.includes(b.name))) {
  ctx.log(`== ${bench.name}: ${bench.description}   (${loadAverage()})`);
  try {
    if (!(await bench.run(ctx))) failed.push(bench.name);
  } catch (e) {
    // A bench that cannot finish (a screen that never came, a tool that died) fails by name; the others still run.
    ctx.log(`${bench.name} could not finish: ${e instanceof Error ? e.message : String(e)}`);
    failed.push(bench.name);
  }
  ctx.log('');
}

// The machine is shared (2 cores): the load average says how much of it the figures had.
if (targets.length) {
  ctx.log(`== targets (issue 17)   (${loadAverage()})`);
  for (const line of targetsTable(targets)) ctx.log(`  ${line}`);
}
for (const line of missedTargets(targets)) process.stderr.write(`bench: ${line}\n`);
if (failed.length) {
  process.stderr.write(`bench: failed: ${failed.join(', ')}\n`);
  process.exitCode = 1;
}
