import { bodyParts, headerValue, parseSipMessage, type SipEntity } from '../sip/message.js';
import { parseSdp } from '../sip/sdp.js';

/** Where a media stream is to be received: an SDP m= port at its c= address. */
export interface MediaEndpoint {
  address: string;
  port: number;
}

function isSdp(entity: SipEntity): boolean {
  return /^\s*application\/sdp/i.test(headerValue(entity, 'Content-Type') ?? '');
}

/**
 * Media endpoints announced by the SDP of a SIP message (the whole body or a multipart part).
 * Port 0 (a declined stream) and streams without a connection address announce nothing.
 */
export function sdpEndpoints(sipPayload: Buffer): MediaEndpoint[] {
  const message = parseSipMessage(sipPayload);
  const parts = bodyParts(message);
  const bodies = (parts.length > 0 ? parts : [message]).filter(isSdp);
  const out: MediaEndpoint[] = [];
  for (const b of bodies) {
    for (const m of parseSdp(message.buf.toString('utf8', b.bodyStart, b.bodyEnd)).media) {
      if (m.port > 0 && m.connection !== '') out.push({ address: m.connection, port: m.port });
    }
  }
  return out;
}
