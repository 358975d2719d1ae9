import type { DialogId, MessageId } from '../model/ids.js';
import type { StartLineView } from '../model/message-view.js';
import type { SipMessage } from '../model/sip.js';
import type { StreamRow } from './flow-media.js';
import type { FlowSdp } from './flow-sdp.js';

/** Rows of the ladder that are no SIP message: a fax's T.30 frames and pages, RTP streams, RFC 4733 key presses, HEP agents' logs. */
export type SyntheticKind = 'fax' | 'rtp' | 'dtmf' | 'log';

export interface SyntheticRow {
  kind: SyntheticKind;
  /** Stays the same while the row's figures grow (a live stream), so the cursor can stay on it. */
  key: string;
}

/** One arrow of the ladder: what the call-flow presenter needs to know about a message. */
export interface FlowMessage {
  /** The message in the store. */
  id: MessageId;
  /** Capture time, ns since the Unix epoch. */
  ts: bigint;
  /** Addresses as `ip:port` (`[ip6]:port` for IPv6). */
  src: string;
  dst: string;
  /** Method for requests, status and reason ("200 OK") for responses. */
  label: string;
  request: boolean;
  status: number;
  cseq: number;
  hasSdp: boolean;
  /** The SDP's media and what it changes (hold, resume, T.38), once read; the arrow says "(SDP)" until then. */
  sdp?: FlowSdp;
  retrans: boolean;
  dialog: DialogId;
  /**
   * Set on a row that is not a SIP message (a T.30 frame, an RTP stream, a key press): `id` then
   * names the dialog's first message and must not be read as this row's bytes.
   */
  synthetic?: SyntheticRow;
  /** An RTP row's figures (its label is fitted from them). */
  stream?: StreamRow;
  /** The key a SIP INFO carried. */
  dtmf?: string | undefined;
}

/** True for a row that stands for a SIP message (not a fax, RTP or DTMF row). */
export function isSipRow(m: FlowMessage): boolean {
  return m.synthetic === undefined;
}

/** `ip:port`, with IPv6 hosts in brackets so the port stays unambiguous. */
export function addressText(ip: string, port: number): string {
  return ip.includes(':') ? `[${ip}]:${port}` : `${ip}:${port}`;
}

/** The host part of an `ip:port` address. */
export function hostOf(address: string): string {
  if (address.startsWith('[')) {
    const end = address.indexOf(']');
    return end > 0 ? address.slice(1, end) : address;
  }
  const colon = address.lastIndexOf(':');
  return colon > 0 ? address.slice(0, colon) : address;
}

/**
 * A store message as a ladder arrow; a response is labelled with the status and reason of its start
 * line (from the store's message view, read only for the rows on screen), else with its status alone.
 */
export function flowMessageFrom(m: SipMessage, start?: StartLineView): FlowMessage {
  const request = m.status === 0;
  let label = m.method;
  if (!request) {
    const reason = start?.reason.trim() ?? '';
    label = reason === '' ? String(m.status) : `${m.status} ${reason}`;
  }
  return {
    id: m.id,
    ts: m.ts,
    src: addressText(m.src, m.sport),
    dst: addressText(m.dst, m.dport),
    label,
    request,
    status: m.status,
    cseq: m.cseq,
    hasSdp: m.hasSdp,
    retrans: m.retrans,
    dialog: m.dialog,
  };
}

/**
 * The messages of several dialogs as one ladder (the extended flow of dialogs linked by X-Call-ID),
 * in capture-time order; equal times keep store order.
 */
export function mergeFlows(dialogs: readonly (readonly FlowMessage[])[]): FlowMessage[] {
  return dialogs.flat().sort((a, b) => (a.ts < b.ts ? -1 : a.ts > b.ts ? 1 : a.id - b.id));
}
