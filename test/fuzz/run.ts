// `npm run fuzz -- --packets N --seed S [--repros DIR] [--corpus DIR…]`: a long fuzz campaign over
// the shared captures. Prints the totals; exits 1 when anything crashed, hung or leaked a control character.
import { fileURLToPath } from 'node:url';
import { findCorpus, runCampaign } from './campaign.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const args = process.argv.slice(2);
const value = (name: string, fallback: string): string => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && args[i + 1] !== undefined ? args[i + 1]! : fallback;
};
const corpusDirs = args.flatMap((a, i) => (args[i - 1] === '--corpus' ? [a] : []));
const corpus = findCorpus(corpusDirs.length > 0 ? corpusDirs : [`${ROOT}../shared/pcaps`, `${ROOT}../shared/repros`]);
if (corpus.length === 0) {
  process.stderr.write('fuzz: no captures found (../shared/pcaps, ../shared/repros, or --corpus DIR)\n');
  process.exit(2);
}
const packets = Number(value('packets', '1000000'));
const seed = Number(value('seed', String(Date.now() % 2 ** 31)));
const reproDir = value('repros', `${ROOT}fuzz-repros`);
const log = (line: string): void => {
  process.stdout.write(`${line}\n`);
};
log(`fuzz: seed ${seed}, ${packets} packets, ${corpus.length} captures, repros to ${reproDir}`);
const r = await runCampaign({ packets, seed, corpus, reproDir, log });
const by = (k: string): number => r.failures.filter((f) => f.kind === k).length;
log(`fuzz: done: ${r.mutated} mutated packets (${r.packets} fed in all) in ${r.runs} runs, ${r.seconds.toFixed(1)} s; crashes ${by('crash')}, hangs ${by('hang')}, raw controls ${by('raw-control')}; peak RSS ${Math.round(r.peakRssMb)} MB; ${r.skipReasons.size} distinct skip reasons`);
process.exitCode = r.failures.length > 0 ? 1 : 0;
