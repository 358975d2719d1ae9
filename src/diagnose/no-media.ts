import type { Rule } from './rule.js';
import { answer, callEnd } from './media-facts.js';
import { sdpOf } from './sip-facts.js';
import { seconds } from './transactions.js';
import { ANSWERED, has } from './summary.js';

/** Shorter calls may end before the first packet would have been worth waiting for. */
const MIN_CALL_NS = 2_000_000_000n;

/**
 * An answered call without a single RTP packet. Only said when the capture has RTP of the call's
 * media hosts in other calls: a capture filtered to port 5060, or one that sees only the other leg's
 * media, has none for this call, and that is not the call's fault.
 */
export const noMedia: Rule = {
  codes: [{ code: 'no-media', severity: 'error', description: 'an answered call with no RTP at all, in a capture that has RTP for other calls' }],
  mayFire: (s) => s.mediaHosts > 0 && s.streams === 0 && has(s, ANSWERED),
  check(e) {
    if (e.mediaHosts.size === 0 || e.streams.length > 0) return [];
    const ok = answer(e);
    if (!ok) return [];
    const end = callEnd(e, ok);
    if (end - ok.ts < MIN_CALL_NS) return [];
    const sdp = ok.hasSdp ? sdpOf(e, ok) : undefined;
    const audio = sdp?.media.find((m) => m.media === 'audio' && m.port > 0 && m.direction !== 'inactive');
    if (!audio) return [];
    const offer = e.transactions.find((t) => t.final === ok)?.request?.first;
    const offered = offer?.hasSdp ? sdpOf(e, offer)?.media.find((m) => m.media === 'audio')?.connection : undefined;
    const seen = e.mediaHosts.size >= 65_536 || e.mediaHosts.has(audio.connection) || (offered !== undefined && e.mediaHosts.has(offered));
    if (!seen) return [];
    return [{
      code: 'no-media',
      severity: 'error',
      text: `no RTP in ${seconds(ok.ts, end)} of call; the answer named ${audio.connection}:${audio.port}`,
      message: ok.id,
    }];
  },
};
