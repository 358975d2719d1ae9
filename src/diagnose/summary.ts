/**
 * What each dialog has shown so far, in a few bits and numbers per dialog kept in typed arrays and
 * updated as each message arrives (from the store's columns: no message object, no parse). Each
 * rule says from this summary whether it may find anything (Rule.mayFire); the engine builds a
 * dialog's full evidence only when one may, so the many calls that went well cost a few array
 * writes per message instead of a pass over message and transaction objects.
 *
 * The bits only ever get set, so a dialog a rule had no reason to read never had a finding of it.
 * They are conservative: a bit may be set where the rule then finds nothing, never the reverse.
 */
import type { DialogId, MessageId } from '../model/ids.js';
import type { MessageFacts } from '../model/sip.js';
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
/** The dialog waits for the engine's look. */
const PENDING = 1 << 23;
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

const INITIAL = 1024;

/**
 * The per-dialog state, indexed by dialog id modulo a power-of-two capacity that grows with the
 * dialogs held (not with every dialog ever seen: rotation and F5 free slots for new ids).
 */
export class DialogSummaries {
  private mask = INITIAL - 1;
  private ids = new Int32Array(INITIAL).fill(-1);
  private flags = new Uint32Array(INITIAL);
  /** The dialog's first INVITE, and the one of the INVITE transaction followed now (its CSeq, hop and time). */
  private firstInviteTs = new BigInt64Array(INITIAL);
  private inviteTs = new BigInt64Array(INITIAL);
  private inviteCseq = new Uint32Array(INITIAL);
  private inviteSrc: string[] = new Array<string>(INITIAL).fill('');
  private inviteDst: string[] = new Array<string>(INITIAL).fill('');
  /** The latest challenge's CSeq and method, and the CSeq of the request of that method sent after it. */
  private challengeCseq = new Uint32Array(INITIAL);
  private retryCseq = new Uint32Array(INITIAL);
  private challengeMethod: string[] = new Array<string>(INITIAL).fill('');
  /** CSeq of the latest 2xx to INVITE. */
  private okCseq = new Uint32Array(INITIAL);
  /** The latest INVITE/UPDATE request: its CSeq and message id (its SDP is the offer a 2xx of that CSeq answers). */
  private offerCseq = new Uint32Array(INITIAL);
  private offerId = new Uint32Array(INITIAL);

  constructor(private readonly slowNs: bigint) {}

  /** The summary bits of a dialog, 0 when it has none (no message noted, or gone). */
  flagsOf(id: DialogId): number {
    const k = id & this.mask;
    if (this.ids[k] !== id) return 0;
    const f = this.flags[k];
    return (f & ANSWERED) !== 0 && ((f & UNACKED) !== 0 || (f & ACKED) === 0) ? f | MAY_LACK_ACK : f;
  }

  /** Marks dialog `id` as waiting for a look; false when it already was. */
  mark(id: DialogId, firstId: DialogId): boolean {
    const k = this.slot(id, firstId);
    if ((this.flags[k] & PENDING) !== 0) return false;
    this.flags[k] |= PENDING;
    return true;
  }

  /** Dialog `id` had its look. */
  unmark(id: DialogId): void {
    const k = id & this.mask;
    if (this.ids[k] === id) this.flags[k] &= ~PENDING;
  }

  /** Message `mid` (its columns in `m`) joined dialog `id`; `firstId` is the oldest dialog the store still holds. */
  note(id: DialogId, mid: MessageId, m: MessageFacts, firstId: DialogId, sdp: (id: MessageId) => SdpFacts | undefined): void {
    const k = this.slot(id, firstId);
    let f = m.method !== '' ? this.request(k, this.flags[k], mid, m) : this.response(k, this.flags[k], mid, m, sdp);
    if (!m.retrans && (f & FROM_PUBLIC) === 0 && isPublicAddress(m.src)) f |= FROM_PUBLIC;
    if (m.viaReceived) f |= VIA_RECEIVED;
    this.flags[k] = f;
  }

  private request(k: number, f: number, mid: MessageId, m: MessageFacts): number {
    if (m.retrans) f |= REQ_RETRANS;
    if (m.method !== m.cseqMethod) f |= ODD;
    if ((f & CHALLENGED) !== 0 && m.method === this.challengeMethod[k] && m.cseq !== this.challengeCseq[k]) {
      f |= RETRIED;
      this.retryCseq[k] = m.cseq;
    }
    if (m.method === 'INVITE') f = this.invite(k, f, m);
    else if (m.method === 'ACK' && (f & ANSWERED) !== 0 && m.cseq === this.okCseq[k]) f |= ACKED;
    else if (m.method === 'CANCEL') f |= CANCEL;
    else if (m.method === 'BYE') f |= BYE;
    if ((m.method === 'INVITE' || m.method === 'UPDATE') && !m.retrans) {
      const update = m.method === 'UPDATE' ? OFFER_UPDATE : 0;
      // A second request of one CSeq (another hop, or new bytes): which one a 2xx answers is the transactions' to say.
      if ((f & OFFER) !== 0 && this.offerCseq[k] === m.cseq && (f & OFFER_UPDATE) === update) f |= CODEC_DOUBT;
      f = (f & ~(OFFER_SDP | OFFER_UPDATE)) | OFFER | update | (m.hasSdp ? OFFER_SDP : 0);
      this.offerCseq[k] = m.cseq;
      this.offerId[k] = mid;
    }
    return f;
  }

  private invite(k: number, f: number, m: MessageFacts): number {
    if ((f & INVITED) !== 0 && m.cseq === this.inviteCseq[k]) {
      // The same CSeq on another hop is a transaction of its own, for the rule to time.
      if (m.src !== this.inviteSrc[k] || m.dst !== this.inviteDst[k]) return f | SLOW;
      // New bytes on the same hop start a new transaction there.
      if (!m.retrans) this.inviteTs[k] = m.ts;
      return m.retrans ? f : f & ~PROGRESSED;
    }
    if ((f & INVITED) !== 0 && m.retrans) return f;
    if ((f & INVITED) === 0) this.firstInviteTs[k] = m.ts;
    this.inviteTs[k] = m.ts;
    this.inviteCseq[k] = m.cseq;
    this.inviteSrc[k] = m.src;
    this.inviteDst[k] = m.dst;
    return (f | INVITED) & ~PROGRESSED;
  }

  private response(k: number, f: number, mid: MessageId, m: MessageFacts, sdp: (id: MessageId) => SdpFacts | undefined): number {
    if (m.retrans) f |= RESP_RETRANS;
    if (m.status === 401 || m.status === 407) f = this.challenge(k, f, m);
    else if (m.status >= 300) f |= FAILED;
    const ok = m.status >= 200 && m.status < 300;
    // Success of the request sent again after the challenge.
    if (ok && (f & (RETRIED | AUTH_STUCK)) === RETRIED && m.cseqMethod === this.challengeMethod[k] && m.cseq === this.retryCseq[k]) f &= ~AUTH_OPEN;
    if (m.status === 403 && (f & CHALLENGED) !== 0) f |= AUTH_OPEN;
    if (m.cseqMethod === 'INVITE') {
      if ((f & INVITED) === 0) {
        // Before its INVITE: which transaction the later responses join is the transactions' to say.
        f |= SLOW;
      } else if (m.status >= 180 && m.status < 300) {
        if (m.cseq !== this.inviteCseq[k]) {
          if (m.ts - this.firstInviteTs[k] > this.slowNs) f |= SLOW;
        } else if ((f & PROGRESSED) === 0) {
          f |= PROGRESSED;
          if (m.ts - this.inviteTs[k] > this.slowNs) f |= SLOW;
        }
      }
      if (ok && (f & ANSWERED) === 0) {
        f |= ANSWERED;
        this.okCseq[k] = m.cseq;
      } else if (ok && m.cseq !== this.okCseq[k]) {
        if ((f & ACKED) === 0) f |= UNACKED;
        f &= ~ACKED;
        this.okCseq[k] = m.cseq;
      }
    }
    if (ok && m.hasSdp && (m.cseqMethod === 'INVITE' || m.cseqMethod === 'UPDATE') && (f & CODEC_DOUBT) === 0) {
      const update = m.cseqMethod === 'UPDATE' ? OFFER_UPDATE : 0;
      if ((f & OFFER) === 0 || this.offerCseq[k] !== m.cseq || (f & OFFER_UPDATE) !== update) {
        f |= CODEC_DOUBT;
      } else if ((f & OFFER_SDP) !== 0) {
        const offer = sdp(this.offerId[k] as MessageId);
        const answer = sdp(mid);
        if (!offer || !answer || !answerFitsOffer(offer, answer)) f |= CODEC_DOUBT;
      }
    }
    return f;
  }

  private challenge(k: number, f: number, m: MessageFacts): number {
    const twoMethods = (f & CHALLENGED) !== 0 && m.cseqMethod !== this.challengeMethod[k];
    const count = Math.min((f & CHALLENGES) + CHALLENGE_ONE, CHALLENGES);
    this.challengeCseq[k] = m.cseq;
    this.challengeMethod[k] = m.cseqMethod;
    f = (f & ~(CHALLENGES | RETRIED)) | count | CHALLENGED | AUTH_OPEN;
    // Once open for good, no success closes it again: the rule reads each method's challenges in a row.
    return twoMethods || count === CHALLENGES ? f | AUTH_STUCK : f;
  }

  /** The slot of dialog `id`, claimed (and cleared) when it is new there. */
  private slot(id: DialogId, firstId: DialogId): number {
    let k = id & this.mask;
    const held = this.ids[k];
    if (held === id) return k;
    if (held >= firstId) {
      this.grow(id, firstId);
      k = id & this.mask;
    }
    this.ids[k] = id;
    this.flags[k] = 0;
    return k;
  }

  /** Doubles the capacity until dialogs firstId..id fit, keeping the held dialogs' state. */
  private grow(id: DialogId, firstId: DialogId): void {
    let size = this.mask + 1;
    while (size <= id - firstId) size *= 2;
    const ids = this.ids;
    const { flags, firstInviteTs, inviteTs, inviteCseq, inviteSrc, inviteDst, challengeCseq, retryCseq, challengeMethod, okCseq, offerCseq, offerId } = this;
    this.mask = size - 1;
    this.ids = new Int32Array(size).fill(-1);
    this.flags = new Uint32Array(size);
    this.firstInviteTs = new BigInt64Array(size);
    this.inviteTs = new BigInt64Array(size);
    this.inviteCseq = new Uint32Array(size);
    this.inviteSrc = new Array<string>(size).fill('');
    this.inviteDst = new Array<string>(size).fill('');
    this.challengeCseq = new Uint32Array(size);
    this.retryCseq = new Uint32Array(size);
    this.challengeMethod = new Array<string>(size).fill('');
    this.okCseq = new Uint32Array(size);
    this.offerCseq = new Uint32Array(size);
    this.offerId = new Uint32Array(size);
    for (let j = 0; j < ids.length; j++) {
      const d = ids[j];
      if (d < firstId) continue;
      const k = d & this.mask;
      this.ids[k] = d;
      this.flags[k] = flags[j];
      this.firstInviteTs[k] = firstInviteTs[j];
      this.inviteTs[k] = inviteTs[j];
      this.inviteCseq[k] = inviteCseq[j];
      this.inviteSrc[k] = inviteSrc[j]!;
      this.inviteDst[k] = inviteDst[j]!;
      this.challengeCseq[k] = challengeCseq[j];
      this.retryCseq[k] = retryCseq[j];
      this.challengeMethod[k] = challengeMethod[j]!;
      this.okCseq[k] = okCseq[j];
      this.offerCseq[k] = offerCseq[j];
      this.offerId[k] = offerId[j];
    }
  }
}
