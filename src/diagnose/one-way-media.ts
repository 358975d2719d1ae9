import type { StreamId } from '../model/ids.js';
import type { Rule } from './rule.js';
import { answer, audioStreams, streamName } from './media-facts.js';
import { sdpOf } from './sip-facts.js';

/** Whether some SDP of the dialog holds or mutes a direction on purpose (hold, announcements). */
function oneWayByDesign(e: Parameters<Rule['check']>[0]): boolean {
  return e.messages.some((m) => m.hasSdp && sdpOf(e, m)?.media.some((x) => x.direction !== 'sendrecv'));
}

/** Audio flowed one way only: the classic NAT / firewall / wrong c= address fault ("I can hear them, they can't hear me"). */
export const oneWayMedia: Rule = {
  codes: [{ code: 'one-way-media', severity: 'error', description: 'an answered call with RTP in one direction only' }],
  mayFire: (s) => s.streams > 0,
  check(e) {
    if (!answer(e)) return [];
    const audio = audioStreams(e);
    if (audio.length === 0) return [];
    // Something reaching a sender's address is the way back, whatever address it comes from (NAT, a relay).
    if (audio.some((s) => audio.some((t) => t.dst === s.src))) return [];
    if (oneWayByDesign(e)) return [];
    const s = audio[0];
    return [{
      code: 'one-way-media',
      severity: 'error',
      text: `RTP only ${streamName(s)}, ${s.packets} packets; nothing from ${s.dst} back to ${s.src}`,
      stream: s.id as StreamId,
    }];
  },
};
