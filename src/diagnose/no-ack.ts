import type { Finding } from '../model/finding.js';
import type { Rule } from './rule.js';
import { header, source } from './sip-facts.js';
import { invites, seconds } from './transactions.js';
import { isPrivateAddress } from './addresses.js';
import { parseNameAddr, parseUri } from '../sip/uri.js';
import { ANSWERED, BYE, has, MAY_LACK_ACK, RESP_RETRANS } from './summary.js';

/** A UAS gives up on its unacknowledged 2xx after 64*T1 = 32 s and hangs up: a BYE in this window is that. */
const DROP_FROM_NS = 28_000_000_000n;
const DROP_TO_NS = 40_000_000_000n;
const WAITED_NS = 4_000_000_000n;

function contactHint(contact: string | undefined): string {
  if (!contact) return '';
  const host = parseUri(parseNameAddr(contact, false).uri, false).host.replace(/^\[|\]$/g, '');
  return `; the 200 OK's Contact is ${contact.trim()}${isPrivateAddress(host) ? ' (a private address)' : ''}`;
}

/**
 * The 2xx to an INVITE is retransmitted until the ACK arrives; when the ACK never reaches the UAS
 * (NAT, a wrong Contact or Record-Route), it resends the 2xx for 32 s and then hangs up.
 */
export const noAck: Rule = {
  codes: [
    { code: 'no-ack', severity: 'error', description: 'a 2xx to INVITE was retransmitted and no ACK was seen' },
    { code: 'dropped-after-32s', severity: 'error', description: 'BYE about 32 s after the 200 OK with the ACK missing: the classic NAT / Record-Route / Contact fault' },
  ],
  // A missing ACK counts only for a 2xx that was resent, or one a BYE followed.
  mayFire: (s) => has(s, ANSWERED) && has(s, MAY_LACK_ACK) && has(s, RESP_RETRANS | BYE),
  check(e) {
    const out: Finding[] = [];
    for (const t of invites(e.transactions)) {
      const ok = t.responses.find((r) => r.first.status >= 200 && r.first.status < 300);
      if (!ok) continue;
      if (e.messages.some((m) => m.method === 'ACK' && m.cseq === t.cseq)) continue;
      const sent = ok.first;
      const bye = e.messages.find((m) => m.method === 'BYE' && m.ts > sent.ts);
      const after = bye ? bye.ts - sent.ts : -1n;
      const copies = ok.copies > 1 ? `, sent ${ok.copies} times,` : '';
      if (bye && after >= DROP_FROM_NS && after <= DROP_TO_NS) {
        out.push({
          code: 'dropped-after-32s',
          severity: 'error',
          text: `BYE from ${source(bye)} ${seconds(sent.ts, bye.ts)} after the 200 OK${copies} and no ACK seen: ` +
            `the ACK did not reach ${source(sent)}${contactHint(header(e, sent.id, 'Contact'))}`,
          message: bye.id,
        });
      } else if (ok.copies >= 2 && (e.ended || e.now - sent.ts >= WAITED_NS)) {
        out.push({
          code: 'no-ack',
          severity: 'error',
          text: `200 OK from ${source(sent)} sent ${ok.copies} times over ${seconds(sent.ts, ok.last.ts)}, no ACK seen` +
            contactHint(header(e, sent.id, 'Contact')),
          message: sent.id,
        });
      }
      if (out.length > 0) break;
    }
    return out;
  },
};
