import { retryAfter, statusRule } from './status-rule.js';
import { header } from './sip-facts.js';

/** 5xx, except a 503 with Retry-After, which is unavailable (a planned, temporary refusal). */
export const serverError = statusRule({
  code: { code: 'server-error', severity: 'error', description: 'a 5xx response: the server or a gateway behind it failed' },
  matches: (s, e, m) => s >= 500 && s < 600 && !(s === 503 && header(e, m.id, 'Retry-After') !== undefined),
  detail: retryAfter,
});
