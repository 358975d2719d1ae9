import type { Datagram } from '../../src/model/datagram.js';

let frame = 0;

/** A UDP datagram 10.0.0.1:5060 → 10.0.0.2:5060 carrying `payload`, one millisecond after the previous one. */
export function udpDatagram(payload: Buffer, over: Partial<Datagram> = {}): Datagram {
  frame++;
  return {
    frame, ts: 1_700_000_000_000_000_000n + BigInt(frame) * 1_000_000n, src: '10.0.0.1', sport: 5060,
    dst: '10.0.0.2', dport: 5060, transport: 'UDP', payload, fileOffset: -1, ...over,
  };
}
