import { describeTrainings, pagesSent, type FaxSummary } from '../../media/fax-summary.js';
import type { T38Negotiation } from '../../media/fax-store.js';
import { formatClock } from '../../layout/flow-time.js';
import type { Style, StyledLine } from '../../layout/styled.js';
import { cellWidth, cutCells, fitCells } from '../../layout/text-width.js';

/** What the fax screen shows of one T.38 session. */
export interface FaxView {
  endpoints: readonly [string, string];
  summary: FaxSummary;
  packets: number;
  recovered: number;
  lost: number;
}

const RESULT_STYLE: Record<FaxSummary['result'], Style> = { ok: 'response2xx', failed: 'response4xx', incomplete: 'response1xx' };
/** Commands and answers that make or break a fax stand out in the table. */
const FRAME_STYLE: ReadonlyMap<string, Style> = new Map<string, Style>([
  ['CFR', 'response2xx'], ['MCF', 'response2xx'], ['RTP', 'response2xx'],
  ['FTT', 'response4xx'], ['RTN', 'response4xx'], ['PIN', 'response4xx'], ['CRP', 'response4xx'], ['DCN', 'response3xx'],
]);

const FRAME_WIDTH = 6;

/** "ok", "failed: no CFR after DCS ×2", "incomplete". */
export function faxVerdict(s: FaxSummary): string {
  return s.reason ? `${s.result}: ${s.reason}` : s.result;
}

/**
 * How the switch to T.38 went, from the SIP: offered, accepted (when) or refused (why), and the
 * T.38 endpoints. `captured` is false when no UDPTL was seen: an accepted switch then says so, since
 * a capture filtered to the SIP port is the usual reason and the user can fix it.
 */
export function negotiationLines(n: T38Negotiation, captured: boolean, utcOffsetMinutes = 0): StyledLine[] {
  const field = (name: string, value: string, style: Style = 'default'): StyledLine => [
    { text: name.padEnd(12), style: 'sipHeaderName' }, { text: value, style },
  ];
  const lines = [
    n.refused !== undefined ? field('T.38', n.refused, 'response4xx')
      : n.acceptedAt !== undefined ? field('T.38', `accepted at ${formatClock(n.acceptedAt, utcOffsetMinutes)}`, 'response2xx')
        : field('T.38', 'offered, no answer seen', 'response1xx'),
    field('Endpoints', n.endpoints.length > 0 ? `${n.endpoints.join(', ')} (SDP)` : '-'),
  ];
  if (!captured && n.refused === undefined) {
    lines.push([{ text: 'No UDPTL packet captured on these endpoints (a capture filtered to SIP?)', style: 'dim' }]);
  }
  return lines;
}

/** The summary block and the T.30 table of a session, laid out for `width` cells. */
export function faxLines(v: FaxView, width: number, ascii: boolean, utcOffsetMinutes = 0): StyledLine[] {
  const s = v.summary;
  const arrow = ascii ? '->' : '→';
  const field = (name: string, value: string, style: Style = 'default'): StyledLine => [
    { text: fitCells(name, 12, ascii), style: 'sipHeaderName' }, { text: value, style },
  ];
  const lines: StyledLine[] = [
    field('Session', `${v.endpoints[0]} ${arrow} ${v.endpoints[1]}  (${v.packets} UDPTL packets, ${v.recovered} rebuilt, ${v.lost} lost)`),
    field('Result', faxVerdict(s), RESULT_STYLE[s.result]),
    field('Calling', s.calling || '-'),
    field('Called', s.called || '-'),
    field('Negotiated', s.rate ? `${s.rate} bit/s, ${s.resolution}${s.ecm ? ', ECM' : ', no ECM'}` : '-'),
    field('Training', describeTrainings(s.trainings) || '-'),
    field('Pages', `${pagesSent(s)} sent, ${s.confirmedPages} confirmed`),
  ];
  for (const p of s.pages) {
    lines.push(field('', `page ${p.page}  ${(Number(p.end - p.start) / 1e9).toFixed(1)} s  ${p.answer || 'no answer'}`,
      p.answer === 'MCF' || p.answer === 'RTP' ? 'default' : 'response4xx'));
  }
  lines.push([]);
  const timeWidth = 16;
  const paths = s.steps.map((t) => `${t.from} ${arrow} ${t.to}`);
  const pathWidth = Math.max(12, Math.min(Math.max(0, ...paths.map((p) => cellWidth(p, ascii))), width - timeWidth - FRAME_WIDTH - 12));
  const detailWidth = width - timeWidth - pathWidth - FRAME_WIDTH - 2;
  lines.push([{
    text: fitCells(`${fitCells('Time', timeWidth, ascii)}${fitCells('From → To'.replace('→', arrow), pathWidth + 1, ascii)}${fitCells('Frame', FRAME_WIDTH + 1, ascii)}Detail`, width, ascii),
    style: 'header',
  }]);
  s.steps.forEach((t, i) => {
    // One row per frame: the table is read down its columns, so the detail is cut rather than wrapped.
    lines.push([
      { text: fitCells(formatClock(t.ts, utcOffsetMinutes), timeWidth, ascii), style: 'time' },
      { text: fitCells(paths[i]!, pathWidth + 1, ascii), style: 'address' },
      { text: fitCells(t.frame, FRAME_WIDTH + 1, ascii), style: FRAME_STYLE.get(t.frame) ?? 'request' },
      { text: cutCells(t.detail, detailWidth, ascii), style: 'default' },
    ]);
  });
  if (s.steps.length === 0) lines.push([{ text: 'No T.30 frames decoded.', style: 'dim' }]);
  return lines;
}
