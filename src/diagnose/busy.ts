import { statusRule } from './status-rule.js';

export const busy = statusRule({
  code: { code: 'busy', severity: 'info', description: '486 Busy Here or 600 Busy Everywhere' },
  statuses: (s) => s === 486 || s === 600,
});
