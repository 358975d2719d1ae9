import type { SipMessage } from './sip.js';

/** What a stretch of a message line is, so a screen can colour it without parsing SIP. */
export type SpanRole =
  | 'method' | 'uri' | 'version' | 'status'
  | 'headerName' | 'headerValue'
  | 'sdpType' | 'sdpValue'
  | 'boundary' | 'body' | 'plain';

/** text[from, to) of a line has this role. */
export interface ViewSpan {
  readonly from: number;
  readonly to: number;
  readonly role: SpanRole;
}

/** One line of the message as received (UTF-8, without its CRLF / LF); spans cover it in order. */
export interface ViewLine {
  readonly text: string;
  readonly spans: readonly ViewSpan[];
}

export interface StartLineView {
  readonly kind: 'request' | 'response' | 'invalid';
  /** Request method, '' for responses. */
  readonly method: string;
  /** Request-URI, '' for responses. */
  readonly uri: string;
  /** Status code and reason phrase of a response; 0 and '' for requests. */
  readonly status: number;
  readonly reason: string;
  /** The line as written. */
  readonly text: string;
}

export interface HeaderView {
  /** Canonical long form ("Call-ID" for "i"). */
  readonly name: string;
  /** As written. */
  readonly rawName: string;
  /** The value, folded lines joined by one space. */
  readonly value: string;
}

/** One m= line of an SDP body, as a ladder or a summary names it. */
export interface SdpMediaSummary {
  readonly media: string;
  readonly address: string;
  readonly port: number;
  /** Codec names ("PCMU/8000", "telephone-event/8000", or the payload type when not mapped). */
  readonly codecs: readonly string[];
  readonly direction: string;
}

/** A body: the whole body of a simple message, or one part of a multipart body. */
export interface BodyPartView {
  readonly contentType: string;
  /** Part headers (empty for the body of a simple message). */
  readonly headers: readonly HeaderView[];
  /** Set when the part is SDP. */
  readonly sdp?: readonly SdpMediaSummary[];
}

/**
 * What a screen or an exporter draws of one message (store.messageView(id)): the store's summary
 * (time, addresses, transport, retransmission and SDP flags), the start line, the headers, the
 * body parts with an SDP summary, and the text line by line with roles for syntax colouring.
 */
export interface MessageView {
  readonly message: SipMessage;
  readonly start: StartLineView;
  readonly headers: readonly HeaderView[];
  /** [] without a body; one part for a simple body; the parts of a multipart body. */
  readonly parts: readonly BodyPartView[];
  readonly lines: readonly ViewLine[];
}
