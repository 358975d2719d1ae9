// A tiny UAC and UAS that play one call over loopback: INVITE / 100 / 180 / 200 / ACK / BYE / 200,
// a few milliseconds apart, over UDP or TCP. Tests capture the traffic it makes.
import dgram from 'node:dgram';
import net from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';

export interface CallOptions {
  transport: 'udp' | 'tcp';
  /** UAS port; the UAC uses an ephemeral one (UDP: uasPort + 1). */
  port: number;
  host?: string;
  callId?: string;
  gapMs?: number;
}

/** Start lines in the order they were sent. */
export const CALL_FLOW = ['INVITE', '100', '180', '200', 'ACK', 'BYE', '200'] as const;

const SDP = 'v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\nm=audio 40000 RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\n';

/** Builds the n-th message of CALL_FLOW. */
export function callMessage(step: number, o: { callId: string; transport: 'udp' | 'tcp'; host: string; port: number; uacPort: number }): string {
  const kind = CALL_FLOW[step]!;
  const via = `Via: SIP/2.0/${o.transport.toUpperCase()} ${o.host}:${o.uacPort};branch=z9hG4bK-${step < 5 ? 'inv' : 'bye'}-${o.callId}`;
  const cseq = step < 4 ? 'CSeq: 1 INVITE' : step === 4 ? 'CSeq: 1 ACK' : 'CSeq: 2 BYE';
  const toTag = step <= 1 ? '' : ';tag=uas';
  const body = step === 0 || step === 3 ? SDP : '';
  const first = /^\d/.test(kind)
    ? `SIP/2.0 ${kind} ${({ '100': 'Trying', '180': 'Ringing', '200': 'OK' } as Record<string, string>)[kind]}`
    : `${kind} sip:bob@${o.host}:${o.port} SIP/2.0`;
  return [
    first,
    via,
    'Max-Forwards: 70',
    `From: "Alice" <sip:alice@${o.host}>;tag=uac`,
    `To: <sip:bob@${o.host}>${toTag}`,
    `Call-ID: ${o.callId}`,
    cseq,
    `Contact: <sip:${step === 3 ? 'bob' : 'alice'}@${o.host}:${step === 3 ? o.port : o.uacPort}>`,
    ...(body ? ['Content-Type: application/sdp'] : []),
    `Content-Length: ${Buffer.byteLength(body)}`,
    '',
    body,
  ].join('\r\n');
}

/** Plays one call and resolves when the final 200 to BYE has been sent and received. */
export async function playCall(opts: CallOptions): Promise<void> {
  const host = opts.host ?? '127.0.0.1';
  const callId = opts.callId ?? `call-${opts.transport}-${opts.port}`;
  const gap = opts.gapMs ?? 5;
  if (opts.transport === 'udp') await playUdp(host, opts.port, callId, gap);
  else await playTcp(host, opts.port, callId, gap);
}

/** Steps the UAS sends (the responses); the UAC sends the rest. */
const FROM_UAS = new Set([1, 2, 3, 6]);

async function playUdp(host: string, port: number, callId: string, gap: number): Promise<void> {
  const family = host.includes(':') ? 'udp6' : 'udp4';
  const uas = dgram.createSocket(family);
  const uac = dgram.createSocket(family);
  await new Promise<void>((r) => uas.bind(port, host, r));
  await new Promise<void>((r) => uac.bind(port + 1, host, r));
  const o = { callId, transport: 'udp' as const, host, port, uacPort: port + 1 };
  try {
    for (let step = 0; step < CALL_FLOW.length; step++) {
      const [from, to] = FROM_UAS.has(step) ? [uas, port + 1] : [uac, port];
      await new Promise<void>((r, j) => from.send(callMessage(step, o), to, host, (e) => (e ? j(e) : r())));
      await sleep(gap);
    }
  } finally {
    uas.close();
    uac.close();
  }
}

async function playTcp(host: string, port: number, callId: string, gap: number): Promise<void> {
  let uasSide: net.Socket | undefined;
  // Both ends discard what they read, so the connections can finish closing.
  const server = net.createServer((s) => { uasSide = s.resume(); });
  await new Promise<void>((r) => server.listen(port, host, r));
  const uac = net.connect(port, host).resume();
  await new Promise<void>((r) => uac.once('connect', r));
  while (!uasSide) await sleep(1);
  const o = { callId, transport: 'tcp' as const, host, port, uacPort: uac.localPort! };
  try {
    for (let step = 0; step < CALL_FLOW.length; step++) {
      (FROM_UAS.has(step) ? uasSide : uac).write(callMessage(step, o));
      await sleep(gap);
    }
  } finally {
    uac.end();
    uasSide.end();
    await new Promise<void>((r) => server.close(() => r()));
  }
}
