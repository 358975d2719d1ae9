/** What rules read out of single messages, through the evidence's (cached) parse. */
import type { MessageId } from '../model/ids.js';
import type { SipMessage } from '../model/sip.js';
import { bodyParts, headerValue, headerValues, MASKED_HEADERS, type SipEntity } from '../sip/message.js';
import { parseUri } from '../sip/uri.js';
import { parseSdp, type SdpMedia, type SdpSession } from '../sip/sdp.js';
import type { DialogEvidence } from './rule.js';
import { hostPort } from './transactions.js';

export function header(e: DialogEvidence, id: MessageId, name: string): string | undefined {
  return headerValue(e.parsed(id), name);
}

export function headers(e: DialogEvidence, id: MessageId, name: string): string[] {
  return headerValues(e.parsed(id), name);
}

function isSdp(entity: SipEntity): boolean {
  return /^\s*application\/sdp/i.test(headerValue(entity, 'Content-Type') ?? '');
}

/** The SDP body of a message (whole body or a multipart part), undefined when it carries none. */
export function sdpOf(e: DialogEvidence, m: SipMessage): SdpSession | undefined {
  if (!m.hasSdp) return undefined;
  const p = e.parsed(m.id);
  const part = isSdp(p) ? p : bodyParts(p).find(isSdp);
  return part ? parseSdp(part.buf.toString('utf8', part.bodyStart, part.bodyEnd)) : undefined;
}

/** "488 Not Acceptable Here" (the phrase as the response wrote it). */
export function statusText(e: DialogEvidence, m: SipMessage): string {
  const phrase = e.parsed(m.id).reasonPhrase.trim();
  return phrase === '' ? String(m.status) : `${m.status} ${phrase}`;
}

export function source(m: SipMessage): string {
  return hostPort(m.src, m.sport);
}

export function target(m: SipMessage): string {
  return hostPort(m.dst, m.dport);
}

/** Static payload types (RFC 3551) by number, for m= lines without a=rtpmap. */
const STATIC_CODECS: Readonly<Record<string, string>> = {
  '0': 'PCMU', '3': 'GSM', '4': 'G723', '8': 'PCMA', '9': 'G722', '13': 'CN', '15': 'G728', '18': 'G729', '34': 'H263',
};

/** Codec names of an m= line in offer order ("PCMU", "opus/48000/2" shown as "opus"). */
export function codecNames(m: SdpMedia): string[] {
  if (m.media === 'image') return m.formats.map((f) => f.toLowerCase());
  return m.formats.map((f) => m.rtpmap.get(f)?.encoding || STATIC_CODECS[f] || `PT ${f}`);
}

/** Codecs that carry no media of their own: they cannot be the common codec of a call. */
export function isAuxiliary(name: string): boolean {
  return /^(telephone-event|cn|red|ulpfec|rtx|comfort-noise)$/i.test(name);
}

/** The "Reason" and "Warning" headers of a message, for the text of a failure. */
export function reasonOf(e: DialogEvidence, m: SipMessage): string {
  const parts = [...headers(e, m.id, 'Warning'), ...headers(e, m.id, 'Reason')].map((v) => v.trim()).filter((v) => v !== '');
  return parts.length === 0 ? '' : ` (${parts.join('; ')})`;
}

/** The user part of the Request-URI or To of a request: whom it was for. */
export function calledUser(e: DialogEvidence, m: SipMessage): string {
  const user = parseUri(e.parsed(m.id).ruri).user;
  return user !== '' ? user : e.dialog.toUser;
}

/** Whether some message of the dialog carries the header (one of MASKED_HEADERS), without parsing any. */
export function carries(e: DialogEvidence, name: string): boolean {
  const bit = MASKED_HEADERS.indexOf(name);
  return bit >= 0 && (e.headerMask & (1 << bit)) !== 0;
}
