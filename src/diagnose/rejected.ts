import { statusRule } from './status-rule.js';

/**
 * Final failures no other rule names. 401/407 are challenges (auth), 487 is a cancel, 491 is glare
 * and 422/423 ask for a longer interval: each is retried by the UA as a matter of course.
 */
const NAMED = new Set([401, 403, 404, 407, 408, 415, 422, 423, 480, 482, 483, 484, 486, 487, 488, 491, 600, 603, 604, 606]);

export const rejected = statusRule({
  code: { code: 'rejected', severity: 'warning', description: 'any other 4xx/6xx final response (400, 405, 420, 481, 489, …)' },
  statuses: (s) => s >= 400 && s < 700 && !(s >= 500 && s < 600) && !NAMED.has(s),
});
