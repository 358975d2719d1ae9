import { retryAfter, statusRule } from './status-rule.js';
import { header } from './sip-facts.js';

export const unavailable = statusRule({
  code: { code: 'unavailable', severity: 'warning', description: '480 Temporarily Unavailable, or 503 with Retry-After: the callee or the server is (for now) not reachable' },
  statuses: (s) => s === 480 || s === 503,
  matches: (e, m) => m.status === 480 || header(e, m.id, 'Retry-After') !== undefined,
  detail: retryAfter,
});
