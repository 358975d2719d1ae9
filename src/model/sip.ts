import type { Transport } from './datagram.js';

/** Where the raw bytes of a message live: in the capture file (seekable sources) or in the in-memory spool. */
export interface PayloadRef {
  inFile: boolean;
  offset: number;
  length: number;
}

/** One SIP message as the store keeps it: the fields lists and state machines need; the bytes stay behind `ref`. */
export interface SipMessage {
  /** 0-based position in the store. */
  index: number;
  /** Dialog index in the store. */
  dialog: number;
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
  ref: PayloadRef;
}

export type CallState = '' | 'CALL SETUP' | 'IN CALL' | 'CANCELLED' | 'REJECTED' | 'BUSY' | 'DIVERTED' | 'COMPLETED';

/** All messages sharing one Call-ID, with the summary the call list shows. */
export interface Dialog {
  /** 0-based position in the store (arrival order of the first message). */
  index: number;
  callId: string;
  /** Method of the first request (or of the first message's CSeq). */
  method: string;
  fromUser: string;
  /** Host (domain or address) of the From URI; '' for tel: URIs. */
  fromHost: string;
  fromDisplay: string;
  toUser: string;
  toHost: string;
  toDisplay: string;
  /** Request-URI of the first request. */
  ruri: string;
  /** ip:port of the first message's source and destination. */
  src: string;
  dst: string;
  transport: Transport;
  /** Message indices in arrival order. */
  messages: number[];
  start: bigint;
  end: bigint;
  state: CallState;
  /** X-Call-ID / X-CID value of any message, '' when absent. */
  xCallId: string;
  userAgent: string;
  /** Text from the first Reason or Warning header. */
  reason: string;
}
