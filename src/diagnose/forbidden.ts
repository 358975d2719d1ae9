import type { Rule } from './rule.js';
import { callingIdentities } from './identity.js';
import { reasonOf, source, statusText } from './sip-facts.js';
import { mayHaveFailure } from './summary.js';

/** A 403 usually means the calling identity (or its format) is not allowed on that trunk, so the text lists them. */
export const forbidden: Rule = {
  codes: [{ code: 'forbidden', severity: 'error', description: '403 Forbidden; the text names the calling identities (From, PAI, PPI, RPID) and how they are written' }],
  mayFire: (s) => mayHaveFailure(s, (status) => status === 403),
  check(e) {
    for (const t of e.transactions) {
      const r = t.responses.find((x) => x.first.status === 403);
      if (!r) continue;
      const request = t.request?.first ?? e.messages.find((m) => m.method === t.method);
      // Only a call or a message has a calling identity a trunk checks; a refused REGISTER is about its account.
      const calls = t.method === 'INVITE' || t.method === 'MESSAGE';
      const who = request && calls ? callingIdentities(e, request) : '';
      return [{
        code: 'forbidden',
        severity: 'error',
        text: `${statusText(e, r.first)} to ${t.method} from ${source(r.first)}${reasonOf(e, r.first)}` +
          (who ? `; calling identities: ${who}` : calls ? '' : ` for ${e.dialog.fromUser || 'an unnamed user'}`),
        message: r.first.id,
      }];
    }
    return [];
  },
};
