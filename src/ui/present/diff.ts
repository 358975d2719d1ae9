import type { MessageView, ViewLine } from '../../model/message-view.js';
import { viewLineText } from './message.js';
import type { Style, StyledLine } from '../../layout/styled.js';
import { cellWidth, sliceLine } from '../../layout/text-width.js';

export interface DiffOptions {
  ascii?: boolean;
  /** Cells both sides are scrolled to the right (←/→): lines are cut at the side's edge, never with an ellipsis. */
  scroll?: number;
}

/** One row of the side-by-side view. */
type DiffRow =
  | { kind: 'same'; left: string; right: string }
  | { kind: 'changed'; left: string; right: string }
  | { kind: 'removed'; left: string }
  | { kind: 'added'; right: string };

// Beyond this many DP cells (lines × lines) the middle of two messages is shown as one changed block.
const MAX_LCS_CELLS = 4_000_000;

/** The text before the first of `stops` (or all of it). */
function upTo(text: string, stops: string): string {
  let end = 0;
  while (end < text.length && !stops.includes(text[end]!)) end++;
  return text.slice(0, end);
}

/**
 * What a line is "about", so a changed value pairs with its old one: the header name, the SDP type
 * (with the attribute name for a=), else the first word (the method or SIP version of a start line).
 */
function lineKey(line: ViewLine): string {
  const first = line.spans[0];
  const text = line.text;
  if (first?.role === 'headerName') return `h:${text.slice(first.from, first.to).toLowerCase()}`;
  if (first?.role === 'sdpType') return text[0] === 'a' ? `s:a=${upTo(text.slice(2), ': \t')}` : `s:${text[0]}`;
  return `w:${upTo(text, ' \t')}`;
}

type KeyOf = (line: string) => string;

/** Longest common subsequence of a[0..n) and b[0..m) as edit steps: 0 same, 1 only in a, 2 only in b. */
function lcsSteps(a: readonly string[], b: readonly string[]): number[] {
  const n = a.length;
  const m = b.length;
  if (n * m > MAX_LCS_CELLS) return [...new Array<number>(n).fill(1), ...new Array<number>(m).fill(2)];
  // table[i][j] = LCS length of a[i..] and b[j..]
  const w = m + 1;
  const table = new Uint32Array((n + 1) * w);
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      table[i * w + j] = a[i] === b[j] ? table[(i + 1) * w + j + 1]! + 1 : Math.max(table[(i + 1) * w + j]!, table[i * w + j + 1]!);
    }
  }
  const steps: number[] = [];
  let i = 0;
  let j = 0;
  while (i < n && j < m) {
    if (a[i] === b[j]) {
      steps.push(0);
      i++;
      j++;
    } else if (table[(i + 1) * w + j]! >= table[i * w + j + 1]!) {
      steps.push(1);
      i++;
    } else {
      steps.push(2);
      j++;
    }
  }
  while (i++ < n) steps.push(1);
  while (j++ < m) steps.push(2);
  return steps;
}

/** Rows for a run of lines only in a (`gone`) and only in b (`came`): lines about the same thing pair up as changed. */
function hunkRows(gone: readonly string[], came: readonly string[], rows: DiffRow[], lineKey: KeyOf): void {
  const cameKeys = came.map(lineKey);
  let next = 0;
  for (const left of gone) {
    const key = lineKey(left);
    const k = cameKeys.indexOf(key, next);
    if (k < 0) {
      rows.push({ kind: 'removed', left });
      continue;
    }
    for (; next < k; next++) rows.push({ kind: 'added', right: came[next]! });
    rows.push({ kind: 'changed', left, right: came[k]! });
    next = k + 1;
  }
  for (; next < came.length; next++) rows.push({ kind: 'added', right: came[next]! });
}

/** Lines of a and b aligned: common lines side by side, the rest as changed, removed or added rows. */
function alignLines(a: readonly string[], b: readonly string[], lineKey: KeyOf): DiffRow[] {
  let head = 0;
  while (head < a.length && head < b.length && a[head] === b[head]) head++;
  let tail = 0;
  while (tail < a.length - head && tail < b.length - head && a[a.length - 1 - tail] === b[b.length - 1 - tail]) tail++;
  const rows: DiffRow[] = [];
  for (let i = 0; i < head; i++) rows.push({ kind: 'same', left: a[i]!, right: b[i]! });
  const midA = a.slice(head, a.length - tail);
  const midB = b.slice(head, b.length - tail);
  let i = 0;
  let j = 0;
  let gone: string[] = [];
  let came: string[] = [];
  for (const step of lcsSteps(midA, midB)) {
    if (step === 1) gone.push(midA[i++]!);
    else if (step === 2) came.push(midB[j++]!);
    else {
      hunkRows(gone, came, rows, lineKey);
      gone = [];
      came = [];
      rows.push({ kind: 'same', left: midA[i++]!, right: midB[j++]! });
    }
  }
  hunkRows(gone, came, rows, lineKey);
  for (let k = a.length - tail; k < a.length; k++) rows.push({ kind: 'same', left: a[k]!, right: b[k - a.length + b.length]! });
  return rows;
}

/** Where two lines stop agreeing: lengths of their common prefix and common suffix (not overlapping). */
function agreement(a: string, b: string): { prefix: number; suffix: number } {
  const max = Math.min(a.length, b.length);
  let prefix = 0;
  while (prefix < max && a[prefix] === b[prefix]) prefix++;
  let suffix = 0;
  while (suffix < max - prefix && a[a.length - 1 - suffix] === b[b.length - 1 - suffix]) suffix++;
  // Never cut through a surrogate pair.
  if (prefix > 0 && isLowSurrogate(a.charCodeAt(prefix))) prefix--;
  if (suffix > 0 && isLowSurrogate(a.charCodeAt(a.length - suffix))) suffix--;
  return { prefix, suffix };
}

function isLowSurrogate(c: number): boolean {
  return c >= 0xdc00 && c <= 0xdfff;
}

/** A changed line: what it shares with the other side plain, the differing middle marked. */
function changedSide(line: string, other: string, mark: Style): StyledLine {
  const { prefix, suffix } = agreement(line, other);
  const parts: StyledLine = [
    { text: line.slice(0, prefix), style: 'default' },
    { text: line.slice(prefix, line.length - suffix), style: mark },
    { text: line.slice(line.length - suffix), style: 'default' },
  ];
  return parts.filter((p) => p.text !== '');
}

function sides(row: DiffRow): [StyledLine, StyledLine] {
  switch (row.kind) {
    case 'same':
      return [[{ text: row.left, style: 'default' }], [{ text: row.right, style: 'default' }]];
    case 'changed':
      return [changedSide(row.left, row.right, 'diffRemoved'), changedSide(row.right, row.left, 'diffAdded')];
    case 'removed':
      return [[{ text: row.left, style: 'diffRemoved' }], []];
    case 'added':
      return [[], [{ text: row.right, style: 'diffAdded' }]];
  }
}

/**
 * Two messages side by side (sngrep's compare view), each line exactly `width` cells: a on the
 * left, b on the right, a rule between. Lines are aligned by their longest common subsequence;
 * lines only on one side are marked (diffRemoved left, diffAdded right), and a header or SDP line
 * whose value changed sits beside its counterpart with the differing part marked on both sides.
 * Each side shows cells [scroll, scroll + its width) of its lines.
 */
export function diffLines(a: MessageView, b: MessageView, width: number, opts: DiffOptions = {}): StyledLine[] {
  const ascii = opts.ascii ?? false;
  const scroll = opts.scroll ?? 0;
  const leftWidth = Math.max(0, (width - 1) >> 1);
  const rightWidth = Math.max(0, width - 1 - leftWidth);
  const rule: StyledLine = [{ text: ascii ? '|' : '│', style: 'dim' }];
  const keys = new Map<string, string>();
  const textsOf = (v: MessageView): string[] => v.lines.map((line) => {
    const text = viewLineText(line);
    if (!keys.has(text)) keys.set(text, lineKey(line));
    return text;
  });
  const [linesA, linesB] = [textsOf(a), textsOf(b)];
  return alignLines(linesA, linesB, (text) => keys.get(text) ?? '').map((row) => {
    const [left, right] = sides(row);
    return [...sliceLine(left, scroll, leftWidth, ascii), ...rule, ...sliceLine(right, scroll, rightWidth, ascii)];
  });
}

/** Cells of the widest line of either message: how far the compare view can scroll. */
export function widestLine(a: MessageView, b: MessageView, ascii = false): number {
  let widest = 0;
  for (const line of [...a.lines, ...b.lines]) widest = Math.max(widest, cellWidth(viewLineText(line), ascii));
  return widest;
}
