import { retryAfter, statusRule } from './status-rule.js';
import { header } from './sip-facts.js';

/** 5xx, except a 503 with Retry-After, which is unavailable (a planned, temporary refusal). */
export const serverError = statusRule({
  code: { code: 'server-error', severity: 'error', description: 'a 5xx response: the server or a gateway behind it failed' },
  statuses: (s) => s >= 500 && s < 600,
  matches: (e, m) => !(m.status === 503 && header(e, m.id, 'Retry-After') !== undefined),
  detail: retryAfter,
});
