/** Whether an SDP answer can carry the offer's audio: what codec-mismatch judges, and the summary checks as a 2xx arrives. */
import type { SdpFacts } from '../sip/sdp-facts.js';
import { isAuxiliary } from './sip-facts.js';

function sameCodec(a: string, b: string): boolean {
  return a === b || (a.length === b.length && a.toLowerCase() === b.toLowerCase());
}

/** Whether both sides name a codec (not DTMF or comfort noise) of one media type, by encoding name in any case. */
function haveCommon(offer: SdpFacts, answer: SdpFacts, media: string): boolean {
  // Plain loops: the summary asks this of every 2xx with SDP as it arrives.
  for (const a of answer.media) {
    if (a.media !== media || a.port <= 0) continue;
    for (const name of a.codecs) {
      if (isAuxiliary(name)) continue;
      for (const o of offer.media) {
        if (o.media !== media || o.port <= 0) continue;
        for (const c of o.codecs) if (sameCodec(c, name)) return true;
      }
    }
  }
  return false;
}

export const hasLiveAudio = (sdp: SdpFacts): boolean => sdp.media.some((m) => m.media === 'audio' && m.port > 0);

/**
 * False when the offer has audio and the answer shares no real codec with it, or declines every
 * audio stream without switching to T.38 (image only is a fax, not a mismatch).
 */
export function answerFitsOffer(offer: SdpFacts, answer: SdpFacts): boolean {
  if (!hasLiveAudio(offer)) return true;
  const answeredAudio = hasLiveAudio(answer);
  if (!answeredAudio && answer.media.some((m) => m.media === 'image' && m.port > 0)) return true;
  return answeredAudio && haveCommon(offer, answer, 'audio');
}
