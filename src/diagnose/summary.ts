/**
 * What a dialog has shown, in a few bits read in one pass over its messages' columns when the
 * engine looks at it (no message object, no parse, nothing kept per dialog between looks). Each
 * rule says from this summary whether it may find anything (Rule.mayFire); the engine builds a
 * dialog's full evidence only when one may, so the many calls that went well cost that one pass
 * instead of one over message and transaction objects.
 *
 * The bits only ever get set, so a dialog a rule had no reason to read never had a finding of it.
 * They are conservative: a bit may be set where the rule then finds nothing, never the reverse.
 */
import type { DialogId, MessageId } from '../model/ids.js';
import { TIME_SLACK_NS, type MessageFacts } from '../model/sip.js';
import type { SdpFacts } from '../sip/sdp-facts.js';
import type { ListIndexView } from '../store/dialog-columns.js';
import { isPublicAddress } from './addresses.js';
import { answerFitsOffer } from './codec-fit.js';

/** A request was retransmitted (same bytes again). */
export const REQ_RETRANS = 1 << 0;
/** A response was retransmitted. */
export const RESP_RETRANS = 1 << 1;
/** A 401/407 or a 403 with no 2xx of the challenged method after it, or challenges of two methods, or three challenges. */
export const AUTH_OPEN = 1 << 3;
export const CANCEL = 1 << 4;
export const BYE = 1 << 5;
/** A 2xx to an INVITE. */
export const ANSWERED = 1 << 6;
/** Some 2xx to INVITE may lack its ACK (none came after it). */
export const MAY_LACK_ACK = 1 << 7;
/** An INVITE's first 18x/2xx may have come later than the setup threshold after it. */
export const SLOW = 1 << 8;
/** A 2xx with SDP to INVITE/UPDATE that may share no codec with its offer (or whose offer is not the one followed here). */
export const CODEC_DOUBT = 1 << 9;
/** A message (not a retransmission) from a public address. */
export const FROM_PUBLIC = 1 << 10;
/** A message whose Via may carry received= (SipScan.viaReceived). */
export const VIA_RECEIVED = 1 << 11;
/** A request whose CSeq names another method: transactions may pair up in ways these bits do not follow. */
export const ODD = 1 << 12;
/** The state below follows one INVITE transaction (the latest CSeq's) and one INVITE/UPDATE offer at a time. */
const INVITED = 1 << 16;
const PROGRESSED = 1 << 17;
/** An ACK with the CSeq of the latest 2xx to INVITE came after it. */
const ACKED = 1 << 18;
/** A 2xx to INVITE of an earlier CSeq had no ACK after it when the next came. */
const UNACKED = 1 << 19;
const OFFER = 1 << 20;
const OFFER_SDP = 1 << 21;
const OFFER_UPDATE = 1 << 22;
const CHALLENGED = 1 << 24;
/** Challenges counted up to three: bits 25 and 26. */
const CHALLENGE_ONE = 1 << 25;
const CHALLENGES = 3 << 25;
/** AUTH_OPEN stays set. */
const AUTH_STUCK = 1 << 27;
/** The challenged method was sent again (retryCseq) after the latest challenge. */
const RETRIED = 1 << 28;

export type Writable<T> = { -readonly [K in keyof T]: T[K] };

/** What Rule.mayFire reads: the bits above and a few counts known without reading any message. */
export interface DialogSummary {
  readonly flags: number;
  /** The one code of the responses of 300 or more other than challenges, 0 when there were none, -1 when several. */
  readonly failure: number;
  /** OR of the messages' header-presence bits (as DialogEvidence.headerMask). */
  readonly headerMask: number;
  readonly method: string;
  readonly streams: number;
  readonly faxFindings: number;
  readonly mediaHosts: number;
}

/** Whether the summary has any of `bits` (or is ODD, when no bit about messages can be trusted). */
export function has(s: DialogSummary, bits: number): boolean {
  return (s.flags & (bits | ODD)) !== 0;
}

/**
 * Whether a response of 300 or more (other than a 401/407 challenge) whose code `accepts` may be
 * among the dialog's (or the summary is ODD, as has() answers).
 */
export function mayHaveFailure(s: DialogSummary, accepts: (status: number) => boolean): boolean {
  return (s.flags & ODD) !== 0 || s.failure < 0 || (s.failure > 0 && accepts(s.failure));
}

/** Folds response code `status` (300 or more, not a challenge) into a DialogSummary.failure. */
function withFailure(failure: number, status: number): number {
  return failure === 0 || failure === status ? status : -1;
}

/** What the summary reads of the store. */
export interface SummarySource {
  messageFacts(id: MessageId, out: MessageFacts): MessageFacts;
  sdpFacts(id: MessageId): SdpFacts | undefined;
  /** Equal for two messages whose SDP facts agree in all answerFitsOffer reads; -1 when unknown. */
  sdpCodecKey(id: MessageId): number;
}

/** Offer/answer pairs whose fit is remembered; past this the memory starts again. */
const MAX_FITS = 4096;

/** What the bits follow through one dialog's messages (set afresh for each dialog). */
class DialogState {
  flags = 0;
  failure = 0;
  /** The dialog's first INVITE, and the one of the INVITE transaction followed now (its CSeq, hop and time). */
  firstInviteAt = 0;
  inviteAt = 0;
  inviteCseq = 0;
  inviteSrc = '';
  inviteDst = '';
  /** The latest challenge's CSeq and method, and the CSeq of the request of that method sent after it. */
  challengeCseq = 0;
  retryCseq = 0;
  challengeMethod = '';
  /** CSeq of the latest 2xx to INVITE. */
  okCseq = 0;
  /** The latest INVITE/UPDATE request: its CSeq and message id (its SDP is the offer a 2xx of that CSeq answers). */
  offerCseq = 0;
  offerId = 0;
  /** The last two source addresses asked about and whether each is public: a dialog's messages come from a host or two. */
  srcA = '';
  srcB = '';
  publicA = false;
  publicB = false;
  /** Messages noted, and how many the dialog has for the rules (SummaryPass: the last one ends the state). */
  seen = 0;
  total = 0;
  /** The dialog's place in a SummaryPass, -1 when the state is free. */
  slot = -1;

  reset(total: number, slot = -1): this {
    this.flags = 0;
    this.failure = 0;
    this.srcA = this.srcB = '';
    this.seen = 0;
    this.total = total;
    this.slot = slot;
    return this;
  }

  /** The summary bits of the messages noted. */
  result(): number {
    const f = this.flags;
    return (f & ANSWERED) !== 0 && ((f & UNACKED) !== 0 || (f & ACKED) === 0) ? f | MAY_LACK_ACK : f;
  }
}

function isPublic(st: DialogState, src: string): boolean {
  if (src === st.srcA) return st.publicA;
  if (src === st.srcB) return st.publicB;
  // The older of the two makes room.
  st.srcB = st.srcA;
  st.publicB = st.publicA;
  st.srcA = src;
  st.publicA = isPublicAddress(src);
  return st.publicA;
}

/**
 * Reads dialogs' summaries: a DialogState follows the messages of one dialog, in arrival order,
 * and is set afresh for each (reused, so a look allocates nothing for it).
 */
export class SummaryReader {
  private readonly single = new DialogState();
  /** answerFitsOffer by the offer's and the answer's codec keys: a capture's calls repeat a few of each (the last pair first). */
  private fitsByOffer = new Map<number, Map<number, boolean>>();
  private fitCount = 0;
  private lastOffer = -1;
  private lastAnswer = -1;
  private lastFit = false;
  private readonly facts: MessageFacts = { at: 0, src: '', dst: '', method: '', status: 0, cseq: 0, cseqMethod: '', hasSdp: false, retrans: false, viaReceived: false };

  /** Setup times above this may be slow: the threshold less what MessageFacts.at may be off (the rule times exactly). */
  private readonly slowAt: number;

  constructor(
    private readonly store: SummarySource,
    slowNs: bigint,
  ) {
    this.slowAt = Number(slowNs) - 2 * TIME_SLACK_NS;
  }

  /** The summary of the dialog whose messages are ids[0, n), in arrival order, into `out` (flags and failure). */
  summarize(ids: readonly MessageId[], n: number, out: Writable<DialogSummary>): void {
    const st = this.single.reset(n);
    for (let k = 0; k < n; k++) this.note(st, ids[k]!);
    out.flags = st.result();
    out.failure = st.failure;
  }

  /** Notes message `mid` of the dialog `st` follows. */
  note(st: DialogState, mid: MessageId): void {
    const m = this.store.messageFacts(mid, this.facts);
    let f = m.method !== '' ? this.request(st, st.flags, mid, m) : this.response(st, st.flags, mid, m);
    if (!m.retrans && (f & FROM_PUBLIC) === 0 && isPublic(st, m.src)) f |= FROM_PUBLIC;
    if (m.viaReceived) f |= VIA_RECEIVED;
    st.flags = f;
    st.seen++;
  }

  private request(st: DialogState, f: number, mid: MessageId, m: MessageFacts): number {
    if (m.retrans) f |= REQ_RETRANS;
    if (m.method !== m.cseqMethod) f |= ODD;
    if ((f & CHALLENGED) !== 0 && m.method === st.challengeMethod && m.cseq !== st.challengeCseq) {
      f |= RETRIED;
      st.retryCseq = m.cseq;
    }
    if (m.method === 'INVITE') f = this.invite(st, f, m);
    else if (m.method === 'ACK' && (f & ANSWERED) !== 0 && m.cseq === st.okCseq) f |= ACKED;
    else if (m.method === 'CANCEL') f |= CANCEL;
    else if (m.method === 'BYE') f |= BYE;
    if ((m.method === 'INVITE' || m.method === 'UPDATE') && !m.retrans) {
      const update = m.method === 'UPDATE' ? OFFER_UPDATE : 0;
      // A second request of one CSeq (another hop, or new bytes): which one a 2xx answers is the transactions' to say.
      if ((f & OFFER) !== 0 && st.offerCseq === m.cseq && (f & OFFER_UPDATE) === update) f |= CODEC_DOUBT;
      f = (f & ~(OFFER_SDP | OFFER_UPDATE)) | OFFER | update | (m.hasSdp ? OFFER_SDP : 0);
      st.offerCseq = m.cseq;
      st.offerId = mid;
    }
    return f;
  }

  private invite(st: DialogState, f: number, m: MessageFacts): number {
    if ((f & INVITED) !== 0 && m.cseq === st.inviteCseq) {
      // The same CSeq on another hop is a transaction of its own, for the rule to time.
      if (m.src !== st.inviteSrc || m.dst !== st.inviteDst) return f | SLOW;
      // New bytes on the same hop start a new transaction there.
      if (!m.retrans) st.inviteAt = m.at;
      return m.retrans ? f : f & ~PROGRESSED;
    }
    if ((f & INVITED) !== 0 && m.retrans) return f;
    if ((f & INVITED) === 0) st.firstInviteAt = m.at;
    st.inviteAt = m.at;
    st.inviteCseq = m.cseq;
    st.inviteSrc = m.src;
    st.inviteDst = m.dst;
    return (f | INVITED) & ~PROGRESSED;
  }

  private response(st: DialogState, f: number, mid: MessageId, m: MessageFacts): number {
    if (m.retrans) f |= RESP_RETRANS;
    if (m.status === 401 || m.status === 407) f = this.challenge(st, f, m);
    else if (m.status >= 300) st.failure = withFailure(st.failure, m.status);
    const ok = m.status >= 200 && m.status < 300;
    // Success of the request sent again after the challenge.
    if (ok && (f & (RETRIED | AUTH_STUCK)) === RETRIED && m.cseqMethod === st.challengeMethod && m.cseq === st.retryCseq) f &= ~AUTH_OPEN;
    if (m.status === 403 && (f & CHALLENGED) !== 0) f |= AUTH_OPEN;
    if (m.cseqMethod === 'INVITE') {
      if ((f & INVITED) === 0) {
        // Before its INVITE: which transaction the later responses join is the transactions' to say.
        f |= SLOW;
      } else if (m.status >= 180 && m.status < 300) {
        if (m.cseq !== st.inviteCseq) {
          if (m.at - st.firstInviteAt > this.slowAt) f |= SLOW;
        } else if ((f & PROGRESSED) === 0) {
          f |= PROGRESSED;
          if (m.at - st.inviteAt > this.slowAt) f |= SLOW;
        }
      }
      if (ok && (f & ANSWERED) === 0) {
        f |= ANSWERED;
        st.okCseq = m.cseq;
      } else if (ok && m.cseq !== st.okCseq) {
        if ((f & ACKED) === 0) f |= UNACKED;
        f &= ~ACKED;
        st.okCseq = m.cseq;
      }
    }
    if (ok && m.hasSdp && (m.cseqMethod === 'INVITE' || m.cseqMethod === 'UPDATE') && (f & CODEC_DOUBT) === 0) {
      const update = m.cseqMethod === 'UPDATE' ? OFFER_UPDATE : 0;
      if ((f & OFFER) === 0 || st.offerCseq !== m.cseq || (f & OFFER_UPDATE) !== update) {
        f |= CODEC_DOUBT;
      } else if ((f & OFFER_SDP) !== 0 && !this.fits(st.offerId as MessageId, mid)) {
        f |= CODEC_DOUBT;
      }
    }
    return f;
  }

  /** Whether the answer's SDP can carry the offer's audio (false when either has none to judge). */
  private fits(offer: MessageId, answer: MessageId): boolean {
    const o = this.store.sdpCodecKey(offer);
    const a = this.store.sdpCodecKey(answer);
    if (o < 0 || a < 0) return this.judge(offer, answer);
    if (o === this.lastOffer && a === this.lastAnswer) return this.lastFit;
    this.lastOffer = o;
    this.lastAnswer = a;
    this.lastFit = this.fitByKeys(o, a, offer, answer);
    return this.lastFit;
  }

  private fitByKeys(o: number, a: number, offer: MessageId, answer: MessageId): boolean {
    let byAnswer = this.fitsByOffer.get(o);
    let fit = byAnswer?.get(a);
    if (fit !== undefined) return fit;
    fit = this.judge(offer, answer);
    if (this.fitCount >= MAX_FITS) {
      this.fitsByOffer = new Map();
      this.fitCount = 0;
      byAnswer = undefined;
    }
    if (byAnswer === undefined) this.fitsByOffer.set(o, (byAnswer = new Map()));
    byAnswer.set(a, fit);
    this.fitCount++;
    return fit;
  }

  private judge(offerId: MessageId, answerId: MessageId): boolean {
    const offer = this.store.sdpFacts(offerId);
    const answer = this.store.sdpFacts(answerId);
    return offer !== undefined && answer !== undefined && answerFitsOffer(offer, answer);
  }

  private challenge(st: DialogState, f: number, m: MessageFacts): number {
    const twoMethods = (f & CHALLENGED) !== 0 && m.cseqMethod !== st.challengeMethod;
    const count = Math.min((f & CHALLENGES) + CHALLENGE_ONE, CHALLENGES);
    st.challengeCseq = m.cseq;
    st.challengeMethod = m.cseqMethod;
    f = (f & ~(CHALLENGES | RETRIED)) | count | CHALLENGED | AUTH_OPEN;
    // Once open for good, no success closes it again: the rule reads each method's challenges in a row.
    return twoMethods || count === CHALLENGES ? f | AUTH_STUCK : f;
  }
}

/** What a pass over every message reads besides their facts. */
export interface PassSource extends SummarySource {
  messageCount(): number;
  /** The dialog message i joined. */
  messageDialog(i: MessageId): DialogId;
  dialog(id: DialogId): { readonly messages: readonly MessageId[] } | undefined;
  /** Message counts by slot, read as a column rather than from a million dialog objects. */
  readonly listIndex: ListIndexView;
}

/** run(until) looks at the clock every this + 1 messages. */
const PASS_CLOCK_EVERY = 0xfff;

/**
 * The summaries of all held dialogs [firstId, firstId + count) at once, in one pass over the
 * messages in arrival order instead of dialog by dialog: the store's columns are read front to back
 * (a dialog's messages lie far apart in them, so read dialog by dialog most reads miss the cache)
 * and no dialog's message list is built. A state is kept only for the dialogs under way at the
 * message being read (a pool of them, a few hundred on a busy trunk); each dialog's result is one int.
 */
export class SummaryPass {
  private readonly flags: Int32Array;
  private readonly failures: Int32Array;
  /** Per dialog: 0 not begun, n > 0 its state is pool[n - 1], -1 done. */
  private readonly states: Int32Array;
  private readonly pool: DialogState[] = [];
  private readonly free: number[] = [];
  private next: number;
  private readonly end: number;

  constructor(
    private readonly reader: SummaryReader,
    private readonly source: PassSource,
    private readonly firstId: DialogId,
    private readonly count: number,
    /** Messages of one dialog read at most (the first ones). */
    private readonly maxMessages: number,
  ) {
    this.flags = new Int32Array(count);
    this.failures = new Int32Array(count);
    this.states = new Int32Array(count);
    // The oldest held dialog's first message comes before every other held dialog's.
    this.next = count > 0 ? (source.dialog(firstId)?.messages[0] ?? 0) : 0;
    this.end = count > 0 ? source.messageCount() : 0;
  }

  /** Reads on until the end or until performance.now() passes `until`; false when it stopped early (call again). */
  run(until = Infinity): boolean {
    const { reader, source, states, pool, firstId, count } = this;
    const index = source.listIndex;
    const msgs = index.numbers('msgs');
    for (; this.next < this.end; this.next++) {
      if ((this.next & PASS_CLOCK_EVERY) === 0 && until !== Infinity && performance.now() > until) return false;
      const i = this.next as MessageId;
      const k = source.messageDialog(i) - firstId;
      if (k < 0 || k >= count) continue;
      const s = states[k]!;
      if (s < 0) continue;
      const st = s > 0 ? pool[s - 1]! : this.begin(k, msgs[index.slot((firstId + k) as DialogId)] ?? 0);
      reader.note(st, i);
      if (st.seen >= st.total) this.done(st);
    }
    // Dialogs whose messages went on past the end the pass began with.
    for (const st of pool) if (st.slot >= 0) this.done(st);
    return true;
  }

  /** The summary of held dialog `id` into `out`, flags and failure (after run() returned true). */
  summarize(id: DialogId, out: Writable<DialogSummary>): void {
    const k = id - this.firstId;
    const held = k >= 0 && k < this.count;
    out.flags = held ? this.flags[k]! : 0;
    out.failure = held ? this.failures[k]! : 0;
  }

  private begin(k: number, messages: number): DialogState {
    const total = Math.min(messages, this.maxMessages);
    let n = this.free.pop();
    if (n === undefined) {
      n = this.pool.length;
      this.pool.push(new DialogState());
    }
    this.states[k] = n + 1;
    return this.pool[n]!.reset(total, k);
  }

  private done(st: DialogState): void {
    const k = st.slot;
    this.flags[k] = st.result();
    this.failures[k] = st.failure;
    this.free.push(this.states[k]! - 1);
    this.states[k] = -1;
    st.slot = -1;
  }
}
