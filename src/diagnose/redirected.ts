import { statusRule } from './status-rule.js';
import { header } from './sip-facts.js';

export const redirected = statusRule({
  code: { code: 'redirected', severity: 'info', description: 'a 3xx answer sent the call elsewhere (names the new target)' },
  statuses: (s) => s >= 300 && s < 400,
  detail: (e, m) => {
    const contact = header(e, m.id, 'Contact');
    return contact ? `; new target ${contact.trim()}` : '';
  },
});
