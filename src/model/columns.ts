import type { DialogId } from './ids.js';
import type { RtpStreamInfo } from './media.js';

/**
 * The call-list column ids, in the order the column chooser lists them (sngrep's defaults first).
 * One list for the rc file (config/settings.ts), the sort (store/sort.ts) and the list (layout/call-columns.ts).
 */
export const COLUMN_IDS = [
  'index', 'method', 'from', 'to', 'msgs', 'src', 'dst', 'state', 'date', 'time', 'duration', 'callId', 'xCallId',
  'reason', 'userAgent', 'transport', 'node', 'fromUri', 'toUri', 'findings', 'streams', 'mos', 'loss', 'fax',
] as const;

export type ColumnId = (typeof COLUMN_IDS)[number];

/** sngrep's default call-list columns: at 80 columns they fill the width. */
export const SNGREP_COLUMNS: readonly ColumnId[] = ['index', 'method', 'from', 'to', 'msgs', 'src', 'dst', 'state'];

/**
 * The call list without an rc file: sngrep's, then the worst finding, shown on a terminal of
 * 130 columns or more (call-columns.ts).
 */
export const DEFAULT_COLUMNS: readonly ColumnId[] = [...SNGREP_COLUMNS, 'findings'];

/** A dialog's fax as one cell: the worst outcome of its T.38 sessions and their pages. */
export interface FaxCell {
  result: 'ok' | 'failed' | 'incomplete';
  /** Pages sent (each resent page once) and confirmed by the receiver, over the sessions. */
  pages: number;
  confirmedPages: number;
}

/**
 * What a column (its text, colour and sort key) reads besides the dialog: its media and fax. The
 * Store implements it; a part that is absent reads as "none" (a store without a media plane).
 */
export interface ColumnContext {
  streamCount?(id: DialogId): number;
  streams?(id: DialogId): readonly RtpStreamInfo[];
  /** Undefined when the dialog has no T.38 session. */
  faxCell?(id: DialogId): FaxCell | undefined;
}
