import type { Dialog } from '../../model/sip.js';

/** The call list's display filter: a dialog is shown when any of its summary fields contains the text (any case). */
export function dialogMatches(d: Dialog, needleLower: string): boolean {
  const fields = [d.method, d.fromUser, d.fromDisplay, d.toUser, d.toDisplay, d.callId, d.src, d.dst, d.state, d.xCallId, d.userAgent, d.reason];
  return fields.some((f) => f.toLowerCase().includes(needleLower));
}
