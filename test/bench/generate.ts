import { parseArgs } from 'node:util';
import { BENCH_CAPTURE, BENCH_DIALOGS, writeCapture } from './bench-capture.js';

/**
 * Regenerates a benchmark capture: `node dist/test/bench/generate.js [--calls N] [--out FILE] [--seed S]`.
 * Small ones are handy for checking the generator against tshark.
 */
const { values } = parseArgs({
  options: {
    calls: { type: 'string', default: String(BENCH_DIALOGS) },
    out: { type: 'string', default: BENCH_CAPTURE },
    seed: { type: 'string' },
  },
});
const dialogs = Number(values.calls);
if (!Number.isInteger(dialogs) || dialogs < 1) {
  process.stderr.write(`generate: --calls wants a positive integer, got "${values.calls}"\n`);
  process.exit(2);
}
const meta = writeCapture(values.out, { dialogs, seed: values.seed === undefined ? undefined : Number(values.seed) }, (line) => {
  process.stdout.write(`${line}\n`);
});
process.stdout.write(`${JSON.stringify(meta)}\n`);
