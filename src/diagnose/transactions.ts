/**
 * A dialog's messages grouped into transactions (request, its copies, its responses), from the
 * store's columns alone. Proxies forward a request hop by hop under the same Call-ID and CSeq, so a
 * transaction is one hop: requests keyed by CSeq, method and IP pair, responses by the reverse pair.
 */
import type { SipMessage } from '../model/sip.js';

/** Copies closer than this are the capture seeing one packet twice (bridges, "any"), not a resend: T1 is 500 ms. */
export const CAPTURE_DUPLICATE_NS = 20_000_000n;

export interface SentMessage {
  /** The first copy. */
  first: SipMessage;
  /** Copies sent, the first included (capture duplicates not counted). */
  copies: number;
  last: SipMessage;
}

export interface Transaction {
  method: string;
  cseq: number;
  /** The request as first seen; undefined when the capture starts with its responses. */
  request?: SentMessage;
  /** Each distinct response in order of arrival, retransmissions folded in. */
  responses: SentMessage[];
  /** The first final (>= 200) response. */
  final?: SipMessage;
}

function ipKey(m: SipMessage, reverse: boolean): string {
  return `${m.cseq}|${m.cseqMethod}|${reverse ? m.dst : m.src}|${reverse ? m.src : m.dst}`;
}

function resend(s: SentMessage, m: SipMessage): void {
  if (m.ts - s.last.ts >= CAPTURE_DUPLICATE_NS) s.copies++;
  s.last = m;
}

export function transactionsOf(messages: readonly SipMessage[]): Transaction[] {
  const out: Transaction[] = [];
  const byKey = new Map<string, Transaction>();
  const byCseq = new Map<string, Transaction>();
  for (const m of messages) {
    if (m.method !== '') {
      const key = ipKey(m, false);
      let t = byKey.get(key);
      if (t?.request && m.retrans) {
        resend(t.request, m);
        continue;
      }
      if (!t || t.request) {
        // A new request under a CSeq already used on this hop (a forked or repeated copy with new bytes) is a new transaction.
        t = { method: m.method, cseq: m.cseq, responses: [] };
        out.push(t);
        byKey.set(key, t);
      }
      t.request = { first: m, copies: 1, last: m };
      byCseq.set(`${m.cseq}|${m.cseqMethod}`, t);
      continue;
    }
    let t = byKey.get(ipKey(m, true)) ?? byCseq.get(`${m.cseq}|${m.cseqMethod}`);
    if (!t) {
      t = { method: m.cseqMethod, cseq: m.cseq, responses: [] };
      out.push(t);
      byKey.set(ipKey(m, true), t);
      byCseq.set(`${m.cseq}|${m.cseqMethod}`, t);
    }
    const same = m.retrans ? t.responses.find((r) => r.first.status === m.status && r.first.src === m.src) : undefined;
    if (same) resend(same, m);
    else t.responses.push({ first: m, copies: 1, last: m });
    if (m.status >= 200 && !t.final) t.final = m;
  }
  return out;
}

/** The INVITE transactions, in order. */
export function invites(ts: readonly Transaction[]): Transaction[] {
  return ts.filter((t) => t.method === 'INVITE');
}

/** Seconds between two capture times, one decimal ("7.5 s"). */
export function seconds(from: bigint, to: bigint): string {
  const s = Number(to - from) / 1e9;
  return `${s < 10 ? s.toFixed(1) : Math.round(s)} s`;
}

/** ip:port as the JSON and list show it. */
export function hostPort(ip: string, port: number): string {
  return ip.includes(':') ? `[${ip}]:${port}` : `${ip}:${port}`;
}
