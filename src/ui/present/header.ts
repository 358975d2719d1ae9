import type { CaptureStatus } from '../../model/status.js';
import type { StyledLine } from '../../layout/styled.js';

function thousands(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}

/** "Loading 45% 12,345 pkt/s" while a file loads; '' once it is read (or for live captures). */
export function progressText(s: CaptureStatus): string {
  if (s.done || s.mode === 'Online') return '';
  const pct = s.bytesTotal > 0 ? `${Math.floor((100 * s.bytesRead) / s.bytesTotal)}% ` : '';
  return `Loading ${pct}${thousands(s.framesPerSecond)} pkt/s`;
}

/** What the call list tells its header. */
export interface ListHeaderView {
  shown: number;
  total: number;
  selected: number;
  /** The active filter expression ('' for none). */
  filter: string;
  /** The display filter typed after F3 ('' for none). */
  display: string;
  /** Some dialogs are hidden (a filter, or F9 kept only the matching ones). */
  filtered: boolean;
  search: string;
  /** The last search found nothing. */
  notFound: boolean;
  paused: boolean;
  /** The cursor follows the newest dialog (A, sngrep's autoscroll). */
  autoscroll?: boolean;
  /** Addresses show as aliases (a): how many the rc file names; undefined while they show as they are. */
  aliases?: number;
}

/** The two status lines above the call list, as sngrep's: mode, counts, input; then the match, BPF, filter and search. */
export function callListHeader(s: CaptureStatus, v: ListHeaderView): StyledLine[] {
  const { shown, total, selected, paused } = v;
  const first: StyledLine = [
    { text: ' Mode: ', style: 'dim' }, { text: s.mode, style: 'title' },
    { text: '  Dialogs: ', style: 'dim' }, { text: thousands(total), style: 'title' },
  ];
  if (v.filtered) first.push({ text: ` [filtered ${thousands(shown)}/${thousands(total)}]`, style: 'match' });
  if (selected > 0) first.push({ text: '  Selected: ', style: 'dim' }, { text: thousands(selected), style: 'selected' });
  if (paused) first.push({ text: '  Paused', style: 'retrans' });
  if (v.autoscroll === true) first.push({ text: '  Autoscroll', style: 'match' });
  if (v.aliases !== undefined) first.push({ text: v.aliases > 0 ? '  Aliases' : '  Aliases (none in the rc file)', style: 'match' });
  // Live captures count the packets read, and what libpcap (or the HEP sockets) received and dropped.
  if (s.mode === 'Online') first.push({ text: '  Packets: ', style: 'dim' }, { text: thousands(s.frames), style: 'title' });
  if (s.received !== undefined) first.push({ text: '  Received: ', style: 'dim' }, { text: thousands(s.received), style: 'title' });
  if (s.dropped !== undefined) first.push({ text: '  Dropped: ', style: 'dim' }, { text: thousands(s.dropped), style: s.dropped > 0 ? 'retrans' : 'title' });
  // An output that fails (HEP collector unreachable, disk full) says so here; the capture goes on.
  for (const o of s.outputs ?? []) {
    if (o.errors > 0) first.push({ text: `  ${o.label} errors: `, style: 'dim' }, { text: thousands(o.errors), style: 'retrans' });
  }
  // The progress before the input's name: a long path is what a narrow terminal cuts, and a load
  // whose progress was cut off looked finished.
  const progress = progressText(s);
  if (progress !== '') first.push({ text: '  ' + progress, style: 'match' });
  first.push({ text: s.mode === 'Online' ? '  Device: ' : '  File: ', style: 'dim' }, { text: s.input, style: 'default' });

  const second: StyledLine = [
    { text: ' Match: ', style: 'dim' }, { text: s.match, style: 'default' },
    { text: '  BPF: ', style: 'dim' }, { text: s.bpf, style: 'default' },
    { text: '  Filter: ', style: 'dim' }, { text: v.filter, style: 'default' },
  ];
  if (v.display !== '') second.push({ text: '  Display: ', style: 'dim' }, { text: v.display, style: 'match' });
  if (v.search !== '') second.push({ text: '  Search: ', style: 'dim' }, { text: v.search, style: 'match' });
  if (v.notFound) second.push({ text: '  not found', style: 'retrans' });
  const warning = s.warnings[s.warnings.length - 1];
  if (warning !== undefined) second.push({ text: '  ' + warning, style: 'retrans' });
  return [first, second];
}
