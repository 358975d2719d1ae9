import { bodyParts, headerValue, parseSipMessage } from '../sip/message.js';
import { parseSdp } from '../sip/sdp.js';

/** A media endpoint of an SDP body, and whether it is a T.38 one (m=image … udptl t38). */
export interface FaxEndpoint {
  address: string;
  port: number;
  image: boolean;
}

/**
 * The fax module's SDP hook, kept apart until the media plane's SDP tracking carries the media
 * kind: every m= endpoint with its kind, or undefined when the message has no SDP body.
 */
export function t38Media(sipPayload: Buffer): { endpoints: FaxEndpoint[] } | undefined {
  const message = parseSipMessage(sipPayload);
  const parts = bodyParts(message);
  const bodies = (parts.length > 0 ? parts : [message])
    .filter((b) => /^\s*application\/sdp/i.test(headerValue(b, 'Content-Type') ?? ''));
  if (bodies.length === 0) return undefined;
  const endpoints: FaxEndpoint[] = [];
  for (const b of bodies) {
    for (const m of parseSdp(message.buf.toString('utf8', b.bodyStart, b.bodyEnd)).media) {
      if (m.port === 0 || m.connection === '') continue;
      const image = m.media === 'image' && /udptl/i.test(m.proto) && m.formats.some((f) => f.toLowerCase() === 't38');
      endpoints.push({ address: m.connection, port: m.port, image });
    }
  }
  return { endpoints };
}
