// Issue 16's soak and repro budgets: 1M mutated packets through the headless path with a fixed
// seed (0 crashes, 0 hangs, peak RSS stated), and every shared repro headless in < 15 s and < 600 MB.
import { fileURLToPath } from 'node:url';
import { findCorpus, runCampaign } from '../../fuzz/campaign.js';
import { headlessJson, repro, reproFiles } from '../../reliability/repro-run.js';
import { formatTable, verdict, type Bench, type BenchContext } from '../bench.js';

const SHARED = fileURLToPath(new URL('../../../../../shared/', import.meta.url));
const SOAK_PACKETS = 1_000_000;
const SOAK_SEED = 1616;
const MAX_RSS_MB = 600;
const MAX_REPRO_S = 15;

async function soak(ctx: BenchContext): Promise<boolean> {
  const corpus = findCorpus([`${SHARED}pcaps`, `${SHARED}repros`]);
  ctx.log(`${SOAK_PACKETS} mutated packets, seed ${SOAK_SEED}, ${corpus.length} captures; a run over 20 s is a hang`);
  const r = await runCampaign({ packets: SOAK_PACKETS, seed: SOAK_SEED, corpus, log: (l) => ctx.log(`  ${l}`) });
  const crashes = r.failures.filter((f) => f.kind === 'crash').length;
  const hangs = r.failures.filter((f) => f.kind === 'hang').length;
  const raw = r.failures.filter((f) => f.kind === 'raw-control').length;
  const pass = r.failures.length === 0 && r.peakRssMb < MAX_RSS_MB;
  ctx.log(`${r.mutated} mutated packets (${r.packets} fed), ${r.runs} runs, ${r.seconds.toFixed(1)} s: crashes ${crashes}, hangs ${hangs}, raw controls ${raw}, peak RSS ${Math.round(r.peakRssMb)} MB (target < ${MAX_RSS_MB}) ${verdict(pass)}`);
  return pass;
}

async function repros(ctx: BenchContext): Promise<boolean> {
  const files = reproFiles();
  if (files === undefined) {
    ctx.log('no ../shared/repros here: skipped');
    return true;
  }
  const rows: string[][] = [['file', 'seconds', 'peak RSS MB', 'verdict']];
  let all = true;
  for (const name of files) {
    const t0 = performance.now();
    const r = await headlessJson(repro(name));
    const s = (performance.now() - t0) / 1000;
    const mb = r.maxRssKib / 1024;
    const pass = r.code === 0 && s < MAX_REPRO_S && mb < MAX_RSS_MB;
    all &&= pass;
    rows.push([name, s.toFixed(2), mb.toFixed(0), verdict(pass)]);
  }
  for (const line of formatTable(rows)) ctx.log(line);
  return all;
}

export const soakBench: Bench = {
  name: 'soak',
  description: '1M mutated packets headless (fuzz campaign, fixed seed): 0 crashes/hangs, peak RSS < 600 MB',
  run: soak,
};

export const reprosBench: Bench = {
  name: 'repros',
  description: 'every ../shared/repros file headless in < 15 s and < 600 MB',
  run: repros,
};
