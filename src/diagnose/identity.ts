/** Calling identities of a request and how their numbers are written: the usual cause of a 403 is the Caller-ID format. */
import type { SipMessage } from '../model/sip.js';
import { parseNameAddr, parseUri } from '../sip/uri.js';
import type { DialogEvidence } from './rule.js';
import { headers } from './sip-facts.js';

/** How a number is written, in the words an engineer checks a trunk's rules against. */
export function numberFormat(user: string): string {
  const digits = user.replace(/[-.() ]/g, '');
  if (/^\+\d{6,15}$/.test(digits)) return 'E.164 with +';
  if (/^\+/.test(digits)) return 'with + but not E.164';
  if (/^00\d+$/.test(digits)) return 'international with 00 prefix';
  if (/^0\d+$/.test(digits)) return 'national with 0 prefix';
  const prefix = /^([*#]\d+#?)(\+?\d+)$/.exec(digits);
  if (prefix) return `with prefix ${prefix[1]}`;
  if (/^\d{1,6}$/.test(digits)) return 'short number / extension';
  if (/^\d+$/.test(digits)) return `${digits.length} digits, no + or prefix`;
  if (digits === '') return 'empty';
  if (/^anonymous$/i.test(digits)) return 'anonymous';
  return 'not a number';
}

const IDENTITY_HEADERS: readonly [string, string][] = [
  ['From', 'From'], ['P-Asserted-Identity', 'PAI'], ['P-Preferred-Identity', 'PPI'], ['Remote-Party-ID', 'RPID'],
];

/** "From 0301234567 (national with 0 prefix), PAI +49301234567 (E.164 with +)". */
export function callingIdentities(e: DialogEvidence, request: SipMessage): string {
  const seen: string[] = [];
  for (const [name, short] of IDENTITY_HEADERS) {
    for (const value of headers(e, request.id, name)) {
      const uri = parseUri(parseNameAddr(value, false).uri, false);
      const user = uri.user !== '' ? uri.user : uri.host;
      seen.push(`${short} ${user === '' ? '(none)' : user} (${numberFormat(uri.user)})`);
    }
  }
  return seen.join(', ');
}
