/** The stats screen's text: pure, from the capture-wide counts to styled lines (unit-tested). */
import { STAT_METHODS, STAT_STATES, type CaptureStats } from '../../store/capture-stats.js';
import type { Style, StyledLine } from '../../layout/styled.js';
import { fitLine } from '../../layout/text-width.js';

/** Two columns side by side from this width on (sngrep's box is 60 wide); one below the other under it. */
const TWO_COLUMNS = 56;
/** Methods sngrep does not list show only when they occur. */
const LISTED_WHEN_SEEN = new Set<string>(['PRACK', 'REFER', 'other']);

interface Cell { label: string; count?: number; of?: number; style?: Style }

function thousands(n: number): string {
  return n.toLocaleString('en-US');
}

/** "INVITE:    10 (0.5%)", sngrep's "%d (%.1f%%)" with the labels padded to one width. */
function cellLine(c: Cell | undefined, labelWidth: number): StyledLine {
  if (c === undefined) return [];
  const out: StyledLine = [{ text: `${c.label}:`.padEnd(labelWidth + 2), style: c.style ?? 'title' }];
  if (c.count === undefined) return out;
  out.push({ text: thousands(c.count), style: 'default' });
  if (c.of !== undefined) out.push({ text: ` (${(c.of === 0 ? 0 : (100 * c.count) / c.of).toFixed(1)}%)`, style: 'dim' });
  return out;
}

/** Two lists of cells as rows: side by side (the right one from `half`) when there is room, else one after the other. */
function block(left: Cell[], right: Cell[], width: number, ascii: boolean): StyledLine[] {
  const lw = Math.max(0, ...left.map((c) => c.label.length));
  const rw = Math.max(0, ...right.map((c) => c.label.length));
  if (width < TWO_COLUMNS) return [...left.map((c) => cellLine(c, lw)), [], ...right.map((c) => cellLine(c, rw))].map((l) => fitLine(l, width, ascii));
  const half = Math.floor(width / 2);
  return Array.from({ length: Math.max(left.length, right.length) }, (_, k) => [
    ...fitLine(cellLine(left[k], lw), half, ascii),
    ...fitLine(cellLine(right[k], rw), width - half, ascii),
  ]);
}

const STATE_STYLES: Record<(typeof STAT_STATES)[number], Style> = {
  COMPLETED: 'stateCompleted', CANCELLED: 'stateCancelled', 'IN CALL': 'stateInCall', REJECTED: 'stateRejected',
  BUSY: 'stateBusy', DIVERTED: 'stateDiverted', 'CALL SETUP': 'stateSetup',
};

/**
 * sngrep's stats box as lines `width` cells wide: dialogs, calls (share of the dialogs) and messages
 * beside the calls by state (share of the calls); a rule; the requests by method beside the
 * responses by class (shares of all messages).
 */
export function statsLines(s: CaptureStats, width: number, ascii: boolean): StyledLine[] {
  if (s.dialogs === 0) return [[{ text: 'No information to display', style: 'dim' }]];
  const totals: Cell[] = [
    { label: 'Dialogs', count: s.dialogs },
    { label: 'Calls', count: s.calls, of: s.dialogs },
    { label: 'Messages', count: s.messages },
  ];
  // As sngrep: the states only when there are calls.
  const states: Cell[] = s.calls === 0 ? [] : STAT_STATES.map((st) => ({ label: st, count: s.states[st], of: s.calls, style: STATE_STYLES[st] }));
  const methods: Cell[] = [...STAT_METHODS, 'other' as const]
    .filter((m) => !LISTED_WHEN_SEEN.has(m) || s.methods[m] > 0)
    .map((m) => ({ label: m === 'other' ? 'Other' : m, count: s.methods[m], of: s.messages, style: 'sipMethod' }));
  const classes: Cell[] = [1, 2, 3, 4, 5, 6].map((c) => ({ label: `${c}XX`, count: s.responses[c]!, of: s.messages, style: `response${c}xx` as Style }));
  if (s.responses[0]! > 0) classes.push({ label: 'Other', count: s.responses[0]!, of: s.messages, style: 'sipStatus' });
  const rule: StyledLine = [{ text: (ascii ? '-' : '─').repeat(width), style: 'dim' }];
  return [...block(totals, states, width, ascii), rule, ...block(methods, classes, width, ascii)];
}
