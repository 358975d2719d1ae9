import { sdpSessions } from './sdp-endpoints.js';

/** A media endpoint of an SDP body, and whether it carries T.38 (m=image … udptl t38, or t38 over RTP). */
export interface FaxEndpoint {
  address: string;
  port: number;
  image: boolean;
  /** T.38 over RTP (RFC 4612): the payload type of `a=rtpmap:N t38/8000`. */
  rtpPayloadType?: number;
}

/**
 * The SDP bodies of a message (the media plane's reader) as the fax module needs them: every
 * announced m= endpoint with whether it is T.38; undefined when the message has no SDP body.
 */
export function t38Media(sipPayload: Buffer): { endpoints: FaxEndpoint[] } | undefined {
  const sessions = sdpSessions(sipPayload);
  if (sessions.length === 0) return undefined;
  const endpoints: FaxEndpoint[] = [];
  for (const s of sessions) {
    for (const m of s.media) {
      if (m.port === 0 || m.connection === '') continue;
      const udptl = m.media === 'image' && /udptl/i.test(m.proto) && m.formats.some((f) => f.toLowerCase() === 't38');
      const viaRtp = /^RTP\//i.test(m.proto) ? m.formats.find((f) => m.rtpmap.get(f)?.encoding.toLowerCase() === 't38') : undefined;
      endpoints.push({ address: m.connection, port: m.port, image: udptl || viaRtp !== undefined, ...(viaRtp !== undefined && { rtpPayloadType: Number(viaRtp) }) });
    }
  }
  return { endpoints };
}
