import { statusRule } from './status-rule.js';

export const declined = statusRule({
  code: { code: 'declined', severity: 'info', description: '603 Decline: the callee refused the call' },
  matches: (s) => s === 603,
});
