import { HepStreamParser, isHep3Start } from './hep.js';
import { findSipStart, looksLikeSipStart, mayBecomeSipStart, sipHeaderEnd, SipStreamParser } from './sip-framing.js';
import type { StreamHeuristic } from './stream-parser.js';
import { looksLikeTlsRecord } from './tls.js';
import { isWebSocketUpgrade, looksLikeHttpStart, WebSocketParser } from './websocket.js';

/** An HTTP upgrade header longer than this is not one. */
const MAX_HTTP_HEADER = 16 * 1024;

/** TLS records: decode/tls.ts decrypts them when it has the secrets (and counts them when not). */
export const tlsStream: StreamHeuristic = {
  name: 'tls',
  detect: (cx, buf, p, end) => (looksLikeTlsRecord(buf, p, end) ? { parser: cx.tls.parser(cx), at: p } : undefined),
};

/** SIP from its start line (a start line cut by the segment end is waited for). */
export const sipStream: StreamHeuristic = {
  name: 'sip',
  detect(cx, buf, p, end) {
    if (looksLikeSipStart(buf, p, end)) return { parser: new SipStreamParser(cx.decrypted ? 'TLS' : 'TCP'), at: p };
    return mayBecomeSipStart(buf, p, end) ? 'wait' : undefined;
  },
};

/** HEP3 over TCP (agents streaming to a collector). */
export const hep3Stream: StreamHeuristic = {
  name: 'hep3',
  detect: (_cx, buf, p, end) => (isHep3Start(buf, p, end) ? { parser: new HepStreamParser(), at: p } : undefined),
};

/** SIP over WebSocket (RFC 7118): an HTTP upgrade, then frames. */
export const webSocketStream: StreamHeuristic = {
  name: 'websocket',
  detect(cx, buf, p, end) {
    if (!looksLikeHttpStart(buf, p, end)) return undefined;
    const headerEnd = sipHeaderEnd(buf, p, end);
    if (headerEnd < 0) return end - p < MAX_HTTP_HEADER ? 'wait' : undefined;
    return isWebSocketUpgrade(buf, p, headerEnd) ? { parser: new WebSocketParser(cx.decrypted ? 'WSS' : 'WS'), at: headerEnd } : undefined;
  },
};

/** Last resort: the capture started mid-stream, so SIP starts at some later line. */
export const sipResync: StreamHeuristic = {
  name: 'sip-resync',
  detect(cx, buf, p, end) {
    const next = findSipStart(buf, p, end);
    return next < 0 ? undefined : { parser: new SipStreamParser(cx.decrypted ? 'TLS' : 'TCP'), at: next, skip: 'tcp-resync' };
  },
};
