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

/**
 * How each transaction of the dialog being read was opened (its CSeq, method and request direction,
 * a response's reversed) and which of one CSeq a message made current last (stamps): scratch columns
 * reused by every call, as a dialog is read in one go and the engine reads some 30k of them. The
 * addresses and methods they hold are the store's shared strings: keeping them costs nothing.
 */
const hopCseq: number[] = [];
const hopMethod: string[] = [];
const hopSrc: string[] = [];
const hopDst: string[] = [];
const stamps: number[] = [];

/** The newest transaction opened on this hop, -1 for none. */
function byHop(n: number, cseq: number, method: string, src: string, dst: string): number {
  for (let k = n - 1; k >= 0; k--) {
    if (hopCseq[k] === cseq && hopMethod[k] === method && hopSrc[k] === src && hopDst[k] === dst) return k;
  }
  return -1;
}

/** The transaction of this CSeq and method a message made current last, -1 for none. */
function byCseq(n: number, cseq: number, method: string): number {
  let best = -1;
  for (let k = 0; k < n; k++) {
    if (stamps[k]! > 0 && hopCseq[k] === cseq && hopMethod[k] === method && (best < 0 || stamps[k]! > stamps[best]!)) best = k;
  }
  return best;
}

function open(out: Transaction[], t: Transaction, cseq: number, method: string, src: string, dst: string): void {
  const k = out.length;
  out.push(t);
  hopCseq[k] = cseq;
  hopMethod[k] = method;
  hopSrc[k] = src;
  hopDst[k] = dst;
  stamps[k] = 0;
}

export function transactionsOf(messages: readonly SipMessage[]): Transaction[] {
  // A dialog's transactions are few (MAX_MESSAGES bounds them): found again by a scan, newest first,
  // rather than by string keys in maps.
  const out: Transaction[] = [];
  let stamp = 0;
  for (const m of messages) {
    if (m.method !== '') {
      const k = byHop(out.length, m.cseq, m.cseqMethod, m.src, m.dst);
      let t = k < 0 ? undefined : out[k]!;
      if (t?.request && m.retrans) {
        resend(t.request, m);
        continue;
      }
      let at = k;
      if (!t || t.request) {
        // A new request under a CSeq already used on this hop (a forked or repeated copy with new bytes) is a new transaction.
        t = { method: m.method, cseq: m.cseq, responses: [] };
        at = out.length;
        open(out, t, m.cseq, m.cseqMethod, m.src, m.dst);
      }
      t.request = { first: m, copies: 1, last: m };
      stamps[at] = ++stamp;
      continue;
    }
    let k = byHop(out.length, m.cseq, m.cseqMethod, m.dst, m.src);
    if (k < 0) k = byCseq(out.length, m.cseq, m.cseqMethod);
    let t = k < 0 ? undefined : out[k]!;
    if (!t) {
      t = { method: m.cseqMethod, cseq: m.cseq, responses: [] };
      open(out, t, m.cseq, m.cseqMethod, m.dst, m.src);
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
