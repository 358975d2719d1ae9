import type { Dialog } from '../model/sip.js';
import type { StoreStats } from '../model/store-view.js';

/** ISO-8601 UTC with microseconds, the headless contract's time format. */
export function isoMicros(ns: bigint): string {
  const ms = ns / 1_000_000n;
  const micros = (ns / 1000n) % 1_000_000n;
  return new Date(Number(ms)).toISOString().slice(0, 19) + '.' + micros.toString().padStart(6, '0') + 'Z';
}

/** One JSON line per dialog, field names as DESIGN.md's headless contract. */
export function dialogJson(d: Dialog): string {
  return JSON.stringify({
    type: 'dialog',
    callId: d.callId,
    method: d.method,
    from: d.fromUser,
    to: d.toUser,
    src: d.src,
    dst: d.dst,
    msgs: d.messages.length,
    state: d.state,
    start: isoMicros(d.start),
    end: isoMicros(d.end),
    xcallid: d.xCallId,
  });
}

export function summaryJson(s: StoreStats): string {
  return JSON.stringify({ type: 'summary', dialogs: s.dialogs, messages: s.messages, frames: s.frames, skipped: s.skipped });
}
