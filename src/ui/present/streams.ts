import type { RtpStreamInfo, StreamTimeline } from '../../model/media.js';
import { addressText } from '../../layout/flow-message.js';
import { formatClock } from '../../layout/flow-time.js';
import type { Style, StyledLine } from '../../layout/styled.js';
import { cellWidth, fitCells, wrapWords } from '../../layout/text-width.js';

/** Orders of the streams table, in the order the sort keys cycle through them. */
export const STREAM_SORTS = ['start', 'loss', 'jitter', 'mos'] as const;
export type StreamSort = (typeof STREAM_SORTS)[number];

/** Worst first: most loss, most jitter, lowest MOS (unrated last); else by first packet. */
export function sortStreams(streams: readonly RtpStreamInfo[], by: StreamSort, reverse = false): RtpStreamInfo[] {
  const key = (s: RtpStreamInfo): number =>
    by === 'loss' ? -s.lossPct : by === 'jitter' ? -s.maxJitterMs : by === 'mos' ? (s.mos ?? Infinity) : Number(s.start / 1000n);
  const out = [...streams].sort((a, b) => key(a) - key(b) || a.id - b.id);
  return reverse ? out.reverse() : out;
}

const BLOCKS = '▁▂▃▄▅▆▇█';
const ASCII_LEVELS = '_.-=*#';

/** One cell per value, scaled to `max` (0 stays the lowest block). */
export function sparkline(values: ArrayLike<number>, max: number, ascii: boolean): string {
  const levels = ascii ? ASCII_LEVELS : BLOCKS;
  let out = '';
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    out += levels[max <= 0 || v <= 0 ? 0 : Math.min(levels.length - 1, Math.ceil((v / max) * (levels.length - 1)))];
  }
  return out;
}

/** Good, poor and bad MOS colours (ITU-T G.107 Annex B user satisfaction: ≥ 4 satisfied, < 3.6 many dissatisfied). */
function mosStyle(mos: number | null): Style {
  if (mos === null) return 'dim';
  return mos >= 4 ? 'response2xx' : mos >= 3.6 ? 'response1xx' : 'response4xx';
}

function lossStyle(pct: number): Style {
  return pct <= 0 ? 'default' : pct < 2 ? 'response1xx' : 'response4xx';
}

/** Cells of a detail's name (Jitter/time and its gap). */
const FIELD_WIDTH = 12;

const COLS: { title: string; width: number }[] = [
  { title: 'Codec', width: 8 }, { title: 'Pkts', width: 7 }, { title: 'Lost', width: 6 }, { title: 'Loss', width: 7 },
  { title: 'MaxDlt', width: 8 }, { title: 'Jit', width: 7 }, { title: 'MaxJit', width: 7 }, { title: 'MOS', width: 5 },
];

function num(v: number, digits: number): string {
  return v.toFixed(digits);
}

/**
 * `v` in at most `cells` characters, so a column keeps the space before the next one: fewer decimals
 * first (a 2730.47 ms jitter reads 2730.5, then 2730), then thousands or millions (1.2M packets).
 */
export function fitNumber(v: number, digits: number, cells: number): string {
  for (let d = digits; d >= 0; d--) {
    const text = v.toFixed(d);
    if (text.length <= cells) return text;
  }
  for (const [unit, scale] of [['k', 1e3], ['M', 1e6], ['G', 1e9]] as const) {
    for (let d = 1; d >= 0; d--) {
      const text = `${(v / scale).toFixed(d)}${unit}`;
      if (text.length <= cells) return text;
    }
  }
  return v.toExponential(0);
}

/**
 * The streams table (one row per stream, sorted) and, below, each stream's details with sparklines
 * of its jitter and loss over time. `timelines` goes by stream id.
 */
export function streamLines(
  streams: readonly RtpStreamInfo[], timelines: ReadonlyMap<number, StreamTimeline>, by: StreamSort, reverse: boolean,
  width: number, ascii: boolean, utcOffsetMinutes = 0,
): StyledLine[] {
  if (streams.length === 0) return [[{ text: 'No RTP stream in these dialogs.', style: 'dim' }]];
  const arrow = ascii ? '->' : '→';
  const sorted = sortStreams(streams, by, reverse);
  const figures = COLS.reduce((n, c) => n + c.width, 0);
  const paths = sorted.map((s) => `${addressText(s.src, s.sport)} ${arrow} ${addressText(s.dst, s.dport)}`);
  const longest = Math.max(...paths.map((p) => cellWidth(p, ascii))) + 1;
  // Too narrow for the addresses beside the figures: each stream takes two lines, addresses first.
  const narrow = longest > width - figures;
  const pathWidth = narrow ? 2 : longest;
  const header = fitCells(narrow ? '' : 'Stream', pathWidth, ascii) + COLS.map((c) => fitCells(c.title.padStart(c.width - 1), c.width, ascii)).join('');
  const lines: StyledLine[] = [[{ text: fitCells(header, width, ascii), style: 'header' }]];
  sorted.forEach((s, i) => {
    const fit = (k: number, v: number, digits: number): string => fitNumber(v, digits, COLS[k]!.width - 1);
    const cells: [string, Style][] = [
      [s.codec || String(s.payloadType), 'default'], [fit(1, s.packets, 0), 'default'], [fit(2, s.lost, 0), lossStyle(s.lossPct)],
      [`${fitNumber(s.lossPct, 1, COLS[3]!.width - 2)}%`, lossStyle(s.lossPct)], [fit(4, s.maxDeltaMs, 1), 'default'], [fit(5, s.meanJitterMs, 2), 'default'],
      [fit(6, s.maxJitterMs, 2), 'default'], [s.mos === null ? '-' : num(s.mos, 2), mosStyle(s.mos)],
    ];
    const figureCells = cells.map(([text, style], k) => ({ text: fitCells(k === 0 ? text : text.padStart(COLS[k]!.width - 1), COLS[k]!.width, ascii), style }));
    if (narrow) lines.push([{ text: fitCells(paths[i]!, width, ascii), style: 'address' }]);
    lines.push([{ text: fitCells(narrow ? '' : paths[i]!, pathWidth, ascii), style: 'address' }, ...figureCells]);
  });
  // A detail wraps under its value, so nothing is cut on an 80-column terminal.
  const field = (name: string, value: string, style: Style = 'default'): StyledLine[] => wrapWords(value, width - FIELD_WIDTH, ascii).map((part, k) => [
    { text: fitCells(k === 0 ? name : '', FIELD_WIDTH, ascii), style: 'sipHeaderName' }, { text: part, style },
  ]);
  for (const [i, s] of sorted.entries()) {
    lines.push([]);
    lines.push([{ text: fitCells(`${paths[i]!}  SSRC 0x${s.ssrc.toString(16).toUpperCase().padStart(8, '0')}`, width, ascii), style: 'address' }]);
    const origin = s.origin === 'sdp' ? 'SDP' : s.origin === 'nat' ? 'SDP, sender not announced (NAT)' : 'not announced by SDP';
    lines.push(...field('Media', `${s.media || 'audio?'}${s.srtp ? ' SRTP' : ''}, ${origin}; ${s.codecs.join(', ')}`));
    lines.push(...field('Time', `${formatClock(s.start, utcOffsetMinutes)} - ${formatClock(s.end, utcOffsetMinutes)}`));
    lines.push(...field('Sequence', `${s.packets} of ${s.expected} expected, ${s.lost} lost (${num(s.lossPct, 2)}%), ${s.seqErrors} seq errors, ${s.duplicates} dup, ${s.wrongTimestamps} wrong ts, ${s.markers} markers`, lossStyle(s.lossPct)));
    lines.push(...field('Jitter', `mean ${num(s.meanJitterMs, 3)} ms, max ${num(s.maxJitterMs, 3)} ms; max delta ${num(s.maxDeltaMs, 3)} ms; ${s.jitterDiscards} late for a 50 ms buffer`));
    lines.push(...field('MOS', s.mos === null ? 'not rated (codec)' : `${num(s.mos, 2)} (G.107 E-model)`, mosStyle(s.mos)));
    const r = s.rtcp;
    if (r.senderReports + r.receiverReports > 0 || r.xr) {
      const parts = [`${r.senderReports} SR, ${r.receiverReports} RR`];
      if (r.fractionLostPct !== null) parts.push(`reported loss ${r.fractionLostPct}% (${r.cumulativeLost} total)`);
      if (r.jitterMs !== null) parts.push(`jitter ${r.jitterMs} ms`);
      if (r.rttMs !== null) parts.push(`RTT ${r.rttMs} ms`);
      if (r.xr) parts.push(`XR R ${r.xr.rFactor ?? '-'} MOS-LQ ${r.xr.mosLq ?? '-'}`);
      lines.push(...field('RTCP', parts.join(', ')));
    }
    if (s.dtmf.length > 0) lines.push(...field('DTMF', s.dtmf.map((e) => `${e.digit} (${Math.round(e.durationMs)} ms)`).join(' ')));
    const t = timelines.get(s.id);
    if (t && t.count > 0) {
      const maxJitter = Math.max(0, ...t.jitterMs);
      const maxLoss = Math.max(0, ...t.lossPct);
      const per = t.sliceMs >= 1000 ? `${t.sliceMs / 1000} s` : `${t.sliceMs} ms`;
      lines.push(...field('Jitter/time', `${sparkline(t.jitterMs, maxJitter, ascii)}  max ${num(maxJitter, 1)} ms, ${per} a cell`));
      lines.push(...field('Loss/time', `${sparkline(t.lossPct, maxLoss, ascii)}  max ${num(maxLoss, 1)}%`, lossStyle(maxLoss)));
    }
  }
  return lines;
}
