import type { StreamId } from '../model/ids.js';
import type { Rule } from './rule.js';
import { answer, audioStreams, streamName } from './media-facts.js';
import { seconds } from './transactions.js';

/** The first RTP came well after the answer: clipped greetings, often a NAT pinhole that opened late. */
export const lateMedia: Rule = {
  codes: [{ code: 'late-media', severity: 'warning', description: 'the first RTP came more than diag.latemedia (1 s) after the 200 OK' }],
  mayFire: (s) => s.streams > 0,
  check(e) {
    const ok = answer(e);
    const audio = audioStreams(e);
    if (!ok || audio.length === 0) return [];
    const first = audio.reduce((a, b) => (b.start < a.start ? b : a));
    const limit = BigInt(Math.round(e.thresholds.lateMediaMs * 1e6));
    if (first.start - ok.ts <= limit) return [];
    return [{
      code: 'late-media',
      severity: 'warning',
      text: `first RTP ${seconds(ok.ts, first.start)} after the 200 OK (${streamName(first)})`,
      message: ok.id,
      stream: first.id as StreamId,
    }];
  },
};
