/** Synthetic SIP messages for the sip/ and store/ tests. */

export function sip(lines: string[], body = ''): Buffer {
  return Buffer.from(lines.join('\r\n') + '\r\n\r\n' + body, 'latin1');
}

export const SDP_BODY = [
  'v=0',
  'o=alice 2890844526 2890844527 IN IP4 10.0.0.1',
  's=call',
  'c=IN IP4 10.0.0.1',
  't=0 0',
  'm=audio 49170 RTP/AVP 0 8 101',
  'a=rtpmap:0 PCMU/8000',
  'a=rtpmap:8 PCMA/8000',
  'a=rtpmap:101 telephone-event/8000',
  'a=fmtp:101 0-16',
  'a=sendrecv',
  '',
].join('\r\n');

export function invite(callId = 'a84b4c76e66710@pc33.example.com', extra: string[] = [], body = SDP_BODY): Buffer {
  return sip([
    'INVITE sip:bob@biloxi.example.com SIP/2.0',
    'Via: SIP/2.0/UDP pc33.example.com;branch=z9hG4bK776asdhds',
    'Max-Forwards: 70',
    'To: Bob <sip:bob@biloxi.example.com>',
    'From: "Alice A." <sip:alice@atlanta.example.com>;tag=1928301774',
    `Call-ID: ${callId}`,
    'CSeq: 314159 INVITE',
    'Contact: <sip:alice@pc33.example.com>',
    'User-Agent: TestPhone/1.0',
    ...extra,
    'Content-Type: application/sdp',
    `Content-Length: ${Buffer.byteLength(body)}`,
  ], body);
}

export function response(status: string, callId: string, cseq = '314159 INVITE', extra: string[] = []): Buffer {
  return sip([
    `SIP/2.0 ${status}`,
    'Via: SIP/2.0/UDP pc33.example.com;branch=z9hG4bK776asdhds',
    'To: Bob <sip:bob@biloxi.example.com>;tag=a6c85cf',
    'From: "Alice A." <sip:alice@atlanta.example.com>;tag=1928301774',
    `Call-ID: ${callId}`,
    `CSeq: ${cseq}`,
    ...extra,
    'Content-Length: 0',
  ]);
}

export function request(method: string, callId: string, cseq: number, extra: string[] = []): Buffer {
  return sip([
    `${method} sip:bob@192.0.2.4 SIP/2.0`,
    'Via: SIP/2.0/UDP pc33.example.com;branch=z9hG4bKnashds8',
    'To: Bob <sip:bob@biloxi.example.com>;tag=a6c85cf',
    'From: "Alice A." <sip:alice@atlanta.example.com>;tag=1928301774',
    `Call-ID: ${callId}`,
    `CSeq: ${cseq} ${method}`,
    ...extra,
    'Content-Length: 0',
  ]);
}
