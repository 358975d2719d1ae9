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
  const store = pipeline.store;
  // Before close(): payload filters read message bytes back from the file.
  const shown = filter ? filterDialogs(store, filter) : undefined;
  pipeline.close();
  const warnings = pipeline.status().warnings;
  for (const w of warnings) err.write(`sipscope: warning: ${w}\n`);
  const count = shown ? shown.length : store.dialogCount();
  if (opts.json) {
    const json = new JsonLines();
    const lines: string[] = [];
    for (let i = 0; i < count; i++) {
      lines.push(json.dialog(store.dialog(shown ? shown[i]! : i)));
      // Written in batches: one string per line would double the peak memory on big captures.
      if (lines.length === 4096) out.write(lines.splice(0).join('\n') + '\n');
    }
    lines.push(json.summary(store.stats(), shown && { expression: filter!.text, matched: count }, warnings));
    out.write(lines.join('\n') + '\n');
  } else if (!opts.quiet) {
    out.write(`Dialog count: ${count}\n`);
  }
  return 0;
}
