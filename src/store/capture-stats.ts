/**
 * sngrep's stats screen (i in its call list) from the store's columns: the dialogs held, the calls
 * among them by state, their messages by request method and by response class. Nothing is parsed.
 */
import type { DialogId } from '../model/ids.js';
import type { CallState } from '../model/sip.js';
import type { StoreView } from '../model/store-view.js';

/** sngrep's methods in its order (ACK, which it counts but does not print, before BYE), then PRACK and REFER. */
export const STAT_METHODS = [
  'INVITE', 'REGISTER', 'SUBSCRIBE', 'UPDATE', 'NOTIFY', 'OPTIONS', 'PUBLISH', 'MESSAGE', 'INFO', 'ACK', 'BYE', 'CANCEL', 'PRACK', 'REFER',
] as const;

/** sngrep's call states in its order, with our BUSY and DIVERTED before CALL SETUP. */
export const STAT_STATES: readonly Exclude<CallState, ''>[] = ['COMPLETED', 'CANCELLED', 'IN CALL', 'REJECTED', 'BUSY', 'DIVERTED', 'CALL SETUP'];

export interface CaptureStats {
  dialogs: number;
  /** Dialogs that are calls (an INVITE dialog: it has a call state). */
  calls: number;
  states: Record<Exclude<CallState, ''>, number>;
  messages: number;
  /** Requests per STAT_METHODS entry; any other method counts as 'other' (methods come from packets: no open-ended keys). */
  methods: Record<(typeof STAT_METHODS)[number] | 'other', number>;
  /** Responses per class: [1] 1xx … [6] 6xx; [0] any other status. */
  responses: number[];
}

export function emptyStats(): CaptureStats {
  return {
    dialogs: 0, calls: 0, messages: 0,
    states: Object.fromEntries(STAT_STATES.map((s) => [s, 0])) as CaptureStats['states'],
    methods: Object.fromEntries([...STAT_METHODS, 'other'].map((m) => [m, 0])) as CaptureStats['methods'],
    responses: [0, 0, 0, 0, 0, 0, 0],
  };
}

const KNOWN = new Set<string>(STAT_METHODS);

/** The counts over every dialog the store holds now (rotation and F5 drop theirs, as sngrep's list does). */
export function captureStats(store: StoreView): CaptureStats {
  const out = emptyStats();
  const first = store.firstId;
  const n = store.dialogCount();
  for (let k = 0; k < n; k++) {
    const d = store.dialog((first + k) as DialogId);
    if (d === undefined) continue;
    out.dialogs++;
    if (d.state !== '') {
      out.calls++;
      out.states[d.state]++;
    }
    for (const id of d.messages) {
      const m = store.message(id);
      out.messages++;
      if (m.method !== '') out.methods[KNOWN.has(m.method) ? (m.method as (typeof STAT_METHODS)[number]) : 'other']++;
      else out.responses[m.status >= 100 && m.status < 700 ? Math.floor(m.status / 100) : 0]!++;
    }
  }
  return out;
}
