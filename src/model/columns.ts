/**
 * The call-list column ids, in the order the column chooser lists them (sngrep's defaults first).
 * One list for the rc file (config/settings.ts), the sort (store/sort.ts) and the list (ui/present/call-columns.ts).
 */
export const COLUMN_IDS = [
  'index', 'method', 'from', 'to', 'msgs', 'src', 'dst', 'state', 'date', 'time', 'duration', 'callId', 'xCallId',
  'reason', 'userAgent', 'transport', 'node', 'fromUri', 'toUri', 'findings',
] as const;

export type ColumnId = (typeof COLUMN_IDS)[number];
