import { bodyParts, headerValue, parseSipMessage } from '../sip/message.js';
import { parseSdp } from '../sip/sdp.js';

/** A media endpoint of an SDP body, and whether it carries T.38 (m=image … udptl t38, or t38 over RTP). */
export interface FaxEndpoint {
  address: string;
  port: number;
  image: boolean;
  /** T.38 over RTP (RFC 4612): the payload type of `a=rtpmap:N t38/8000`. */
  rtpPayloadType?: number;
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
      const udptl = m.media === 'image' && /udptl/i.test(m.proto) && m.formats.some((f) => f.toLowerCase() === 't38');
      const viaRtp = /^RTP\//i.test(m.proto) ? m.formats.find((f) => m.rtpmap.get(f)?.encoding.toLowerCase() === 't38') : undefined;
      endpoints.push({ address: m.connection, port: m.port, image: udptl || viaRtp !== undefined, ...(viaRtp !== undefined && { rtpPayloadType: Number(viaRtp) }) });
    }
  }
  return { endpoints };
}
