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
import type { MessageId } from '../model/ids.js';
import { TIME_SLACK_NS, type MessageFacts } from '../model/sip.js';
import type { SdpFacts } from '../sip/sdp-facts.js';
import { isPublicAddress } from './addresses.js';
import { answerFitsOffer } from './codec-fit.js';

/** A request was retransmitted (same bytes again). */
export const REQ_RETRANS = 1 << 0;
/** A response was retransmitted. */
export const RESP_RETRANS = 1 << 1;
/** A response of 300 or more other than a challenge. */
export const FAILED = 1 << 2;
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

/** What Rule.mayFire reads: the bits above and a few counts known without reading any message. */
export interface DialogSummary {
  readonly flags: number;
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

/** What the summary reads of the store. */
export interface SummarySource {
  messageFacts(id: MessageId, out: MessageFacts): MessageFacts;
  sdpFacts(id: MessageId): SdpFacts | undefined;
  /** Equal for two messages whose SDP facts agree in all answerFitsOffer reads; -1 when unknown. */
  sdpCodecKey(id: MessageId): number;
}

/** Offer/answer pairs whose fit is remembered; past this the memory starts again. */
const MAX_FITS = 4096;

/**
 * Reads dialogs' summaries, one dialog at a time: the state below follows the messages of the
 * dialog being read and is set afresh for each (one instance, so a look allocates nothing for it).
 */
export class SummaryReader {
  private flags = 0;
  /** The dialog's first INVITE, and the one of the INVITE transaction followed now (its CSeq, hop and time). */
  private firstInviteAt = 0;
  private inviteAt = 0;
  private inviteCseq = 0;
  private inviteSrc = '';
  private inviteDst = '';
  /** The latest challenge's CSeq and method, and the CSeq of the request of that method sent after it. */
  private challengeCseq = 0;
  private retryCseq = 0;
  private challengeMethod = '';
  /** CSeq of the latest 2xx to INVITE. */
  private okCseq = 0;
  /** The latest INVITE/UPDATE request: its CSeq and message id (its SDP is the offer a 2xx of that CSeq answers). */
  private offerCseq = 0;
  private offerId = 0;
  /** The last source address asked about and whether it is public: a dialog's messages come from a host or two. */
  private lastSrc = '';
  private lastPublic = false;
  /** answerFitsOffer by the offer's and the answer's codec keys: a capture's calls repeat a few of each. */
  private fitsByOffer = new Map<number, Map<number, boolean>>();
  private fitCount = 0;
  private readonly facts: MessageFacts = { at: 0, src: '', dst: '', method: '', status: 0, cseq: 0, cseqMethod: '', hasSdp: false, retrans: false, viaReceived: false };

  /** Setup times above this may be slow: the threshold less what MessageFacts.at may be off (the rule times exactly). */
  private readonly slowAt: number;

  constructor(
    private readonly store: SummarySource,
    slowNs: bigint,
  ) {
    this.slowAt = Number(slowNs) - 2 * TIME_SLACK_NS;
  }

  /** The summary bits of the dialog whose messages are ids[0, n), in arrival order. */
  flagsOf(ids: readonly MessageId[], n: number): number {
    this.flags = 0;
    for (let k = 0; k < n; k++) this.note(ids[k]!, this.store.messageFacts(ids[k]!, this.facts));
    const f = this.flags;
    return (f & ANSWERED) !== 0 && ((f & UNACKED) !== 0 || (f & ACKED) === 0) ? f | MAY_LACK_ACK : f;
  }

  private note(mid: MessageId, m: MessageFacts): void {
    let f = m.method !== '' ? this.request(this.flags, mid, m) : this.response(this.flags, mid, m);
    if (!m.retrans && (f & FROM_PUBLIC) === 0 && this.isPublic(m.src)) f |= FROM_PUBLIC;
    if (m.viaReceived) f |= VIA_RECEIVED;
    this.flags = f;
  }

  private isPublic(src: string): boolean {
    if (src !== this.lastSrc) {
      this.lastSrc = src;
      this.lastPublic = isPublicAddress(src);
    }
    return this.lastPublic;
  }

  private request(f: number, mid: MessageId, m: MessageFacts): number {
    if (m.retrans) f |= REQ_RETRANS;
    if (m.method !== m.cseqMethod) f |= ODD;
    if ((f & CHALLENGED) !== 0 && m.method === this.challengeMethod && m.cseq !== this.challengeCseq) {
      f |= RETRIED;
      this.retryCseq = m.cseq;
    }
    if (m.method === 'INVITE') f = this.invite(f, m);
    else if (m.method === 'ACK' && (f & ANSWERED) !== 0 && m.cseq === this.okCseq) f |= ACKED;
    else if (m.method === 'CANCEL') f |= CANCEL;
    else if (m.method === 'BYE') f |= BYE;
    if ((m.method === 'INVITE' || m.method === 'UPDATE') && !m.retrans) {
      const update = m.method === 'UPDATE' ? OFFER_UPDATE : 0;
      // A second request of one CSeq (another hop, or new bytes): which one a 2xx answers is the transactions' to say.
      if ((f & OFFER) !== 0 && this.offerCseq === m.cseq && (f & OFFER_UPDATE) === update) f |= CODEC_DOUBT;
      f = (f & ~(OFFER_SDP | OFFER_UPDATE)) | OFFER | update | (m.hasSdp ? OFFER_SDP : 0);
      this.offerCseq = m.cseq;
      this.offerId = mid;
    }
    return f;
  }

  private invite(f: number, m: MessageFacts): number {
    if ((f & INVITED) !== 0 && m.cseq === this.inviteCseq) {
      // The same CSeq on another hop is a transaction of its own, for the rule to time.
      if (m.src !== this.inviteSrc || m.dst !== this.inviteDst) return f | SLOW;
      // New bytes on the same hop start a new transaction there.
      if (!m.retrans) this.inviteAt = m.at;
      return m.retrans ? f : f & ~PROGRESSED;
    }
    if ((f & INVITED) !== 0 && m.retrans) return f;
    if ((f & INVITED) === 0) this.firstInviteAt = m.at;
    this.inviteAt = m.at;
    this.inviteCseq = m.cseq;
    this.inviteSrc = m.src;
    this.inviteDst = m.dst;
    return (f | INVITED) & ~PROGRESSED;
  }

  private response(f: number, mid: MessageId, m: MessageFacts): number {
    if (m.retrans) f |= RESP_RETRANS;
    if (m.status === 401 || m.status === 407) f = this.challenge(f, m);
    else if (m.status >= 300) f |= FAILED;
    const ok = m.status >= 200 && m.status < 300;
    // Success of the request sent again after the challenge.
    if (ok && (f & (RETRIED | AUTH_STUCK)) === RETRIED && m.cseqMethod === this.challengeMethod && m.cseq === this.retryCseq) f &= ~AUTH_OPEN;
    if (m.status === 403 && (f & CHALLENGED) !== 0) f |= AUTH_OPEN;
    if (m.cseqMethod === 'INVITE') {
      if ((f & INVITED) === 0) {
        // Before its INVITE: which transaction the later responses join is the transactions' to say.
        f |= SLOW;
      } else if (m.status >= 180 && m.status < 300) {
        if (m.cseq !== this.inviteCseq) {
          if (m.at - this.firstInviteAt > this.slowAt) f |= SLOW;
        } else if ((f & PROGRESSED) === 0) {
          f |= PROGRESSED;
          if (m.at - this.inviteAt > this.slowAt) f |= SLOW;
        }
      }
      if (ok && (f & ANSWERED) === 0) {
        f |= ANSWERED;
        this.okCseq = m.cseq;
      } else if (ok && m.cseq !== this.okCseq) {
        if ((f & ACKED) === 0) f |= UNACKED;
        f &= ~ACKED;
        this.okCseq = m.cseq;
      }
    }
    if (ok && m.hasSdp && (m.cseqMethod === 'INVITE' || m.cseqMethod === 'UPDATE') && (f & CODEC_DOUBT) === 0) {
      const update = m.cseqMethod === 'UPDATE' ? OFFER_UPDATE : 0;
      if ((f & OFFER) === 0 || this.offerCseq !== m.cseq || (f & OFFER_UPDATE) !== update) {
        f |= CODEC_DOUBT;
      } else if ((f & OFFER_SDP) !== 0 && !this.fits(this.offerId as MessageId, mid)) {
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

  private challenge(f: number, m: MessageFacts): number {
    const twoMethods = (f & CHALLENGED) !== 0 && m.cseqMethod !== this.challengeMethod;
    const count = Math.min((f & CHALLENGES) + CHALLENGE_ONE, CHALLENGES);
    this.challengeCseq = m.cseq;
    this.challengeMethod = m.cseqMethod;
    f = (f & ~(CHALLENGES | RETRIED)) | count | CHALLENGED | AUTH_OPEN;
    // Once open for good, no success closes it again: the rule reads each method's challenges in a row.
    return twoMethods || count === CHALLENGES ? f | AUTH_STUCK : f;
  }
}
