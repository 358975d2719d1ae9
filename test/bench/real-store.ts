import type { Datagram } from '../../src/model/datagram.js';
import { Store, type StoreOptions } from '../../src/store/store.js';

const T0 = 1_700_000_000_000_000_000n;

function invite(n: number): string {
  const from = 1000 + (n % 9000);
  const to = 2000 + (n % 7000);
  return `INVITE sip:${to}@bench.example SIP/2.0\r\nVia: SIP/2.0/UDP 192.168.${(n >> 8) & 255}.${n & 255}:5060;branch=z9hG4bK${n}\r\n` +
    `From: <sip:${from}@bench.example>;tag=a${n}\r\nTo: <sip:${to}@bench.example>\r\nCall-ID: call-${n}@bench.example\r\n` +
    `CSeq: 1 INVITE\r\nUser-Agent: BenchPhone/1.0\r\nContent-Length: 0\r\n\r\n`;
}

function ok(n: number): string {
  const from = 1000 + (n % 9000);
  const to = 2000 + (n % 7000);
  return `SIP/2.0 200 OK\r\nVia: SIP/2.0/UDP 192.168.${(n >> 8) & 255}.${n & 255}:5060;branch=z9hG4bK${n}\r\n` +
    `From: <sip:${from}@bench.example>;tag=a${n}\r\nTo: <sip:${to}@bench.example>;tag=b${n}\r\nCall-ID: call-${n}@bench.example\r\n` +
    `CSeq: 1 INVITE\r\nContent-Length: 0\r\n\r\n`;
}

/**
 * A real Store holding `dialogs` calls (INVITE and 200 OK each), fed through addDatagram as the
 * pipeline would: what the key→frame benchmark measures the list, its query window and the flow on.
 */
export function realStore(dialogs: number, opts: StoreOptions = {}): Store {
  const store = new Store(opts);
  addCalls(store, 0, dialogs);
  return store;
}

/** Calls number from … to - 1 into `store`, as realStore builds them (a store that grows in steps). */
export function addCalls(store: Store, from: number, to: number): void {
  const d: Datagram = { frame: 0, ts: T0, src: '', sport: 5060, dst: '10.0.0.1', dport: 5060, transport: 'UDP', payload: Buffer.alloc(0), fileOffset: -1 };
  for (let n = from; n < to; n++) {
    const caller = `192.168.${(n >> 8) & 255}.${n & 255}`;
    const ts = T0 + BigInt(n) * 1_000_000n;
    store.addDatagram({ ...d, frame: 2 * n + 1, ts, src: caller, payload: Buffer.from(invite(n)) });
    store.addDatagram({ ...d, frame: 2 * n + 2, ts: ts + 500_000n, src: '10.0.0.1', dst: caller, payload: Buffer.from(ok(n)) });
  }
}
