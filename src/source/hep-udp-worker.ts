// The thread that reads one -L UDP socket (hep-listen.ts starts it): binds, sizes the receive buffer,
// and copies every datagram into the ring the decoding thread drains. It does nothing else, so it
// keeps reading while the decoding thread collects garbage or draws the screen.
import dgram from 'node:dgram';
import { parentPort, workerData } from 'node:worker_threads';
import { RingWriter, type RingBuffers } from './hep-ring.js';

/** What the listener hands the thread. */
export interface UdpWorkerData {
  ring: RingBuffers;
  family: 'udp4' | 'udp6';
  address: string;
  port: number;
  receiveBuffer: number;
}

/** What the thread says back: bound (with the receive buffer the kernel granted), a bind error, a wake-up for the reader. */
export type UdpWorkerMessage =
  | { type: 'bound'; port: number; granted: number }
  | { type: 'error'; code: string; message: string }
  | { type: 'wake' };

const data = workerData as UdpWorkerData;
const port = parentPort!;
const ring = new RingWriter(data.ring);
const sock = dgram.createSocket({ type: data.family });
const say = (m: UdpWorkerMessage): void => port.postMessage(m);

sock.on('message', (msg, rinfo) => {
  if (ring.put(msg, rinfo.address).wake) say({ type: 'wake' });
});
sock.once('error', (e: NodeJS.ErrnoException) => {
  say({ type: 'error', code: e.code ?? '', message: e.message });
  sock.close();
});
sock.bind(data.port, data.address, () => {
  sock.removeAllListeners('error');
  sock.on('error', () => {});
  try {
    sock.setRecvBufferSize(data.receiveBuffer);
  } catch {
    // Refused outright: the kernel default stays; the listener says so.
  }
  // Linux reports twice what it grants (the bookkeeping overhead), capped by net.core.rmem_max.
  say({ type: 'bound', port: sock.address().port, granted: sock.getRecvBufferSize() / 2 });
});
port.on('message', () => {
  // The only message is "stop": the socket closes and the thread ends with nothing left to wait for.
  sock.close();
  port.close();
});
