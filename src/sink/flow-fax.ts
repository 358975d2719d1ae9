import type { FaxSession } from '../media/fax-session.js';
import { summarizeFax } from '../media/fax-summary.js';
import type { DialogId, MessageId } from '../model/ids.js';
import type { FlowMessage } from '../layout/flow-message.js';

export interface FaxFlowOptions {
  /** T.38 indicators (CED, V.21 preamble, training) as rows too; no-signal never is. */
  indicators: boolean;
}

/**
 * A dialog's fax as ladder rows between the fax endpoints: each T.30 frame (`DCS 14400 fine ECM …`,
 * `MCF page 2`), one row per page with its duration, and on request the T.38 indicators.
 * `anchor` is the dialog's first message (rows are not messages; see FlowMessage.synthetic).
 */
export function faxFlowMessages(sessions: readonly FaxSession[], dialog: DialogId, anchor: MessageId, opts: FaxFlowOptions): FlowMessage[] {
  const out: FlowMessage[] = [];
  const row = (ts: bigint, src: string, dst: string, label: string): FlowMessage => ({
    id: anchor, ts, src, dst, label, request: true, status: 0, cseq: 0, hasSdp: false, retrans: false, dialog, synthetic: { kind: 'fax', key: `fax|${ts}|${label}` },
  });
  for (const session of sessions) {
    const events = session.events();
    const summary = summarizeFax(events);
    for (const t of summary.steps) out.push(row(t.ts, t.from, t.to, t.brief ? `${t.frame} ${t.brief}` : t.frame));
    for (const p of summary.pages) {
      const data = events.find((e) => e.kind === 'data' && e.ts === p.start);
      if (!data) continue;
      out.push(row(p.start, data.from, data.to, `page ${p.page} (${(Number(p.end - p.start) / 1e9).toFixed(1)} s)`));
    }
    if (opts.indicators) {
      for (const e of events) if (e.kind === 'indicator' && e.indicator !== 'no-signal') out.push(row(e.ts, e.from, e.to, e.indicator));
    }
  }
  return out.sort((a, b) => (a.ts < b.ts ? -1 : a.ts > b.ts ? 1 : 0));
}
