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

function resend(s: SentMessage, m: SipMessage): void {
  if (m.ts - s.last.ts >= CAPTURE_DUPLICATE_NS) s.copies++;
  s.last = m;
}

/** Where a transaction is found again: the CSeq, its method and the request's direction (a response's reversed). */
interface Hop {
  cseq: number;
  method: string;
  src: string;
  dst: string;
}

export function transactionsOf(messages: readonly SipMessage[]): Transaction[] {
  // A dialog's transactions are few (MAX_MESSAGES bounds them): found again by a scan, newest first,
  // rather than by string keys in maps. `hops[k]` is how out[k] was opened; `byCseq` stamps say which
  // transaction of a CSeq a request or response-opened transaction made current last.
  const out: Transaction[] = [];
  const hops: Hop[] = [];
  const stamps: number[] = [];
  let stamp = 0;
  const byHop = (cseq: number, method: string, src: string, dst: string): Transaction | undefined => {
    for (let k = out.length - 1; k >= 0; k--) {
      const h = hops[k]!;
      if (h.cseq === cseq && h.method === method && h.src === src && h.dst === dst) return out[k];
    }
    return undefined;
  };
  const byCseq = (cseq: number, method: string): Transaction | undefined => {
    let best = -1;
    for (let k = 0; k < out.length; k++) {
      if (stamps[k]! > 0 && hops[k]!.cseq === cseq && hops[k]!.method === method && (best < 0 || stamps[k]! > stamps[best]!)) best = k;
    }
    return best < 0 ? undefined : out[best];
  };
  const open = (t: Transaction, hop: Hop): void => {
    out.push(t);
    hops.push(hop);
    stamps.push(0);
  };
  for (const m of messages) {
    if (m.method !== '') {
      let t = byHop(m.cseq, m.cseqMethod, m.src, m.dst);
      if (t?.request && m.retrans) {
        resend(t.request, m);
        continue;
      }
      if (!t || t.request) {
        // A new request under a CSeq already used on this hop (a forked or repeated copy with new bytes) is a new transaction.
        t = { method: m.method, cseq: m.cseq, responses: [] };
        open(t, { cseq: m.cseq, method: m.cseqMethod, src: m.src, dst: m.dst });
      }
      t.request = { first: m, copies: 1, last: m };
      stamps[out.indexOf(t)] = ++stamp;
      continue;
    }
    let t = byHop(m.cseq, m.cseqMethod, m.dst, m.src) ?? byCseq(m.cseq, m.cseqMethod);
    if (!t) {
      t = { method: m.cseqMethod, cseq: m.cseq, responses: [] };
      open(t, { cseq: m.cseq, method: m.cseqMethod, src: m.dst, dst: m.src });
      stamps[out.length - 1] = ++stamp;
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
