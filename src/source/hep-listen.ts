import type { SkipReason } from '../model/skip.js';
import { readFileSync } from 'node:fs';
import net from 'node:net';
import { performance } from 'node:perf_hooks';
import { Worker } from 'node:worker_threads';
import { unzipSync } from 'node:zlib';
import { InputError } from '../model/errors.js';
import type { CaptureCounters, FrameSink, FrameSource, SourceEnd } from '../model/frame.js';
import {
  carriedKind, hep3Length, hepTime, HEP3_HEADER, isHep3Start, looksCompressed, newHepFields, parseHep, PROTO_UDP, rtcpFromJson,
  type HepFields,
} from './hep-codec.js';
import { parseEndpoint, type Endpoint } from './listen-spec.js';
import { SYNTH_LINKTYPE, synthPacket } from './synth-frame.js';
import { newRing, RingReader } from './hep-ring.js';
import type { UdpWorkerData, UdpWorkerMessage } from './hep-udp-worker.js';

export const HEP_PORT = 9060;

export interface HepListenOptions {
  /** 'udp:ADDR:PORT' or 'tcp:ADDR:PORT', one per listener. */
  specs: string[];
  /** When set, packets whose auth key chunk differs (or is missing) are counted and dropped. */
  password: string;
  /** SO_RCVBUF asked for the UDP sockets (the kernel caps it at net.core.rmem_max), and the size of the ring behind each. */
  receiveBuffer: number;
  /**
   * The frames' bytes are kept or written (-O, -r): their IP, UDP and TCP checksums are computed.
   * Else they are left 0 (the decoder checks none): summing every payload is most of what a HEP packet costs here.
   */
  checksums?: boolean;
}

/** A HEP3 packet is at most 65535 bytes: a connection never holds more than one unfinished packet. */
const MAX_TCP_HELD = 0xffff;
const MAX_CONNECTIONS = 1024;
/** Inflated payloads larger than this are not SIP and would only cost memory. */
const MAX_INFLATED = 1 << 20;
/** Synthesised packets are built here: IP and TCP headers plus the largest HEP payload fit. */
const SCRATCH = Buffer.alloc(60 + 20 + MAX_INFLATED);
/** Malformed packets are reported at most this often; the skip counters have them all. */
const LOG_EVERY_MS = 10_000;
/** TCP flows whose sequence numbers are tracked at once (the oldest are forgotten first). */
const MAX_FLOWS = 65_536;
/** A JSON RTCP report starts with '{'; a binary one with version 2 (0x80…0xbf). */
const JSON_START = 0x7b;
/** Node labels cached by capture ID (a hostile sender cannot grow it past this). */
const MAX_NODES = 4096;
/** The ring between a UDP socket's reader thread and the decoder: the receive buffer asked for, within these bounds. */
const MIN_RING = 16 << 20;
const MAX_RING = 1 << 30;
/** Datagrams decoded from the ring before other events (keys, frames, TCP agents) get a turn. */
const RING_BATCH = 1024;
/**
 * An empty ring is looked at again this often, up to IDLE_POLLS times, before the reader sleeps
 * until its thread wakes it: a wake is a message between threads, too dear to pay per datagram.
 */
const POLL_MS = 1;
const IDLE_POLLS = 50;

/** Where a HEP packet came from, asked only when needed (a bad packet, an agent that sends no capture ID). */
type Agent = () => string;

/** 'udp:ADDR:PORT' / 'tcp:ADDR:PORT' (protocol default udp, port default 9060), or an InputError. */
export function parseHepListen(spec: string): Endpoint {
  const at = parseEndpoint(spec, HEP_PORT, ['udp', 'tcp']);
  if (!at) throw new InputError(`invalid HEP listen address '${spec}': expected udp:ADDR:PORT or tcp:ADDR:PORT`);
  return at;
}

/**
 * Collects HEP v1/v2/v3 from capture agents (Kamailio siptrace, heplify, captagent, sipscope -H)
 * on UDP sockets and TCP servers, and turns each carried packet back into a raw IP/UDP or IP/TCP
 * frame from the HEP addresses, with the capture time the agent stamped. The decoder, the store
 * and -O then treat it like locally captured traffic; frame.node names the agent.
 */
export function openHepListen(opts: HepListenOptions): FrameSource {
  const endpoints = opts.specs.map(parseHepListen);
  const fields = newHepFields();
  const udpReaders: UdpReader[] = [];
  const servers: net.Server[] = [];
  const connections = new Set<net.Socket>();
  const password = opts.password === '' ? undefined : Buffer.from(opts.password, 'utf8');
  const checksums = opts.checksums ?? true;
  const seqs = new Map<string, number>();
  const nodes = new Map<number, string>();
  let received = 0;
  let frames = 0;
  let sink: FrameSink | undefined;
  let finish: (() => void) | undefined;
  const log = { at: 0, count: 0, reason: '', from: '' };

  const malformed = (reason: SkipReason, agent: Agent): void => {
    const from = agent();
    sink?.skip?.(reason);
    log.count++;
    log.reason = reason;
    log.from = from;
    const now = Date.now();
    if (now - log.at < LOG_EVERY_MS) return;
    const n = log.count;
    sink?.warn?.(`HEP: ${n} unusable packet${n === 1 ? '' : 's'}${log.at === 0 ? '' : ' in the last 10 s'}, last from ${from} (${reason})`);
    log.at = now;
    log.count = 0;
  };

  const nodeOf = (h: HepFields, buf: Buffer, agent: Agent): string => {
    if (h.nodeNameOff >= 0 && h.nodeNameLen > 0) return buf.toString('latin1', h.nodeNameOff, h.nodeNameOff + h.nodeNameLen);
    if (h.captureId < 0) return agent();
    let label = nodes.get(h.captureId);
    if (label === undefined) {
      if (nodes.size >= MAX_NODES) nodes.clear();
      label = String(h.captureId);
      nodes.set(h.captureId, label);
    }
    return label;
  };

  /** TCP sequence numbers per flow direction, so consecutive messages of one connection read as one stream. */
  const nextSeq = (buf: Buffer, h: HepFields, length: number): { seq: number; ack: number } => {
    const n = h.ipVersion === 4 ? 4 : 16;
    const src = buf.toString('latin1', h.srcOff, h.srcOff + n);
    const dst = buf.toString('latin1', h.dstOff, h.dstOff + n);
    const key = `${src}${h.sport}>${dst}${h.dport}`;
    const seq = seqs.get(key) ?? 1;
    seqs.delete(key);
    if (seqs.size >= MAX_FLOWS) seqs.delete(seqs.keys().next().value as string);
    seqs.set(key, (seq + length) >>> 0);
    return { seq, ack: seqs.get(`${dst}${h.dport}>${src}${h.sport}`) ?? 0 };
  };

  /** One HEP packet in buf[off, end) from agent. */
  const packet = (buf: Buffer, off: number, end: number, agent: Agent): void => {
    received++;
    const h = fields;
    const bad = parseHep(buf, off, end, h);
    if (bad !== undefined) return malformed(bad, agent);
    if (password !== undefined && (h.authOff < 0 || h.authLen !== password.length || !password.equals(buf.subarray(h.authOff, h.authOff + h.authLen)))) {
      return malformed('hep-auth-failed', agent);
    }
    const kind = carriedKind(h.payloadType);
    // Other protocols (MGCP, Diameter, …) are reported like bad packets.
    if (kind !== 'packet' && kind !== 'rtcp' && kind !== 'hep-log') return malformed(kind, agent);
    if (h.ipVersion === 0 && kind !== 'hep-log') return malformed('hep-no-address', agent);
    let payload = buf;
    let payOff = h.payOff;
    let payEnd = h.payEnd;
    if (h.compressed || looksCompressed(buf, payOff, payEnd)) {
      try {
        payload = unzipSync(buf.subarray(payOff, payEnd), { maxOutputLength: MAX_INFLATED });
      } catch {
        return malformed('hep-compressed', agent);
      }
      payOff = 0;
      payEnd = payload.length;
    }
    if (kind === 'hep-log') {
      // Kept with the call its correlation ID names (as HOMER shows them); without one, or past the bounds, counted.
      const callId = h.correlationOff < 0 ? '' : buf.toString('latin1', h.correlationOff, h.correlationOff + h.correlationLen);
      const ts = h.seconds >= 0 ? hepTime(h, 0n) : arrivalNs();
      if (sink?.hepLog?.(callId, ts, nodeOf(h, buf, agent), payload.toString('utf8', payOff, payEnd)) !== true) sink?.skip?.(kind);
      return;
    }
    if (kind === 'rtcp' && payload[payOff] === JSON_START) {
      const report = rtcpFromJson(payload.toString('utf8', payOff, payEnd));
      if (report === undefined) return malformed('hep-rtcp-bad', agent);
      payload = report;
      payOff = 0;
      payEnd = report.length;
    }
    const n = h.ipVersion === 4 ? 4 : 16;
    const src = buf.subarray(h.srcOff, h.srcOff + n);
    const dst = buf.subarray(h.dstOff, h.dstOff + n);
    // UDP for UDP; TCP for TCP, TLS, SCTP and the rest: framed by the decoder's SIP stream parser.
    let seq = -1;
    let ack = 0;
    if (h.proto !== PROTO_UDP && kind !== 'rtcp') ({ seq, ack } = nextSeq(buf, h, payEnd - payOff));
    const data = synthPacket(src, dst, h.sport, h.dport, seq, ack, payload, payOff, payEnd, SCRATCH, checksums);
    sink?.frame({
      index: ++frames, ts: h.seconds >= 0 ? hepTime(h, 0n) : arrivalNs(), linktype: SYNTH_LINKTYPE, data, origLen: data.length, fileOffset: -1,
      node: nodeOf(h, buf, agent), rtcp: kind === 'rtcp',
    });
  };

  const tcpConnection = (sock: net.Socket): void => {
    if (connections.size >= MAX_CONNECTIONS) {
      malformed('hep-too-many-connections', () => sock.remoteAddress ?? '?');
      sock.destroy();
      return;
    }
    connections.add(sock);
    const address = sock.remoteAddress ?? '?';
    const agent = (): string => address;
    let held: Buffer | undefined;
    sock.on('data', (chunk: Buffer) => {
      const buf = held ? Buffer.concat([held, chunk]) : chunk;
      held = undefined;
      let p = 0;
      while (buf.length - p >= HEP3_HEADER) {
        if (!isHep3Start(buf, p, buf.length)) {
          // HEPv1/v2 have no length: on a stream only HEP3 can be framed. Find the next packet.
          malformed('hep-resync', agent);
          const next = buf.indexOf('HEP3', p + 1, 'latin1');
          p = next < 0 ? Math.max(p + 1, buf.length - 3) : next;
          continue;
        }
        const len = hep3Length(buf, p);
        if (len < HEP3_HEADER) {
          malformed('hep-bad-length', agent);
          p += HEP3_HEADER;
          continue;
        }
        if (buf.length - p < len) break;
        packet(buf, p, p + len, agent);
        p += len;
      }
      // What is left is the start of one packet (at most 64 KiB): copied, since chunk is not ours to keep.
      if (p < buf.length) held = Buffer.from(buf.subarray(p, p + MAX_TCP_HELD));
    });
    sock.on('error', () => sock.destroy());
    sock.on('close', () => connections.delete(sock));
  };

  const dropsCache = { at: 0, dropped: 0 };
  const stop = (): void => {
    // The counters outlive the sockets: the headless summary is printed after stop().
    // What the reader threads took in before the signal is decoded first.
    for (const r of udpReaders) r.flush();
    if (udpReaders.length > 0) dropsCache.dropped = dropped(udpReaders);
    dropsCache.at = Infinity;
    for (const r of udpReaders.splice(0)) r.stop();
    for (const s of servers.splice(0)) s.close();
    for (const c of connections) c.destroy();
    finish?.();
  };

  const stats = (): CaptureCounters => {
    const now = Date.now();
    if (now - dropsCache.at >= 1000) {
      dropsCache.at = now;
      dropsCache.dropped = dropped(udpReaders);
    }
    return { received, dropped: dropsCache.dropped, ifDropped: 0 };
  };

  return {
    name: `HEP ${opts.specs.join(' ')}`,
    live: true,
    stats,
    stop,
    async start(s: FrameSink): Promise<SourceEnd> {
      sink = s;
      const ended = new Promise<void>((resolve) => (finish = resolve));
      try {
        for (const at of endpoints) {
          if (at.protocol === 'udp') udpReaders.push(await readUdp(at, opts.receiveBuffer, packet, s));
          else servers.push(await listenTcp(at, tcpConnection));
        }
      } catch (err) {
        stop();
        throw err;
      }
      // Every frame is synthesised raw IP: -O writes its header now, a valid (empty) pcap from the start.
      s.opened?.(SYNTH_LINKTYPE);
      await ended;
      return { frames };
    },
  };
}

function describe(at: Endpoint): string {
  return `${at.protocol}:${at.address.includes(':') ? `[${at.address}]` : at.address}:${at.port}`;
}

function listenError(at: Endpoint, e: NodeJS.ErrnoException): InputError {
  const why = e.code === 'EADDRINUSE' ? 'address already in use' : e.code === 'EADDRNOTAVAIL' ? 'no such local address' : e.message;
  return new InputError(`cannot listen on ${describe(at)}: ${why}`);
}

/** A UDP socket read by its own thread into a ring this thread decodes from. */
interface UdpReader {
  /** The local port (for the kernel's drop counter). */
  port: number;
  /** Decodes everything already in the ring. */
  flush(): void;
  stop(): void;
  /** Datagrams the ring had no room for. */
  ringDrops(): number;
}

function readUdp(at: Endpoint, receiveBuffer: number, packet: (b: Buffer, off: number, end: number, agent: Agent) => void, sink: FrameSink): Promise<UdpReader> {
  const ring = newRing(Math.min(MAX_RING, Math.max(MIN_RING, receiveBuffer)));
  const reader = new RingReader(ring);
  const data: UdpWorkerData = { ring, family: net.isIPv6(at.address) ? 'udp6' : 'udp4', address: at.address, port: at.port, receiveBuffer };
  const worker = new Worker(new URL('./hep-udp-worker.js', import.meta.url), { workerData: data });
  const each = (buf: Buffer, off: number, end: number): void => packet(buf, off, end, reader.agent);
  let scheduled = false;
  let stopped = false;
  let idle = 0;
  const run = (): void => {
    scheduled = false;
    if (stopped) return;
    const n = reader.drain(RING_BATCH, each);
    idle = n > 0 ? 0 : idle + 1;
    scheduled = true;
    // A full batch: another turn after the other events; an empty ring: a look again soon, or sleep.
    if (n === RING_BATCH) setImmediate(run);
    else if (idle < IDLE_POLLS) setTimeout(run, POLL_MS);
    else if (!reader.sleep()) setImmediate(run);
    else scheduled = false;
  };
  return new Promise((resolve, reject) => {
    worker.on('message', (m: UdpWorkerMessage) => {
      if (m.type === 'wake') {
        if (!scheduled) run();
      } else if (m.type === 'error') {
        void worker.terminate();
        reject(listenError(at, Object.assign(new Error(m.message), { code: m.code })));
      } else {
        if (m.granted < receiveBuffer * 0.9) {
          sink.warn?.(`HEP ${describe(at)}: receive buffer is ${Math.round(m.granted / 1024)} KiB, not ${Math.round(receiveBuffer / 1024)} KiB (raise net.core.rmem_max)`);
        }
        run();
        resolve({
          port: m.port,
          flush: () => { while (reader.drain(RING_BATCH, each) > 0); },
          stop: () => {
            stopped = true;
            void worker.terminate();
          },
          ringDrops: () => reader.dropped(),
        });
      }
    });
    worker.once('error', (e) => reject(new InputError(`cannot listen on ${describe(at)}: ${e.message}`)));
  });
}

function listenTcp(at: Endpoint, onConnection: (s: net.Socket) => void): Promise<net.Server> {
  const server = net.createServer(onConnection);
  return new Promise((resolve, reject) => {
    server.once('error', (e: NodeJS.ErrnoException) => reject(listenError(at, e)));
    server.listen(at.port, at.address, () => {
      server.removeAllListeners('error');
      server.on('error', () => {});
      resolve(server);
    });
  });
}

/**
 * Datagrams dropped on our UDP sockets: by the kernel (receive buffer full), from the last column of
 * /proc/net/udp{,6} for the sockets' local ports (0 where that file does not exist), and by the rings.
 */
function dropped(readers: UdpReader[]): number {
  if (readers.length === 0) return 0;
  const ports = new Set(readers.map((r) => r.port));
  let drops = readers.reduce((n, r) => n + r.ringDrops(), 0);
  for (const file of ['/proc/net/udp', '/proc/net/udp6']) {
    let text: string;
    try {
      text = readFileSync(file, 'latin1');
    } catch {
      continue;
    }
    for (const line of text.split('\n').slice(1)) {
      const cols = line.trim().split(/\s+/);
      const local = cols[1];
      if (local === undefined || cols.length < 13) continue;
      if (ports.has(parseInt(local.slice(local.indexOf(':') + 1), 16))) drops += Number(cols[cols.length - 1]);
    }
  }
  return drops;
}

function arrivalNs(): bigint {
  return BigInt(Math.round((performance.timeOrigin + performance.now()) * 1000)) * 1000n;
}
