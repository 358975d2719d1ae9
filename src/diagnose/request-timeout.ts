import { statusRule } from './status-rule.js';

export const requestTimeout = statusRule({
  code: { code: 'request-timeout', severity: 'error', description: '408 Request Timeout: a server downstream got no answer in time' },
  statuses: (s) => s === 408,
});
