import type { Finding } from '../model/finding.js';
import type { SipMessage } from '../model/sip.js';
import type { SdpFacts } from '../sip/sdp-facts.js';
import type { DialogEvidence, Rule } from './rule.js';
import { header, headers, sdpOf, source, statusText } from './sip-facts.js';
import { answerFitsOffer, hasLiveAudio } from './codec-fit.js';
import type { Transaction } from './transactions.js';
import { CODEC_DOUBT, has, mayHaveFailure } from './summary.js';

/** Responses that refuse the offer's media. */
const REFUSALS = new Set([488, 415, 606]);

/** "audio PCMU, PCMA, telephone-event; image t38" for the streams of an SDP that are not declined. */
function describe(sdp: SdpFacts): string {
  return sdp.media.map((m) => `${m.media} ${m.codecs.join(', ')}${m.port === 0 ? ' on port 0 (disabled)' : ''}`).join('; ');
}

/** What the refusing side says it takes: SDP in the refusal, Warning (RFC 3261 304/305), Accept. */
function accepted(e: DialogEvidence, refusal: SipMessage): string {
  const sdp = sdpOf(e, refusal);
  if (sdp && sdp.media.length > 0) return `it offers ${describe(sdp) || 'no media'}`;
  const warning = headers(e, refusal.id, 'Warning').join('; ');
  if (warning) return `it says: ${warning}`;
  const accept = header(e, refusal.id, 'Accept');
  if (accept) return `it accepts ${accept}`;
  return 'it names nothing it would accept';
}

function refusal(e: DialogEvidence, t: Transaction, reinvite: boolean): Finding | undefined {
  const f = t.final;
  if (!f || !REFUSALS.has(f.status)) return undefined;
  const offer = t.request ? sdpOf(e, t.request.first) : undefined;
  // Refusing a switch to T.38 (image only) is t38-rejected's to name.
  if (offer && offer.media.length > 0 && offer.media.every((m) => m.media === 'image')) return undefined;
  const what = reinvite ? `re-${t.method}` : t.method;
  return {
    code: 'codec-mismatch',
    severity: reinvite ? 'warning' : 'error',
    text: `${statusText(e, f)} from ${source(f)} to the ${what}` +
      (offer ? ` offering ${describe(offer) || 'no media'}` : ' (no SDP offer in it)') + `; ${accepted(e, f)}`,
    message: f.id,
  };
}

/** An answer whose audio shares no real codec with the offer, or that declines every offered stream. */
function noCommonCodec(e: DialogEvidence, t: Transaction): Finding | undefined {
  const ok = t.responses.find((r) => r.first.status >= 200 && r.first.status < 300 && r.first.hasSdp)?.first;
  const req = t.request?.first;
  if (!ok || !req?.hasSdp) return undefined;
  const offer = sdpOf(e, req);
  const answer = sdpOf(e, ok);
  if (!offer || !answer) return undefined;
  if (answerFitsOffer(offer, answer)) return undefined;
  const answeredAudio = hasLiveAudio(answer);
  return {
    code: 'codec-mismatch',
    severity: 'error',
    text: `the ${t.method} offered ${describe(offer)}, but the answer from ${source(ok)} ` +
      (answeredAudio ? `has no codec in common: ${describe(answer)}` : 'declines every audio stream'),
    message: ok.id,
  };
}

export const codecMismatch: Rule = {
  codes: [{ code: 'codec-mismatch', severity: 'error', description: '488/415/606 to an offer, an answer with no codec in common, or a re-INVITE refused for its codecs; names the offered codecs and what the other side accepts' }],
  mayFire: (s) => has(s, CODEC_DOUBT) || mayHaveFailure(s, (status) => REFUSALS.has(status)),
  check(e) {
    let first = true;
    for (const t of e.transactions) {
      if (t.method !== 'INVITE' && t.method !== 'UPDATE') continue;
      const reinvite = t.method === 'UPDATE' || !first;
      if (t.method === 'INVITE' && t.request) first = first && !(t.final && t.final.status >= 200 && t.final.status < 300);
      const f = refusal(e, t, reinvite) ?? noCommonCodec(e, t);
      if (f) return [f];
    }
    return [];
  },
};
