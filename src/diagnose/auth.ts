import type { Finding } from '../model/finding.js';
import type { SipMessage } from '../model/sip.js';
import type { DialogEvidence, Rule } from './rule.js';
import { header, source } from './sip-facts.js';
import type { Transaction } from './transactions.js';
import { AUTH_OPEN, has } from './summary.js';

/** Challenges in a row, every one answering credentials, before it is a loop rather than a retry. */
const LOOP_CHALLENGES = 3;

const isChallenge = (s: number): boolean => s === 401 || s === 407;

/** The username of the request's credentials, '' when it carries none, undefined when it has no credentials at all. */
function credentials(e: DialogEvidence, m: SipMessage): string | undefined {
  const v = header(e, m.id, 'Authorization') ?? header(e, m.id, 'Proxy-Authorization');
  if (v === undefined) return undefined;
  return /username\s*=\s*"([^"]*)"/i.exec(v)?.[1] ?? '';
}

function user(name: string | undefined): string {
  return name ? ` for user '${name}'` : '';
}

/**
 * Digest authentication that never succeeds: credentials answered by another challenge or a 403
 * (auth-failed), or a request challenged again and again (auth-loop, e.g. a REGISTER loop).
 */
export const auth: Rule = {
  codes: [
    { code: 'auth-failed', severity: 'error', description: 'a 401/407 challenge was never followed by success: credentials rejected or never sent' },
    { code: 'auth-loop', severity: 'error', description: 'the same request was challenged again and again (401/407 answering credentials)' },
  ],
  // Every finding here follows a challenge that no success answered (or a run of them).
  mayFire: (s) => has(s, AUTH_OPEN),
  check(e) {
    const byMethod = new Map<string, Transaction[]>();
    for (const t of e.transactions) {
      if (!t.final || !t.request || t.method === 'ACK' || t.method === 'CANCEL') continue;
      let list = byMethod.get(t.method);
      if (!list) byMethod.set(t.method, (list = []));
      list.push(t);
    }
    const out: Finding[] = [];
    for (const [method, list] of byMethod) {
      if (!list.some((t) => isChallenge(t.final!.status))) continue;
      let row = 0;
      let worstRow = 0;
      let loopAt: SipMessage | undefined;
      let rejected: { t: Transaction; name: string | undefined } | undefined;
      let lastChallenge: Transaction | undefined;
      for (const t of list) {
        const s = t.final!.status;
        if (s >= 200 && s < 300) {
          row = 0;
          rejected = undefined;
          lastChallenge = undefined;
          continue;
        }
        const name = credentials(e, t.request!.first);
        if (isChallenge(s)) {
          lastChallenge = t;
          if (name !== undefined) {
            row++;
            rejected = { t, name };
            if (row > worstRow) [worstRow, loopAt] = [row, t.final];
          }
        } else if (s === 403 && name !== undefined) {
          rejected = { t, name };
        } else {
          // Any other answer got past authentication (or needed none): what failed then is another rule's.
          row = 0;
          rejected = undefined;
          lastChallenge = undefined;
        }
      }
      if (worstRow >= LOOP_CHALLENGES && loopAt) {
        out.push({
          code: 'auth-loop',
          severity: 'error',
          text: `${method} credentials${user(rejected?.name)} challenged ${worstRow} times in a row by ${source(loopAt)}, never accepted`,
          message: loopAt.id,
        });
      } else if (rejected) {
        const f = rejected.t.final!;
        out.push({
          code: 'auth-failed',
          severity: 'error',
          text: `${method} credentials${user(rejected.name)} answered with ${f.status} by ${source(f)}, no success after it`,
          message: f.id,
        });
      } else if (lastChallenge && e.ended) {
        const f = lastChallenge.final!;
        out.push({
          code: 'auth-failed',
          // The retry may use a new Call-ID, or fall after the capture: worth knowing, not an alarm.
          severity: 'info',
          text: `${method} challenged with ${f.status} by ${source(f)} and not sent again with credentials in this dialog`,
          message: f.id,
        });
      }
    }
    return out;
  },
};
