// Real TLS sessions between Node's own tls client and server, recorded by a TCP proxy between
// them, and turned into a capture: the secrets come from the client's 'keylog' event.
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { createServer, connect as netConnect, type AddressInfo, type Socket } from 'node:net';
import { connect as tlsConnect, createServer as tlsCreateServer, type ConnectionOptions, type TlsOptions, type TLSSocket } from 'node:tls';
import { fileURLToPath } from 'node:url';
import { cat, ethernet, ip4, tcp } from './packets.js';

const FIXTURES = fileURLToPath(new URL('../../../test/fixtures/tls/', import.meta.url));
export const SERVER_KEY = readFileSync(`${FIXTURES}server.key`, 'latin1');
export const SERVER_CERT = readFileSync(`${FIXTURES}server.crt`, 'latin1');

/** Bytes as the proxy saw them, in order: which side sent them. */
export interface Chunk {
  fromClient: boolean;
  data: Buffer;
}

export interface Recorded {
  chunks: Chunk[];
  /** Key log lines the client logged. */
  keylog: string[];
  /** The TLS session, for resuming it in another connection. */
  session: Buffer | undefined;
  protocol: string | null;
  cipher: string;
  /** An abbreviated handshake resumed an earlier session. */
  reused: boolean;
}

/** What each side writes: one tls write per Buffer (a record or more each). */
export interface Script {
  client: Buffer[];
  server: Buffer[];
}

const total = (bufs: Buffer[]): number => bufs.reduce((n, b) => n + b.length, 0);

function received(sock: TLSSocket, bytes: number): Promise<Buffer> {
  const parts: Buffer[] = [];
  let have = 0;
  return new Promise((resolve, reject) => {
    if (bytes === 0) resolve(Buffer.alloc(0));
    sock.on('data', (b: Buffer) => {
      parts.push(b);
      have += b.length;
      if (have >= bytes) resolve(Buffer.concat(parts));
    });
    sock.on('error', reject);
  });
}

/**
 * Connections one after the other to one server (so later ones can resume earlier sessions):
 * each client writes its buffers, the server answers with its own once it has them all, and
 * the client closes once it has the answer. clients[i] gets the recordings before it.
 */
export async function recordSessions(
  script: Script, clients: ((before: Recorded[]) => ConnectionOptions)[], server: TlsOptions = {},
): Promise<Recorded[]> {
  const tlsServer = tlsCreateServer({ key: SERVER_KEY, cert: SERVER_CERT, ...server }, (sock) => {
    void received(sock, total(script.client)).then(() => {
      for (const b of script.server) sock.write(b);
    });
    sock.on('error', () => undefined);
  });
  // Session ID resumption (when tickets are off) needs a server-side cache.
  const cache = new Map<string, Buffer>();
  tlsServer.on('newSession', (id: Buffer, data: Buffer, done: () => void) => {
    cache.set(id.toString('hex'), data);
    done();
  });
  tlsServer.on('resumeSession', (id: Buffer, done: (err: Error | null, data: Buffer | null) => void) => done(null, cache.get(id.toString('hex')) ?? null));
  tlsServer.listen(0, '127.0.0.1');
  await once(tlsServer, 'listening');
  let chunks: Chunk[] = [];
  const proxy = createServer((down: Socket) => {
    const up = netConnect((tlsServer.address() as AddressInfo).port, '127.0.0.1');
    down.on('data', (b: Buffer) => {
      chunks.push({ fromClient: true, data: b });
      up.write(b);
    });
    up.on('data', (b: Buffer) => {
      chunks.push({ fromClient: false, data: b });
      down.write(b);
    });
    down.on('end', () => up.end());
    up.on('end', () => down.end());
    down.on('error', () => up.destroy());
    up.on('error', () => down.destroy());
  });
  proxy.listen(0, '127.0.0.1');
  await once(proxy, 'listening');
  const out: Recorded[] = [];
  try {
    for (const options of clients) {
      chunks = [];
      const keylog: string[] = [];
      let session: Buffer | undefined;
      const sock = tlsConnect({ port: (proxy.address() as AddressInfo).port, host: '127.0.0.1', rejectUnauthorized: false, ...options(out) });
      sock.on('keylog', (line: Buffer) => keylog.push(line.toString('latin1').trim()));
      sock.on('session', (s: Buffer) => (session = s));
      await once(sock, 'secureConnect');
      const answer = received(sock, total(script.server));
      for (const b of script.client) sock.write(b);
      await answer;
      const protocol = sock.getProtocol();
      const cipher = sock.getCipher().standardName;
      const reused = sock.isSessionReused();
      sock.end();
      await once(sock, 'close');
      out.push({ chunks, keylog, session, protocol, cipher, reused });
    }
    return out;
  } finally {
    proxy.close();
    tlsServer.close();
  }
}

export async function recordSession(script: Script, client: ConnectionOptions = {}, server: TlsOptions = {}): Promise<Recorded> {
  const [one] = await recordSessions(script, [() => client], server);
  return one!;
}

const CLIENT = '10.0.0.1';
const SERVER = '10.0.0.2';

/**
 * Ethernet frames of the recorded bytes: each chunk cut into segments of at most `mss`
 * bytes, so records straddle segments and segments hold several records.
 */
export function framesOf(chunks: Chunk[], mss: number, clientPort = 40000, serverPort = 5061): Buffer[] {
  const seq = { client: 1000, server: 9000 };
  const frames: Buffer[] = [];
  for (const { fromClient, data } of chunks) {
    for (let at = 0; at < data.length; at += mss) {
      const part = data.subarray(at, at + mss);
      const segment = fromClient ? tcp(clientPort, serverPort, seq.client, part) : tcp(serverPort, clientPort, seq.server, part);
      frames.push(ethernet(0x0800, fromClient ? ip4(CLIENT, SERVER, 6, segment) : ip4(SERVER, CLIENT, 6, segment)));
      if (fromClient) seq.client += part.length;
      else seq.server += part.length;
    }
  }
  return frames;
}

/** The records of one direction, each tagged with the chunk its last byte arrived in. */
export function recordsOf(chunks: Chunk[], fromClient: boolean): { chunk: number; record: Buffer }[] {
  const out: { chunk: number; record: Buffer }[] = [];
  let pending: Buffer = Buffer.alloc(0);
  chunks.forEach((c, i) => {
    if (c.fromClient !== fromClient) return;
    pending = cat(pending, c.data);
    while (pending.length >= 5 && pending.length >= 5 + pending.readUInt16BE(3)) {
      const len = 5 + pending.readUInt16BE(3);
      out.push({ chunk: i, record: pending.subarray(0, len) });
      pending = pending.subarray(len);
    }
  });
  return out;
}
