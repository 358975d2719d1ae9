/** Rules that are about a final response code: one shape, so each rule file is its codes and its words. */
import type { Finding, Severity } from '../model/finding.js';
import type { SipMessage } from '../model/sip.js';
import type { DialogEvidence, FindingCode, Rule } from './rule.js';
import { calledUser, header, reasonOf, source, statusText } from './sip-facts.js';
import type { Transaction } from './transactions.js';
import { mayHaveFailure } from './summary.js';

const LOWER: Record<Severity, Severity> = { error: 'warning', warning: 'info', info: 'info' };

/** Whether the dialog's call got answered in the end (some INVITE got a 2xx). */
export function answered(e: DialogEvidence): boolean {
  return e.transactions.some((t) => t.method === 'INVITE' && t.final !== undefined && t.final.status >= 200 && t.final.status < 300);
}

export interface StatusRuleSpec {
  code: FindingCode;
  /** The final response codes of the rule (the summary tells without a look whether a dialog has one). */
  statuses(status: number): boolean;
  /** Whether such a response is the rule's after all (a look at its headers), when not every one is. */
  matches?(e: DialogEvidence, response: SipMessage): boolean;
  /** Extra words after the status and its Reason/Warning. */
  detail?(e: DialogEvidence, response: SipMessage, t: Transaction): string;
}

/**
 * A finding for the first final response the spec matches. A failure the call recovered from (a
 * later 2xx) or one to a request other than INVITE/REGISTER is one severity lower.
 */
export function statusRule(spec: StatusRuleSpec): Rule {
  return {
    codes: [spec.code],
    // Only a final response of 300 or more matches a spec, and never a challenge.
    mayFire: (s) => mayHaveFailure(s, spec.statuses),
    check(e) {
      for (const t of e.transactions) {
        const f = t.final;
        if (!f || !spec.statuses(f.status) || (spec.matches !== undefined && !spec.matches(e, f))) continue;
        const main = t.method === 'INVITE' || t.method === 'REGISTER';
        const severity = !main || (t.method === 'INVITE' && answered(e)) ? LOWER[spec.code.severity] : spec.code.severity;
        const to = t.request ? calledUser(e, t.request.first) : '';
        const finding: Finding = {
          code: spec.code.code,
          severity,
          text: `${statusText(e, f)} to ${t.method}${to ? ` for ${to}` : ''} from ${source(f)}${reasonOf(e, f)}` +
            (spec.detail?.(e, f, t) ?? ''),
          message: f.id,
        };
        return [finding];
      }
      return [];
    },
  };
}

/** ", Retry-After 60" when the response carries one. */
export function retryAfter(e: DialogEvidence, m: SipMessage): string {
  const v = header(e, m.id, 'Retry-After');
  return v === undefined ? '' : `, Retry-After ${v.trim()}`;
}
