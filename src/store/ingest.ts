/**
 * Which SIP messages the store takes: the refusal policy for new dialogs (-c, the match
 * expression, -l with or without rotation), HEP duplicates, and which messages are
 * retransmissions of an earlier one of their dialog.
 */
import type { SkipReason } from '../model/skip.js';
import type { SipScan } from '../sip/message.js';
import type { DialogIndex } from './dialog-index.js';
import { HepDedupe } from './hep-dedupe.js';
import { MessageColumns, PAGE_MASK } from './message-columns.js';

export interface IngestOptions {
  /** Maximum number of dialogs held (-l); 0 or absent means no limit. */
  limit?: number;
  /** With a limit: drop the oldest dialog to make room instead of ignoring new ones. */
  rotate?: boolean;
  /** Only dialogs whose first message is an INVITE (-c). */
  invitesOnly?: boolean;
  /**
   * The sngrep match expression (filter-match.ts compileMatch): a message whose payload fails it
   * opens no dialog (skip reason "match-expression"); later messages of an opened dialog always join.
   */
  match?: (payload: Buffer) => boolean;
}

/** Retransmissions follow their original closely: only this many earlier messages of the dialog are compared. */
const RETRANS_LOOKBACK = 16;

export class IngestPolicy {
  private readonly limit: number;
  private readonly rotate: boolean;
  private readonly invitesOnly: boolean;
  private readonly match?: (payload: Buffer) => boolean;
  private readonly dedupe = new HepDedupe();
  /** Call-IDs whose first message -c or the match expression refused. */
  private readonly refusedCallIds = new Set<string>();

  constructor(opts: IngestOptions = {}) {
    this.limit = opts.limit ?? 0;
    this.rotate = opts.rotate ?? false;
    this.invitesOnly = opts.invitesOnly ?? false;
    this.match = opts.match;
  }

  /** The same payload already came in from another capture node (HEP agent, or the local capture). */
  duplicate(hash: number, length: number, ts: bigint, node: number): boolean {
    return this.dedupe.isDuplicate(hash, length, ts, node);
  }

  /**
   * Why a message may not open a new dialog (a skip reason), '' when it may; rotation makes room
   * in `index` as a side effect. The first message decides (as sngrep): a 200 OK that matches
   * must not open a refused call later. -c is the exception, as `sngrep -c`: a Call-ID that began
   * with REGISTER or OPTIONS is a call from its INVITE on.
   */
  refusal(scan: SipScan, payload: Buffer, index: DialogIndex): SkipReason | '' {
    const reason = this.reason(scan, payload, index);
    if (reason !== '' && reason !== 'dialog-limit' && reason !== 'dialog-not-invite') this.refusedCallIds.add(scan.callId);
    return reason;
  }

  private reason(scan: SipScan, payload: Buffer, index: DialogIndex): SkipReason | '' {
    if (this.refusedCallIds.has(scan.callId)) return 'dialog-refused-earlier';
    if (this.invitesOnly && scan.method !== 'INVITE') return 'dialog-not-invite';
    if (this.match && !this.match(payload)) return 'match-expression';
    if (this.limit > 0 && index.count() >= this.limit) {
      if (!this.rotate) return 'dialog-limit';
      index.dropOldest();
    }
    return '';
  }
}

/** Same bytes from the same source as one of the last few messages of the dialog (`last` its newest, -1 for none). */
export function isRetransmission(columns: MessageColumns, last: number, srcId: number, sport: number, len: number, hash: number): boolean {
  for (let j = last, k = 0; j >= 0 && k < RETRANS_LOOKBACK; j = columns.prev(j), k++) {
    const c = columns.page(j);
    const o = j & PAGE_MASK;
    if (c.hash[o] === hash && c.refLength[o] === len && c.src[o] === srcId && c.sport[o] === sport) return true;
  }
  return false;
}
