import { statusRule } from './status-rule.js';

export const declined = statusRule({
  code: { code: 'declined', severity: 'info', description: '603 Decline: the callee refused the call' },
  statuses: (s) => s === 603,
});
