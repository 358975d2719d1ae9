/** What the media rules share: which streams carry a call's audio, and how to name one. */
import type { RtpStreamInfo } from '../model/media.js';
import type { SipMessage } from '../model/sip.js';
import type { DialogEvidence } from './rule.js';
import { hostPort, invites } from './transactions.js';

/** Below this many packets a stream is a burst (early media cut off, a comfort-noise blip), not a call's audio. */
export const MIN_PACKETS = 50;

/** Streams that carry the call's voice: not video, not too short to judge. */
export function audioStreams(e: DialogEvidence): RtpStreamInfo[] {
  return e.streams.filter((s) => s.media !== 'video' && s.media !== 'image' && s.packets >= MIN_PACKETS);
}

export function streamName(s: RtpStreamInfo): string {
  return `${hostPort(s.src, s.sport)} → ${hostPort(s.dst, s.dport)}${s.codec ? ` (${s.codec})` : ''}`;
}

/** The first 2xx to an INVITE: when the call was answered. */
export function answer(e: DialogEvidence): SipMessage | undefined {
  for (const t of invites(e.transactions)) {
    const ok = t.responses.find((r) => r.first.status >= 200 && r.first.status < 300);
    if (ok) return ok.first;
  }
  return undefined;
}

/** The first BYE after the answer, or the dialog's last message: when the call ended as far as the capture knows. */
export function callEnd(e: DialogEvidence, answered: SipMessage): bigint {
  return e.messages.find((m) => m.method === 'BYE' && m.ts > answered.ts)?.ts ?? e.dialog.end;
}
