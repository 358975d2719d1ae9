import type { Rule } from './rule.js';
import { calledUser, target } from './sip-facts.js';
import { invites, seconds } from './transactions.js';
import { has, SLOW } from './summary.js';

/**
 * Post-dial delay: INVITE to its first 18x or 2xx (100 Trying does not count: it only says the next
 * hop has it). Measured per INVITE transaction, so a challenge and its retry are not added up.
 */
/** Longer than INVITE timer C (3 min) is a clock jump in the capture, not a delay. */
const IMPLAUSIBLE_NS = 300_000_000_000n;

export const slowSetup: Rule = {
  codes: [{ code: 'slow-setup', severity: 'warning', description: 'post-dial delay (INVITE → first 18x/2xx) above the diag.setup threshold (default 5 s)' }],
  mayFire: (s) => has(s, SLOW),
  check(e) {
    const limit = BigInt(Math.round(e.thresholds.setupMs * 1e6));
    for (const t of invites(e.transactions)) {
      const invite = t.request?.first;
      if (!invite) continue;
      const progress = t.responses.find((r) => r.first.status >= 180 && r.first.status < 300)?.first;
      if (progress && progress.ts - invite.ts > limit && progress.ts - invite.ts < IMPLAUSIBLE_NS) {
        return [{
          code: 'slow-setup',
          severity: 'warning',
          text: `${progress.status} came ${seconds(invite.ts, progress.ts)} after the INVITE to ${calledUser(e, invite) || target(invite)}` +
            ` (threshold ${seconds(0n, limit)})`,
          message: progress.id,
        }];
      }
    }
    return [];
  },
};
