import dgram from 'node:dgram';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { waitFor } from './ports.js';

/** Bytes of a classic pcap file header: a larger -O file holds at least one captured packet. */
const PCAP_HEADER = 24;

/**
 * Sends a non-SIP datagram to udp `port` until the -O file `out` holds a packet: libpcap is then
 * capturing (opening it takes from a few ms to seconds on a loaded machine).
 */
export async function untilCapturing(out: string, port: number, running: () => boolean): Promise<void> {
  const probe = dgram.createSocket('udp4');
  try {
    while (!(existsSync(out) && statSync(out).size > PCAP_HEADER)) {
      if (!running()) throw new Error('gave up waiting for the capture to start: the process ended');
      probe.send('probe', port, '127.0.0.1');
      await sleep(50);
    }
  } finally {
    probe.close();
  }
}

/** Until the -O file `out` holds `n` messages with each of these Call-IDs. */
export function untilSaved(out: string, callIds: readonly string[], n: number, running: () => boolean): Promise<void> {
  const count = (text: string, needle: string): number => text.split(needle).length - 1;
  return waitFor(`${n} messages of ${callIds.join(', ')} in ${out}`, () => {
    const text = readFileSync(out, 'latin1');
    return callIds.every((id) => count(text, `Call-ID: ${id}\r\n`) >= n);
  }, running);
}
