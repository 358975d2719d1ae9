import type { Transport } from './datagram.js';
import type { DialogId, MessageId } from './ids.js';
import type { Finding } from './finding.js';

/** Where the raw bytes of a message live: in the capture file (seekable sources) or in the in-memory spool. */
export interface PayloadRef {
  inFile: boolean;
  offset: number;
  length: number;
}

/** One SIP message as the store keeps it: the fields lists and state machines need; the bytes stay behind `ref`. */
export interface SipMessage {
  id: MessageId;
  /** The dialog it belongs to. */
  dialog: DialogId;
  frame: number;
  ts: bigint;
  src: string;
  sport: number;
  dst: string;
  dport: number;
  transport: Transport;
  /** Request method, or '' for responses. */
  method: string;
  /** Status code for responses, 0 for requests. */
  status: number;
  /** CSeq number and method (responses are matched to requests through it). */
  cseq: number;
  cseqMethod: string;
  /** Carries an SDP body (alone or as a multipart part). */
  hasSdp: boolean;
  /** Same bytes as an earlier message of the dialog (a retransmission). */
  retrans: boolean;
  /** The HEP agent that captured it (capture ID, node name or agent address); '' or absent for local capture and files. */
  node?: string;
  ref: PayloadRef;
}

/** The columns of a message the diagnosis summary reads, filled into one reused object (Store.messageFacts). */
export interface MessageFacts extends Pick<SipMessage, 'src' | 'dst' | 'method' | 'status' | 'cseq' | 'cseqMethod' | 'hasSdp' | 'retrans'> {
  /**
   * `ts` as a double, read without making a BigInt: within TIME_SLACK_NS of it, so good for
   * comparing against thresholds of milliseconds, not for anything exact.
   */
  at: number;
  /** A Via may carry received= (SipScan.viaReceived). */
  viaReceived: boolean;
}

/** How far MessageFacts.at may be from the exact time (a double's rounding of any 64-bit ns count, twice over). */
export const TIME_SLACK_NS = 4096;

export type CallState = '' | 'CALL SETUP' | 'IN CALL' | 'CANCELLED' | 'REJECTED' | 'BUSY' | 'DIVERTED' | 'COMPLETED';

/** All messages sharing one Call-ID, with the summary the call list shows. Read-only: the store owns it. */
export interface Dialog {
  /** Arrival order of the first message among every dialog ever opened (the list's Idx column is id + 1). */
  readonly id: DialogId;
  readonly callId: string;
  /** Method of the first request (or of the first message's CSeq). */
  readonly method: string;
  readonly fromUser: string;
  /** Host (domain or address) of the From URI; '' for tel: URIs. */
  readonly fromHost: string;
  readonly fromDisplay: string;
  readonly toUser: string;
  readonly toHost: string;
  readonly toDisplay: string;
  /** Request-URI of the first request. */
  readonly ruri: string;
  /** ip:port of the first message's source and destination. */
  readonly src: string;
  readonly dst: string;
  readonly transport: Transport;
  /** Message ids in arrival order (the store builds the list when asked: read it once). */
  readonly messages: readonly MessageId[];
  /** messages.length, without building the list. */
  readonly messageCount: number;
  readonly start: bigint;
  readonly end: bigint;
  readonly state: CallState;
  /** X-Call-ID / X-CID value of any message, '' when absent. */
  readonly xCallId: string;
  readonly userAgent: string;
  /** Text from the first Reason or Warning header. */
  readonly reason: string;
  /** HEP nodes whose messages the dialog has, in first-seen order (the store bounds the list); empty or absent for local capture. */
  readonly nodes?: readonly string[];
  /** What diagnose/ found, in registry order; undefined while there is nothing. */
  readonly findings?: readonly Finding[] | undefined;
}
