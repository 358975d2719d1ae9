/** What a rule is and what it reads: one dialog's evidence, never the store itself. */
import type { DiagnoseThresholds, Finding, Severity } from '../model/finding.js';
import type { MessageId } from '../model/ids.js';
import type { Dialog, SipMessage } from '../model/sip.js';
import type { ParsedSip } from '../sip/message.js';
import type { SdpFacts } from '../sip/sdp-facts.js';
import type { RtpStreamInfo } from '../model/media.js';
import type { FaxFinding } from '../media/fax-store.js';
import type { Transaction } from './transactions.js';
import type { DialogSummary } from './summary.js';

export type { DiagnoseThresholds } from '../model/finding.js';

export { DEFAULT_THRESHOLDS } from '../model/finding.js';

/** Everything a rule may look at for one dialog. Built by the engine; rules treat it as read-only. */
export interface DialogEvidence {
  readonly dialog: Dialog;
  /** The dialog's messages in arrival order (the first MAX_MESSAGES of a very long dialog). */
  readonly messages: readonly SipMessage[];
  /** Requests with their copies and responses (transactions.ts). */
  readonly transactions: readonly Transaction[];
  /** OR of the messages' header-presence bits (MASKED_HEADERS order; sip-facts carries() reads it). */
  readonly headerMask: number;
  /** Full parse of one of the messages (cached by the store); rules call it only for the few they need. */
  parsed(id: MessageId): ParsedSip;
  /** The bytes of one of the messages (sip-facts reads single headers from them, header-bytes.ts). */
  bytes(id: MessageId): Buffer;
  /** The SDP facts of one of the messages (kept by the store, no parse), undefined when it has no SDP. */
  sdp(id: MessageId): SdpFacts | undefined;
  /** False when no Via of the message carries received= (known from ingest, no parse). */
  viaMayHaveReceived(id: MessageId): boolean;
  /** Which of MASKED_HEADERS one message carries (HeaderNames.mask, known from ingest). */
  headerMaskOf(id: MessageId): number;
  /** A response's reason phrase as parsed() reads it, without a parse. */
  reasonPhrase(id: MessageId): string;
  /** The value of a message's one Reason or Warning line ('' with none), undefined when there may be more: parse then. */
  reasonHeader(id: MessageId): string | undefined;
  /** The dialog's RTP streams with their statistics (media plane), in order of first packet. */
  readonly streams: readonly RtpStreamInfo[];
  /**
   * Addresses that send or receive RTP anywhere in the capture: a call whose hosts are among them
   * but that has no RTP is news; one whose hosts are not is a leg the capture point does not see.
   */
  readonly mediaHosts: ReadonlySet<string>;
  /** What the fax store found about the dialog's switch to T.38 and its T.30 procedure. */
  readonly fax: readonly FaxFinding[];
  /** Latest capture time seen anywhere, ns: how long a silence has lasted so far. */
  readonly now: bigint;
  /** The capture is over (end of file, or a live capture stopped): nothing more will arrive. */
  readonly ended: boolean;
  readonly thresholds: DiagnoseThresholds;
}

/** One finding code: the contract (help screen, man page, README and filters read this). */
export interface FindingCode {
  code: string;
  /** The severity findings of this code usually carry (a rule may lower it when the call recovered). */
  severity: Severity;
  description: string;
}

/**
 * A rule: the codes it may emit, whether the dialog's summary leaves it anything to find (false
 * only when check would surely return nothing: the engine then builds no evidence for it), and a
 * pure function from a dialog's evidence to findings.
 */
export interface Rule {
  codes: readonly FindingCode[];
  mayFire(s: DialogSummary): boolean;
  check(e: DialogEvidence): Finding[];
}
