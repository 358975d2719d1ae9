import { statusRule } from './status-rule.js';
import { header } from './sip-facts.js';

export const loop = statusRule({
  code: { code: 'loop', severity: 'error', description: '482 Loop Detected or 483 Too Many Hops: a routing loop' },
  statuses: (s) => s === 482 || s === 483,
  detail: (e, _m, t) => {
    const mf = t.request ? header(e, t.request.first.id, 'Max-Forwards') : undefined;
    return mf === undefined ? '' : `; the request had Max-Forwards ${mf.trim()}`;
  },
});
