// Free ports and kernel socket tables, so tests bind ephemeral ports and wait on conditions, not sleeps.
import dgram from 'node:dgram';
import net from 'node:net';
import { readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';

/** A port the kernel just handed out for UDP and that is free for TCP too. */
export async function freePort(): Promise<number> {
  for (;;) {
    const sock = dgram.createSocket('udp4');
    const port = await new Promise<number>((r) => sock.bind(0, '127.0.0.1', () => r(sock.address().port)));
    sock.close();
    const free = await new Promise<boolean>((r) => {
      const srv = net.createServer().once('error', () => r(false)).listen(port, '127.0.0.1', () => srv.close(() => r(true)));
    });
    if (free) return port;
  }
}

interface SocketRow { localPort: number; remotePort: number; state: string; rxQueue: number; drops: number }

function rows(proto: 'udp' | 'tcp'): SocketRow[] {
  const out: SocketRow[] = [];
  for (const file of [`/proc/net/${proto}`, `/proc/net/${proto}6`]) {
    let text = '';
    try { text = readFileSync(file, 'latin1'); } catch { continue; }
    for (const line of text.split('\n').slice(1)) {
      const c = line.trim().split(/\s+/);
      if (c.length < 5) continue;
      const port = (a: string): number => parseInt(a.slice(a.lastIndexOf(':') + 1), 16);
      out.push({ localPort: port(c[1]!), remotePort: port(c[2]!), state: c[3]!, rxQueue: parseInt(c[4]!.split(':')[1]!, 16), drops: Number(c[c.length - 1]) });
    }
  }
  return out;
}

export async function waitFor(what: string, cond: () => boolean, stillRunning: () => boolean = () => true): Promise<void> {
  while (!cond()) {
    if (!stillRunning()) throw new Error(`gave up waiting for ${what}: the process ended`);
    await sleep(20);
  }
}

/** Someone listens on UDP port. */
export const udpBound = (port: number): boolean => rows('udp').some((r) => r.localPort === port);
/** Someone listens on TCP port. */
export const tcpListening = (port: number): boolean => rows('tcp').some((r) => r.localPort === port && r.state === '0A');
/** Everything that arrived on UDP port has been read by its owner. */
export const udpDrained = (port: number): boolean => rows('udp').filter((r) => r.localPort === port).every((r) => r.rxQueue === 0);
/** No connection to TCP port is left open (its data read to the end). */
export const tcpIdle = (port: number): boolean => !rows('tcp').some((r) => r.localPort === port && r.state !== '0A' && r.state !== '06');
/** Datagrams the kernel dropped on UDP port (receive buffer full). */
export const udpDrops = (port: number): number => rows('udp').filter((r) => r.localPort === port).reduce((n, r) => n + r.drops, 0);
