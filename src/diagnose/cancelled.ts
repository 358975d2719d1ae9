import type { Rule } from './rule.js';
import { source } from './sip-facts.js';
import { invites, seconds } from './transactions.js';
import { CANCEL, has, mayHaveFailure } from './summary.js';

/** The caller gave up: CANCEL (or the 487 it causes). Says how long the call rang first. */
export const cancelled: Rule = {
  codes: [{ code: 'cancelled', severity: 'info', description: 'the caller cancelled the call before it was answered (CANCEL / 487)' }],
  mayFire: (s) => has(s, CANCEL) || mayHaveFailure(s, (status) => status === 487),
  check(e) {
    const cancel = e.messages.find((m) => m.method === 'CANCEL');
    const inviting = invites(e.transactions);
    const terminated = inviting.find((t) => t.final?.status === 487);
    const at = cancel ?? terminated?.final;
    if (!at) return [];
    const invite = inviting.find((t) => t.request && (cancel ? t.cseq === cancel.cseq : t === terminated))?.request?.first;
    const ringing = invite ? e.messages.find((m) => m.cseq === invite.cseq && m.cseqMethod === 'INVITE' && m.status >= 180 && m.status < 200) : undefined;
    const after = invite ? ` ${seconds(invite.ts, at.ts)} after the INVITE` : '';
    const rang = ringing ? `, ${seconds(ringing.ts, at.ts)} after ${ringing.status}` : ', before any ringing';
    return [{
      code: 'cancelled',
      severity: 'info',
      text: cancel ? `CANCEL from ${source(cancel)}${after}${invite ? rang : ''}` : `487 Request Terminated from ${source(at)}${after}`,
      message: at.id,
    }];
  },
};
