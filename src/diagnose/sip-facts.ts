/** What rules read out of single messages: header values straight from their bytes, the rest through the evidence's (cached) parse. */
import type { MessageId } from '../model/ids.js';
import type { SipMessage } from '../model/sip.js';
import { MASKED_HEADERS, maskBit } from '../sip/message.js';
import { splitHeaderList } from '../sip/headers.js';
import { parseUri } from '../sip/uri.js';
import type { SdpFacts } from '../sip/sdp-facts.js';
import type { DialogEvidence } from './rule.js';
import { hostPort } from './transactions.js';
import { headerValueIn, headerValuesIn } from './header-bytes.js';

/** False when the message surely lacks the header (one of MASKED_HEADERS it does not carry): no parse needed to know. */
function mayCarry(e: DialogEvidence, id: MessageId, name: string): boolean {
  const bit = maskBit(name);
  return bit < 0 || (e.headerMaskOf(id) & (1 << bit)) !== 0;
}

export function header(e: DialogEvidence, id: MessageId, name: string): string | undefined {
  return mayCarry(e, id, name) ? headerValueIn(e.bytes(id), name) : undefined;
}

export function headers(e: DialogEvidence, id: MessageId, name: string): string[] {
  return mayCarry(e, id, name) ? headerValuesIn(e.bytes(id), name) : [];
}

/** The SDP of a message (whole body or its first SDP part), undefined when it carries none. */
export function sdpOf(e: DialogEvidence, m: SipMessage): SdpFacts | undefined {
  return m.hasSdp ? e.sdp(m.id) : undefined;
}

/** "488 Not Acceptable Here" (the phrase as the response wrote it). */
export function statusText(e: DialogEvidence, m: SipMessage): string {
  const phrase = e.reasonPhrase(m.id).trim();
  return phrase === '' ? String(m.status) : `${m.status} ${phrase}`;
}

export function source(m: SipMessage): string {
  return hostPort(m.src, m.sport);
}

export function target(m: SipMessage): string {
  return hostPort(m.dst, m.dport);
}

/** Codecs that carry no media of their own: they cannot be the common codec of a call. */
export function isAuxiliary(name: string): boolean {
  return /^(telephone-event|cn|red|ulpfec|rtx|comfort-noise)$/i.test(name);
}

/** The "Reason" and "Warning" headers of a message, for the text of a failure. */
export function reasonOf(e: DialogEvidence, m: SipMessage): string {
  // Both are list headers (split at commas as headerValues does): one line needs no parse.
  const alone = e.reasonHeader(m.id);
  const values = alone === undefined ? [...headers(e, m.id, 'Warning'), ...headers(e, m.id, 'Reason')] : alone === '' ? [] : splitHeaderList(alone);
  const parts = values.map((v) => v.trim()).filter((v) => v !== '');
  return parts.length === 0 ? '' : ` (${parts.join('; ')})`;
}

/** The user part of the Request-URI or To of a request: whom it was for. */
export function calledUser(e: DialogEvidence, m: SipMessage): string {
  // The dialog keeps its first request's Request-URI: no parse for the usual case.
  const ruri = m.id === e.messages[0]?.id && m.method !== '' ? e.dialog.ruri : e.parsed(m.id).ruri;
  const user = parseUri(ruri, false).user;
  return user !== '' ? user : e.dialog.toUser;
}

/** Whether some message of the dialog carries the header (one of MASKED_HEADERS), without parsing any. */
export function carries(e: { readonly headerMask: number }, name: string): boolean {
  const bit = MASKED_HEADERS.indexOf(name);
  return bit >= 0 && (e.headerMask & (1 << bit)) !== 0;
}
