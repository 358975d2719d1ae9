/**
 * Log messages HEP agents send beside the signalling (protocol type 100: rtpengine, Kamailio,
 * FreeSWITCH logs), kept by the Call-ID their correlation ID names so a dialog can show them as
 * HOMER does. Bounded: so many calls, so many lines a call, so long a line; the rest is counted.
 */

export interface HepLog {
  ts: bigint;
  /** The agent that sent it (node name, capture ID or address). */
  node: string;
  text: string;
}

const MAX_CALLS = 4096;
const MAX_PER_CALL = 32;
const MAX_TEXT = 1024;

export class HepLogs {
  private readonly byCall = new Map<string, HepLog[]>();

  /** Keeps a log line for a call; false when it is not kept (no Call-ID, or a bound reached). */
  add(callId: string, log: HepLog): boolean {
    if (callId === '') return false;
    let list = this.byCall.get(callId);
    if (list === undefined) {
      // The oldest call's lines make room: a long-running collector keeps the recent calls'.
      if (this.byCall.size >= MAX_CALLS) this.byCall.delete(this.byCall.keys().next().value as string);
      list = [];
      this.byCall.set(callId, list);
    }
    if (list.length >= MAX_PER_CALL) return false;
    list.push(log.text.length > MAX_TEXT ? { ...log, text: log.text.slice(0, MAX_TEXT) } : log);
    return true;
  }

  of(callId: string): readonly HepLog[] {
    return this.byCall.get(callId) ?? [];
  }
}
