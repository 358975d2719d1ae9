import type { DialogId } from '../model/ids.js';
import type { Dialog } from '../model/sip.js';
import { flowDoc } from '../sink/flow-doc.js';
import { rowsFor } from '../sink/flow-synthetic.js';
import { writeFlowFile } from '../sink/flow-formats.js';
import { columnById } from '../layout/call-columns.js';
import { Anonymizer, anonymizeDialog } from '../sink/anonymize.js';
import { callListCsv } from '../sink/csv.js';
import { JsonLines } from '../sink/json.js';
import { JsonBytes } from '../sink/json-bytes.js';
import { saveDialogs } from '../sink/save-dialogs.js';
import { writeTextFile } from '../sink/text-file.js';
import { reportText } from '../sink/report.js';
import { triage } from '../diagnose/triage.js';
import type { DialogFilter } from '../store/filter.js';
import type { Options } from './options.js';
import type { Pipeline } from './pipeline.js';

/**
 * Writes one batch and waits until the stream is done with it: a pipe's stdout is asynchronous, and
 * without the wait the whole output would queue in memory at once (~90 MB on big100k); a Buffer
 * may then be written over with the next batch. A failed write never resolves: the stream's 'error'
 * event ends the run (main.ts: quietly on EPIPE).
 */
function write(out: NodeJS.WritableStream, chunk: string | Buffer): Promise<void> {
  return new Promise((resolve) => out.write(chunk, (err) => {
    if (!err) resolve();
  }));
}

/** Room for one batch of dialog lines (big100k's take ~1.7 MB): a larger one only grows the buffer. */
const BATCH_BYTES = 2 << 20;

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
  // One stand-in table for every export of this run, so they agree with each other.
  const anon = opts.anonymize ? new Anonymizer() : undefined;
  const shownDialog = (d: Dialog): Dialog => (anon === undefined ? d : anonymizeDialog(d, anon));
  // A finding's text may name an address or a number.
  const shownFindings = (d: Dialog) => (anon === undefined ? store.findings(d.id) : store.findings(d.id).map((f) => ({ ...f, text: anon.text(f.text) })));
  const shownLogs = (d: Dialog) => (anon === undefined ? pipeline.logs.of(d.callId) : pipeline.logs.of(d.callId).map((l) => ({ ...l, node: anon.text(l.node), text: anon.text(l.text) })));
  // Exports read message bytes too, so they are written before close().
  if (opts.flow !== '') writeFlow(pipeline, shown.rows(0, count).map((d) => d.id), opts, anon);
  if (opts.text !== '') writeText(pipeline, filter, opts.text, anon);
  if (opts.csv !== '') {
    const sorted = store.query({ filter, sort: opts.listSort });
    const columns = opts.listColumns.map(columnById);
    writeTextFile(opts.csv, (chunk) => callListCsv(columns, store, sorted.count, (from, n) => sorted.rows(from, n).map(shownDialog), chunk));
  }
  const messageLines = opts.jsonMessages ? jsonMessages(pipeline, shown.rows(0, count).map((d) => d.id), anon) : [];
  pipeline.close();
  const warnings = pipeline.status().warnings;
  for (const w of warnings) err.write(`sipscope: warning: ${w}\n`);
  if (opts.jsonMessages) {
    for (let k = 0; k < messageLines.length; k += 4096) await write(out, messageLines.slice(k, k + 4096).join('\n') + '\n');
  } else if (opts.json) {
    const json = new JsonLines();
    const lines: string[] = [];
    const BATCH = 4096;
    // Dialog lines go straight into one Buffer, a batch at a time (a string per line would double the peak memory on
    // big captures), written out before the next batch is written over it.
    const bytes = new JsonBytes(BATCH_BYTES);
    for (let row = 0; row < count; row += BATCH) {
      for (const d of shown.rows(row, BATCH)) {
        json.dialogInto(bytes, shownDialog(d), shownFindings(d), shownLogs(d));
        bytes.raw('\n');
      }
      await write(out, bytes.view());
      bytes.clear();
    }
    for (let row = 0; row < count; row += BATCH) {
      for (const d of shown.rows(row, BATCH)) {
        if (store.streamCount(d.id) === 0) continue;
        for (const s of store.streams(d.id)) {
          lines.push(anon === undefined ? json.stream(d.callId, s) : json.stream(anon.text(d.callId), { ...s, src: anon.ip(s.src), dst: anon.ip(s.dst) }));
        }
      }
      if (lines.length > 0) await write(out, lines.splice(0).join('\n') + '\n');
    }
    for (const id of pipeline.fax.dialogs()) {
      const dialog = store.dialog(id);
      if (!dialog || shown.rowOf(id) < 0) continue;
      for (const session of pipeline.fax.sessions(id)) lines.push(json.fax(dialog.callId, session, anon));
    }
    const status = pipeline.status();
    const live = status.received !== undefined ? { received: status.received, dropped: status.dropped ?? 0 } : undefined;
    lines.push(json.summary(store.stats(), filter && { expression: filter.text, matched: count }, live, warnings));
    await write(out, lines.join('\n') + '\n');
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

/** -T FILE: the dialogs that pass the filter as sngrep's text, in message time order (-N at the end, the TUI when it quits). */
export function writeText(pipeline: Pipeline, filter: DialogFilter | undefined, path: string, anon: Anonymizer | undefined): void {
  const shown = pipeline.store.query({ filter });
  saveDialogs(pipeline.store, shown.rows(0, shown.count).map((d) => d.id), path, 'txt', { anonymize: anon });
}

/** --flow OUT: the merged ladder of the matching dialogs, with the fax, HEP log, RTP and DTMF rows the TUI shows (cf.media, cf.sdpinfo). */
function writeFlow(pipeline: Pipeline, ids: readonly DialogId[], opts: Options, anon: Anonymizer | undefined): void {
  const { store } = pipeline;
  const sources = {
    fax: pipeline.fax, streams: (id: DialogId) => store.streams(id), infoDtmf: (id: DialogId) => store.infoDtmf(id),
    // Raw: flowDoc anonymises the rows it builds from them.
    logs: (id: DialogId) => pipeline.logs.of(store.dialog(id)?.callId ?? ''),
  };
  writeFlowFile(opts.flow, flowDoc(store, ids, { sources, rows: rowsFor(opts.flowView.media), sdpMode: opts.flowView.sdp, anon }));
}

/** --json messages: the SIP messages of the matching dialogs, in arrival order, one JSON line each. */
function jsonMessages(pipeline: Pipeline, ids: readonly DialogId[], anon: Anonymizer | undefined): string[] {
  const { store } = pipeline;
  const json = new JsonLines();
  const callIds = new Map<number, string>();
  const messages = ids.flatMap((id) => {
    const d = store.dialog(id);
    if (d === undefined) return [];
    callIds.set(id, anon === undefined ? d.callId : anon.text(d.callId));
    return d.messages;
  }).sort((a, b) => a - b);
  return messages.map((id) => {
    const view = store.messageView(id);
    const bytes = anon === undefined ? store.messageBytes(id) : anon.message(store.messageBytes(id));
    const end = bytes.indexOf('\r\n\r\n');
    const body = end < 0 ? '' : bytes.subarray(end + 4).toString('utf8');
    const shownView = anon === undefined ? view : {
      ...view,
      message: { ...view.message, src: anon.ip(view.message.src), dst: anon.ip(view.message.dst), node: view.message.node && anon.text(view.message.node) },
      start: { ...view.start, text: anon.text(view.start.text) },
      // With its name, so a bare display name ("From: Ivan <sip:…>") is recognised as one.
      headers: view.headers.map((h) => ({ ...h, value: anon.text(`${h.name}: ${h.value}`).slice(h.name.length + 2) })),
    };
    return json.message(callIds.get(view.message.dialog) ?? '', shownView, body);
  });
}
