import { JsonLines } from '../sink/json.js';
import { reportText } from '../sink/report.js';
import { triage } from '../diagnose/triage.js';
import type { DialogId } from '../model/ids.js';
import type { DialogFilter } from '../store/filter.js';
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
  // Rules read message bytes from the file: before close.
  pipeline.diagnosis.finish();
  const store = pipeline.store;
  // Before close(): payload filters read message bytes back from the file.
  const shown = store.query({ filter });
  const count = shown.count;
  pipeline.close();
  const warnings = pipeline.status().warnings;
  for (const w of warnings) err.write(`sipscope: warning: ${w}\n`);
  if (opts.json) {
    const json = new JsonLines();
    const lines: string[] = [];
    const BATCH = 4096;
    for (let row = 0; row < count; row += BATCH) {
      for (const d of shown.rows(row, BATCH)) lines.push(json.dialog(d, store.findings(d.id)));
      // Written in batches: one string per line would double the peak memory on big captures.
      out.write(lines.splice(0).join('\n') + '\n');
    }
    for (let row = 0; row < count; row += BATCH) {
      for (const d of shown.rows(row, BATCH)) {
        if (store.streamCount(d.id) === 0) continue;
        for (const s of store.streams(d.id)) lines.push(json.stream(d.callId, s));
      }
      if (lines.length > 0) out.write(lines.splice(0).join('\n') + '\n');
    }
    for (const id of pipeline.fax.dialogs()) {
      const dialog = store.dialog(id);
      if (!dialog || shown.rowOf(id) < 0) continue;
      for (const session of pipeline.fax.sessions(id)) lines.push(json.fax(dialog.callId, session));
    }
    const status = pipeline.status();
    const live = status.received !== undefined ? { received: status.received, dropped: status.dropped ?? 0 } : undefined;
    lines.push(json.summary(store.stats(), filter && { expression: filter.text, matched: count }, live, warnings));
    out.write(lines.join('\n') + '\n');
  } else if (opts.report) {
    const ids = function* (): Generator<DialogId> {
      for (let row = 0; row < count; row++) yield shown.idAt(row);
    };
    const diagnosis = pipeline.diagnosis;
    out.write(reportText(triage(ids(), { findings: (id) => store.findings(id), responseCodes: (id) => diagnosis.responseCodes(id) })));
  } else if (!opts.quiet) {
    out.write(`Dialog count: ${count}\n`);
  }
  return 0;
}
