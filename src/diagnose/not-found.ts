import { statusRule } from './status-rule.js';

export const notFound = statusRule({
  code: { code: 'not-found', severity: 'warning', description: '404 Not Found, 484 Address Incomplete or 604 Does Not Exist Anywhere: a wrong or incomplete number' },
  statuses: (s) => s === 404 || s === 484 || s === 604,
});
