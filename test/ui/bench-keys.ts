import { performance } from 'node:perf_hooks';
import { formatTable, verdict, type Bench } from '../bench/bench.js';
import { realStore } from '../bench/real-store.js';
import { fakeTui, KEYS, type FakeTui } from './fake-terminal.js';

export interface KeyFrameResult {
  key: string;
  medianMs: number;
  p95Ms: number;
  samples: number;
}

/** Milliseconds from writing `keys` to the terminal input until the frame they cause is written out. */
function timeKey(t: FakeTui, keys: string): Promise<number> {
  return new Promise((resolve) => {
    const t0 = performance.now();
    t.output.onWrite = () => {
      t.output.onWrite = undefined;
      resolve(performance.now() - t0);
    };
    t.input.write(keys);
  });
}

/** Writes each key of `keys` in turn, waiting for its frame (untimed). */
async function press(t: FakeTui, keys: readonly string[]): Promise<void> {
  for (const k of keys) await timeKey(t, k);
}

/**
 * Runs `setup` before and `undo` after each timed key (neither timed) so every sample changes the
 * screen: the filter prompt is opened and typed into, the sort and the filter are put back.
 */
async function sample(t: FakeTui, key: string, undo: readonly string[], n: number, setup: readonly string[] = []): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    await press(t, setup);
    out.push(await timeKey(t, key));
    await press(t, undo);
  }
  return out;
}

/** The keys1m bench's filter, typed into the expression prompt (`:`); the prompt keeps it, so undo empties it (^U). */
const FILTER = 'method REGISTER';

function summary(key: string, ms: number[]): KeyFrameResult {
  const sorted = [...ms].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
  return { key, medianMs: at(0.5), p95Ms: at(0.95), samples: ms.length };
}

/**
 * Key → frame latency with `dialogs` dialogs (default one million) in a real Store, read through
 * its query window, on a 160×40 terminal: Down, PgDn, End, Enter into a call flow, sort by the
 * next column (>) and a filter expression (Enter in the prompt).
 * Target: median ≤ 20 ms.
 */
export async function benchKeyToFrame(dialogs = 1_000_000, samples = 40): Promise<KeyFrameResult[]> {
  const t = fakeTui(realStore(dialogs), 160, 40);
  try {
    return [
      summary('Down', await sample(t, KEYS.down, [], samples)),
      summary('PgDn', await sample(t, KEYS.pageDown, [], samples)),
      summary('End', await sample(t, KEYS.end, [KEYS.home], samples)),
      summary('Enter→flow', await sample(t, KEYS.enter, ['q'], samples)),
      summary('sort >', await sample(t, '>', ['<'], samples)),
      summary('filter', await sample(t, KEYS.enter, [':', '\x15', KEYS.enter], samples, [':', ...FILTER])),
    ];
  } finally {
    await t.session.close();
  }
}

export const KEY_FRAME_TARGET_MS = 20;

/** For `npm run bench`: add to the runner's list (test/bench/run.ts). */
export const keysBench: Bench = {
  name: 'keys',
  description: `key → frame with 1,000,000 dialogs in a real Store (target median ≤ ${KEY_FRAME_TARGET_MS} ms)`,
  async run(ctx) {
    const results = await benchKeyToFrame();
    const rows = results.map((r) => [r.key, `median ${r.medianMs.toFixed(2)} ms`, `p95 ${r.p95Ms.toFixed(2)} ms`, verdict(r.medianMs <= KEY_FRAME_TARGET_MS)]);
    for (const line of formatTable(rows)) ctx.log(line);
    return results.every((r) => r.medianMs <= KEY_FRAME_TARGET_MS);
  },
};

// `node dist/test/ui/bench-keys.js [dialogs]` prints the table.
if (import.meta.url === `file://${process.argv[1]}`) {
  const results = await benchKeyToFrame(Number(process.argv[2] ?? 1_000_000));
  for (const r of results) console.log(`${r.key.padEnd(11)} median ${r.medianMs.toFixed(2)} ms  p95 ${r.p95Ms.toFixed(2)} ms  (${r.samples} samples)`);
}
