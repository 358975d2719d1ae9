import { bodyParts, headerValue, parseSipMessage, type ParsedSip, type ScanPlaces, type SipEntity, type SipScan } from '../sip/message.js';
import { NO_SDP_READ, type SdpRead, type SdpReader } from '../sip/sdp-scan.js';
import { parseSdp, type SdpSession } from '../sip/sdp.js';

/** Where a media stream is to be received: an SDP m= port at its c= address. */
export interface MediaEndpoint {
  address: string;
  port: number;
}

function isSdp(entity: SipEntity): boolean {
  return /^\s*application\/sdp/i.test(headerValue(entity, 'Content-Type') ?? '');
}

/** The SDP bodies of a parsed SIP message (the whole body or multipart parts). */
export function sdpSessionsOf(message: ParsedSip): SdpSession[] {
  const parts = bodyParts(message);
  return (parts.length > 0 ? parts : [message]).filter(isSdp)
    .map((b) => parseSdp(message.buf.toString('utf8', b.bodyStart, b.bodyEnd)));
}

/**
 * The one SDP read of a message at ingest (scanSip's result and places on its payload): a plain
 * body is scanned where it lies, others go through the full parse (multipart).
 */
export function readMessageSdp(reader: SdpReader, payload: Buffer, scan: SipScan, places: ScanPlaces): SdpRead {
  if (!scan.hasSdp) return NO_SDP_READ;
  if (places.sdp >= 0) return reader.read(payload, places.sdp, places.sdpEnd);
  return reader.readSessions(sdpSessionsOf(parseSipMessage(payload)));
}

/** The SDP bodies of a SIP message's bytes. */
export function sdpSessions(sipPayload: Buffer): SdpSession[] {
  return sdpSessionsOf(parseSipMessage(sipPayload));
}

/**
 * Media endpoints announced by the SDP of a SIP message.
 * Port 0 (a declined stream) and streams without a connection address announce nothing.
 */
export function sdpEndpoints(sipPayload: Buffer): MediaEndpoint[] {
  const out: MediaEndpoint[] = [];
  for (const s of sdpSessions(sipPayload)) {
    for (const m of s.media) if (m.port > 0 && m.connection !== '') out.push({ address: m.connection, port: m.port });
  }
  return out;
}
