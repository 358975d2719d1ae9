import type { Rule } from './rule.js';
import { source, target } from './sip-facts.js';
import { seconds } from './transactions.js';
import { has, REQ_RETRANS, RESP_RETRANS } from './summary.js';

const MIN_RETRANSMISSIONS = 3;

/** Answered in the end, but only after several resends: a lossy or slow path. (Unanswered ones are no-response.) */
export const retransmissions: Rule = {
  codes: [{ code: 'retransmissions', severity: 'warning', description: 'a request (or a 2xx to INVITE) was retransmitted 3 times or more before it was answered: a lossy path' }],
  mayFire: (s) => has(s, REQ_RETRANS | RESP_RETRANS),
  check(e) {
    for (const t of e.transactions) {
      const r = t.request;
      if (r && t.method !== 'ACK' && t.responses.length > 0 && r.copies - 1 >= MIN_RETRANSMISSIONS) {
        return [{
          code: 'retransmissions',
          severity: 'warning',
          text: `${t.method} to ${target(r.first)} retransmitted ${r.copies - 1} times over ${seconds(r.first.ts, r.last.ts)} before ${source(t.responses[0].first)} answered with ${t.responses[0].first.status}`,
          message: r.first.id,
        }];
      }
      const ok = t.method === 'INVITE' ? t.responses.find((x) => x.first.status >= 200 && x.first.status < 300) : undefined;
      if (ok && ok.copies - 1 >= MIN_RETRANSMISSIONS && e.messages.some((m) => m.method === 'ACK' && m.cseq === t.cseq)) {
        return [{
          code: 'retransmissions',
          severity: 'warning',
          text: `200 OK from ${source(ok.first)} retransmitted ${ok.copies - 1} times over ${seconds(ok.first.ts, ok.last.ts)} before the ACK came`,
          message: ok.first.id,
        }];
      }
    }
    return [];
  },
};
