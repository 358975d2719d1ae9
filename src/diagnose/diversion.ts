import type { Finding } from '../model/finding.js';
import type { SipMessage } from '../model/sip.js';
import { parseNameAddr, parseUri } from '../sip/uri.js';
import type { DialogEvidence, Rule } from './rule.js';
import { carries, headers, statusText } from './sip-facts.js';
import { invites } from './transactions.js';

interface Diverter {
  text: string;
  malformed: boolean;
}

/** RFC 5806: name-addr with a sip/sips/tel URI naming a user, then ;reason=…;counter=N. */
function readDiversion(value: string): Diverter {
  const na = parseNameAddr(value);
  // Only the scheme and user: the header's parameters (reason, counter) are na's.
  const uri = parseUri(na.uri, false);
  const bracketsOk = !value.includes('<') || value.includes('>');
  const counter = na.params['counter'];
  const ok = bracketsOk && /^(sips?|tel)$/.test(uri.scheme) && uri.user !== '' && (counter === undefined || /^\d+$/.test(counter));
  if (!ok) return { text: `'${value.trim()}'`, malformed: true };
  const reason = na.params['reason'];
  const extra = [reason && `reason ${reason}`, counter && `counter ${counter}`].filter(Boolean).join(', ');
  return { text: `${uri.user}${extra ? ` (${extra})` : ''}`, malformed: false };
}

/** RFC 7044 entries: the user of each hi-targeted-to-uri and the cause in its Reason, when present. */
function readHistory(value: string): Diverter {
  const na = parseNameAddr(value, false);
  const uri = parseUri(na.uri.split('?')[0], false);
  const cause = /[?&]reason=[^&]*?cause%3d(\d+)/i.exec(na.uri)?.[1];
  return { text: `${uri.user || uri.host}${cause ? ` (cause ${cause})` : ''}`, malformed: false };
}

/** The diverting numbers of the first INVITE that carries any. */
function diverters(e: DialogEvidence): { at: SipMessage; list: Diverter[]; history: Diverter[] } | undefined {
  for (const t of invites(e.transactions)) {
    const invite = t.request?.first;
    if (!invite) continue;
    const list = headers(e, invite.id, 'Diversion').map(readDiversion);
    const history = headers(e, invite.id, 'History-Info').map(readHistory);
    if (list.length + history.length > 0) return { at: invite, list, history };
  }
  return undefined;
}

/**
 * A diverted call that fails is often refused for its Diversion (wrong number format, missing
 * header on a forward); a malformed Diversion is worth a warning on any call.
 */
export const diversion: Rule = {
  codes: [{ code: 'diversion', severity: 'warning', description: 'a call carrying Diversion / History-Info failed or was redirected (names the diverting numbers and reasons); also a malformed Diversion' }],
  mayFire: (s) => s.method === 'INVITE' && (carries(s, 'Diversion') || carries(s, 'History-Info')),
  check(e) {
    const found = diverters(e);
    if (!found) return [];
    const out: Finding[] = [];
    const bad = found.list.filter((d) => d.malformed);
    if (bad.length > 0) {
      out.push({ code: 'diversion', severity: 'warning', text: `malformed Diversion header ${bad.map((d) => d.text).join(', ')}`, message: found.at.id });
    }
    const final = invites(e.transactions).find((t) => t.request?.first === found.at)?.final;
    const names = [
      ...found.list.filter((d) => !d.malformed).map((d) => `Diversion ${d.text}`),
      ...found.history.map((d) => `History-Info ${d.text}`),
    ].filter((x, i, all) => all.indexOf(x) === i).join(', ');
    // A cancelled call (487) failed for its caller, not for its diversion.
    if (final && final.status >= 300 && final.status !== 487 && names !== '') {
      const failed = final.status >= 400;
      out.push({
        code: 'diversion',
        severity: failed ? 'warning' : 'info',
        text: `diverted call ${failed ? 'failed with' : 'redirected by'} ${statusText(e, final)}; ${names}`,
        message: final.id,
      });
    }
    return out;
  },
};
