import type { StreamId } from '../model/ids.js';
import type { Rule } from './rule.js';
import { audioStreams, streamName } from './media-facts.js';

/** Loss, jitter or MOS past the thresholds (settings diag.loss, diag.jitter, diag.mos) on the worst audio stream. */
export const mediaQuality: Rule = {
  codes: [{ code: 'media-quality', severity: 'warning', description: 'an audio stream with loss above diag.loss (2 %), mean jitter above diag.jitter (30 ms) or MOS below diag.mos (3.6)' }],
  mayFire: (s) => s.streams > 0,
  check(e) {
    const t = e.thresholds;
    let worst: { text: string; score: number; id: number } | undefined;
    for (const s of audioStreams(e)) {
      const bad: string[] = [];
      if (s.lossPct > t.lossPct) bad.push(`loss ${s.lossPct.toFixed(1)} % (${s.lost} of ${s.expected})`);
      if (s.meanJitterMs > t.jitterMs) bad.push(`mean jitter ${s.meanJitterMs.toFixed(1)} ms (max ${s.maxJitterMs.toFixed(1)})`);
      // A low MOS with nothing lost is the codec's own rating (G.726-16) or the simulated jitter buffer: not evidence.
      if (s.mos !== null && s.mos < t.mos && s.lost > 0) bad.push(`MOS ${s.mos.toFixed(2)}`);
      if (bad.length === 0) continue;
      const score = (s.mos ?? 5) * -1 + s.lossPct;
      if (!worst || score > worst.score) worst = { text: `${streamName(s)}: ${bad.join(', ')}`, score, id: s.id };
    }
    return worst ? [{ code: 'media-quality', severity: 'warning', text: worst.text, stream: worst.id as StreamId }] : [];
  },
};
