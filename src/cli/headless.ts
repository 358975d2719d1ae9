import { JsonLines } from '../sink/json.js';
import { filterDialogs, type DialogFilter } from '../store/filter.js';
import type { Options } from './options.js';
import type { Pipeline } from './pipeline.js';

/** -N: read everything (until the source ends or a signal stops it), then print the result. */
export async function runHeadless(
  pipeline: Pipeline,
  opts: Options,
  filter: DialogFilter | undefined,
  out: NodeJS.WritableStream,
  err: NodeJS.WritableStream,
): Promise<number> {
  await pipeline.run();
  pipeline.close();
  for (const w of pipeline.status().warnings) err.write(`sipscope: warning: ${w}\n`);
  const store = pipeline.store;
  const shown = filter ? filterDialogs(store, filter) : undefined;
  const count = shown ? shown.length : store.dialogCount();
  if (opts.json) {
    const json = new JsonLines();
    const lines: string[] = [];
    const flush = (): void => {
      // Written in batches: one string per line would double the peak memory on big captures.
      if (lines.length >= 4096) out.write(lines.splice(0).join('\n') + '\n');
    };
    for (let i = 0; i < count; i++) {
      lines.push(json.dialog(store.dialog(shown ? shown[i]! : i)));
      flush();
    }
    for (let i = 0; i < count; i++) {
      const p = shown ? shown[i]! : i;
      if (store.streamCount(p) === 0) continue;
      const callId = store.dialog(p).callId;
      for (const s of store.streams(p)) lines.push(json.stream(callId, s));
      flush();
    }
    lines.push(json.summary(store.stats(), shown && { expression: filter!.text, matched: count }));
    out.write(lines.join('\n') + '\n');
  } else if (!opts.quiet) {
    out.write(`Dialog count: ${count}\n`);
  }
  return 0;
}
