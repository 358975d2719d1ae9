/**
 * The list index: the sort and filter keys of every held dialog as typed columns by slot (indexed
 * and compacted like the dialog arrays), so that sorting or filtering a million dialogs reads a few
 * megabytes of numbers instead of a million objects spread over a heap of gigabytes (reading
 * `d.method` of each costs ~80 ms at 1M, a key per dialog through BigInt ~650 ms).
 *
 * Strings are string-table ids: a filter term tests each distinct string once (verdicts by id) and
 * a sort ranks the distinct strings once (column-sort.ts), then both pass over an Int32Array.
 */
import type { DialogId } from '../model/ids.js';
import type { Dialog } from '../model/sip.js';
import type { SortKey } from './sort.js';

/** Keys kept as string ids; `index` needs no column, the others are read from the dialog. */
export const STRING_COLUMNS = ['method', 'src', 'dst', 'state', 'transport', 'userAgent', 'reason', 'node'] as const;
export type StringColumn = (typeof STRING_COLUMNS)[number];
/** Keys kept as numbers: the message count and the start in µs (date and time both sort by it). */
export type NumberColumn = 'msgs' | 'start';

/** The keys a dialog opens with; the others are '' (and the message count 0) until its messages say. */
export type DialogKeys = { -readonly [K in 'method' | 'src' | 'dst' | 'transport' | 'userAgent']: Dialog[K] };

/** Which column a sort key reads, when it has one. */
export const SORT_COLUMNS: Partial<Record<SortKey, StringColumn | NumberColumn>> = {
  method: 'method', src: 'src', dst: 'dst', state: 'state', transport: 'transport', userAgent: 'userAgent',
  reason: 'reason', node: 'node', msgs: 'msgs', date: 'start', time: 'start',
};

/** What sort and filter read: the Store's list index; stand-ins for the store (tests) have none and read dialogs. */
export interface ListIndexView {
  /** Where dialog `id` sits in the columns, -1 when it is gone. */
  slot(id: DialogId): number;
  strings(column: StringColumn): Int32Array;
  numbers(column: NumberColumn): Float64Array | Int32Array;
  /** The string of a string-table id. */
  str(sid: number): string;
  /** Every string id is below this. */
  readonly stringCount: number;
}

export class DialogColumns {
  private readonly text: Record<StringColumn, Int32Array>;
  private msgs = new Int32Array(1024);
  private start = new Float64Array(1024);

  /** The string id of '': no state, reason or node yet. */
  private readonly none: number;

  /** `stringId` is the store's string table: equal strings get equal ids. */
  constructor(private readonly stringId: (s: string) => number) {
    this.text = Object.fromEntries(STRING_COLUMNS.map((c) => [c, new Int32Array(1024)])) as Record<StringColumn, Int32Array>;
    this.none = stringId('');
  }

  strings(column: StringColumn): Int32Array {
    return this.text[column];
  }

  numbers(column: NumberColumn): Float64Array | Int32Array {
    return column === 'msgs' ? this.msgs : this.start;
  }

  /** The keys of a dialog just opened at slot pos (always the next one), before its first message: no state, reason or node yet. */
  open(pos: number, d: DialogKeys, start: bigint): void {
    if (pos >= this.msgs.length) this.grow(pos + 1);
    const t = this.text;
    t.method[pos] = this.stringId(d.method);
    t.src[pos] = this.stringId(d.src);
    t.dst[pos] = this.stringId(d.dst);
    t.transport[pos] = this.stringId(d.transport);
    t.userAgent[pos] = this.stringId(d.userAgent);
    t.state[pos] = t.reason[pos] = t.node[pos] = this.none;
    this.msgs[pos] = 0;
    this.start[pos] = Number(start / 1000n);
  }

  /** The dialog at pos has `count` messages now. */
  counted(pos: number, count: number): void {
    this.msgs[pos] = count;
  }

  /** A string key of the dialog at pos changed (call state, reason, first node): the only lookups after open. */
  changed(pos: number, column: StringColumn, value: string): void {
    this.text[column][pos] = this.stringId(value);
  }

  /** Forgets positions before `head` and renumbers the rest from 0. */
  compact(head: number, count: number): void {
    for (const c of STRING_COLUMNS) this.text[c].copyWithin(0, head, head + count);
    this.msgs.copyWithin(0, head, head + count);
    this.start.copyWithin(0, head, head + count);
  }

  private grow(min: number): void {
    const size = Math.max(min, this.msgs.length * 2);
    for (const c of STRING_COLUMNS) this.text[c] = widen(this.text[c], new Int32Array(size));
    this.msgs = widen(this.msgs, new Int32Array(size));
    this.start = widen(this.start, new Float64Array(size));
  }
}

function widen<T extends Int32Array | Float64Array>(old: T, wider: T): T {
  wider.set(old);
  return wider;
}
