import type { Finding } from '../model/finding.js';
import type { Rule } from './rule.js';
import { calledUser, target } from './sip-facts.js';
import { seconds } from './transactions.js';
import { has, REQ_RETRANS } from './summary.js';

/** Below this many copies a missing answer may just be the capture ending early. */
const MIN_COPIES = 3;
const WAITED_NS = 4_000_000_000n;

/** Timer B/F: the request went out again and again and nothing came back, the unreachable-peer / NAT / firewall case. */
export const noResponse: Rule = {
  codes: [{ code: 'no-response', severity: 'error', description: 'a request was retransmitted and never answered (timer B/F): peer unreachable, NAT or firewall' }],
  mayFire: (s) => has(s, REQ_RETRANS),
  check(e) {
    const out: Finding[] = [];
    for (const t of e.transactions) {
      const r = t.request;
      if (!r || t.method === 'ACK' || t.responses.length > 0 || r.copies < 2) continue;
      if (r.copies < MIN_COPIES && e.now - r.first.ts < WAITED_NS) continue;
      const to = calledUser(e, r.first);
      out.push({
        code: 'no-response',
        severity: t.method === 'INVITE' || t.method === 'REGISTER' ? 'error' : 'warning',
        text: `${t.method}${to ? ` to ${to}` : ''} sent ${r.copies} times over ${seconds(r.first.ts, r.last.ts)} with no response from ${target(r.first)}`,
        message: r.first.id,
      });
      break;
    }
    return out;
  },
};
