import dgram from 'node:dgram';
import net from 'node:net';
import type { Datagram, Transport, UdpView } from '../model/datagram.js';
import type { OutputCounters } from '../model/status.js';
import { Chunk, PAYLOAD_RTCP, PAYLOAD_SIP, PROTO_SCTP, PROTO_TCP, PROTO_UDP } from '../source/hep-codec.js';
import { rtcpToJson } from './hep-rtcp.js';
import { parseEndpoint, type Endpoint } from '../source/listen-spec.js';
import { ip6Bytes } from '../source/synth-frame.js';
import { InputError } from '../model/errors.js';
import type { OutputSink } from './output.js';

const HEP_PORT = 9060;
const AF_INET = 2;
const AF_INET6 = 10;
/** Bytes queued on a TCP connection before further messages are dropped (and counted). */
const MAX_TCP_QUEUE = 8 << 20;
const RECONNECT_MS = 1000;
/** Packets held while the first connection is being made (a file is read faster than TCP connects). */
const MAX_PENDING = 16_384;
/** How long closing waits for a first connection that is still being made. */
const CLOSE_WAIT_MS = 3000;
/** Address texts → bytes, for the few hosts a capture talks to (bounded against scans). */
const MAX_ADDRESSES = 4096;
/** Paced sending: packets queued before the file source is held back, and the level at which it reads on. */
const PACE_HIGH = 4096;
const PACE_LOW = PACE_HIGH / 2;
/** Paced sending wakes this often; a late wake sends what it missed, up to this much of the rate at once. */
const PACE_TICK_MS = 5;
const PACE_BURST_MS = 20;
/** A source that can wait (a file) is held back while this much is queued on the TCP connection. */
const TCP_HIGH = 1 << 20;
const EMPTY = Buffer.alloc(0);

export interface HepSendOptions {
  /** 'udp:HOST:PORT' or 'tcp:HOST:PORT' (default udp, port 9060). */
  target: string;
  captureId: number;
  /** Auth key chunk, '' for none. */
  password: string;
  /**
   * Messages a second at most (0: as fast as they come). Only for sources that can wait (a file):
   * the sink queues, and backlog() holds the source back while the queue is full.
   */
  rate: number;
  /** The source can wait (a file): over TCP, backlog() holds it back while the connection's queue is long, so nothing is dropped. */
  canWait?: boolean;
}

/** The fields of one HEPv3 packet; addresses as 4 or 16 bytes. */
export interface HepMessage {
  src: Buffer;
  dst: Buffer;
  sport: number;
  dport: number;
  transport: Transport;
  ts: bigint;
  captureId: number;
  password?: Buffer;
  /** Protocol type chunk: SIP (1) unless given (RTP 4, RTCP 5, log 100). */
  payloadType?: number;
  /** Correlation ID chunk (HOMER links RTCP and logs to a call by it); omitted when absent. */
  correlationId?: Buffer;
  payload: Buffer;
}

/** Encodes a HEPv3 packet: family, protocol, addresses, ports, time, protocol type (SIP), capture ID, [auth key], [correlation], payload. */
export function encodeHep3(m: HepMessage): Buffer {
  const v6 = m.src.length === 16;
  const alen = v6 ? 16 : 4;
  const auth = m.password?.length ?? 0;
  const corr = m.correlationId?.length ?? 0;
  const size = 6 + 7 + 7 + 2 * (6 + alen) + 2 * 8 + 2 * 10 + 7 + 10 + (auth > 0 ? 6 + auth : 0) + (corr > 0 ? 6 + corr : 0) + 6 + m.payload.length;
  if (size > 0xffff) throw new RangeError(`HEP packet of ${size} bytes exceeds 65535`);
  const b = Buffer.allocUnsafe(size);
  b.write('HEP3', 0, 'latin1');
  b.writeUInt16BE(size, 4);
  let p = 6;
  const chunk = (type: number, len: number): number => {
    b.writeUInt16BE(0, p);
    b.writeUInt16BE(type, p + 2);
    b.writeUInt16BE(6 + len, p + 4);
    p += 6 + len;
    return p - len;
  };
  b[chunk(Chunk.Family, 1)] = v6 ? AF_INET6 : AF_INET;
  b[chunk(Chunk.Protocol, 1)] = protoOf(m.transport);
  m.src.copy(b, chunk(v6 ? Chunk.Ip6Src : Chunk.Ip4Src, alen));
  m.dst.copy(b, chunk(v6 ? Chunk.Ip6Dst : Chunk.Ip4Dst, alen));
  b.writeUInt16BE(m.sport, chunk(Chunk.SrcPort, 2));
  b.writeUInt16BE(m.dport, chunk(Chunk.DstPort, 2));
  const micros = m.ts / 1000n;
  b.writeUInt32BE(Number(micros / 1_000_000n) >>> 0, chunk(Chunk.Seconds, 4));
  b.writeUInt32BE(Number(micros % 1_000_000n), chunk(Chunk.Micros, 4));
  b[chunk(Chunk.PayloadType, 1)] = m.payloadType ?? PAYLOAD_SIP;
  b.writeUInt32BE(m.captureId >>> 0, chunk(Chunk.CaptureId, 4));
  if (auth > 0) m.password!.copy(b, chunk(Chunk.AuthKey, auth));
  if (corr > 0) m.correlationId!.copy(b, chunk(Chunk.CorrelationId, corr));
  m.payload.copy(b, chunk(Chunk.Payload, m.payload.length));
  return b;
}

function protoOf(t: Transport): number {
  if (t === 'UDP') return PROTO_UDP;
  if (t === 'SCTP') return PROTO_SCTP;
  return PROTO_TCP;
}

export function parseHepTarget(spec: string): Endpoint {
  const at = parseEndpoint(spec, HEP_PORT, ['udp', 'tcp']);
  if (!at) throw new InputError(`invalid HEP target '${spec}': expected udp:HOST:PORT or tcp:HOST:PORT`);
  return at;
}

/**
 * -H: every SIP message the store keeps goes out as HEPv3 with its original addresses and
 * capture time, over UDP or one TCP connection (reconnected after a second when lost). Failures
 * (unresolvable, refused, unreachable, a full TCP queue) are counted, never fatal; the first of
 * each kind is also reported through warn.
 */
export class HepSender implements OutputSink {
  private readonly at: Endpoint;
  private readonly password: Buffer | undefined;
  private udp: dgram.Socket | undefined;
  private tcp: net.Socket | undefined;
  private connected = false;
  private closed = false;
  private retry: NodeJS.Timeout | undefined;
  private sent = 0;
  private errors = 0;
  private readonly warned = new Set<string>();
  /** Until the socket first connects; undefined afterwards (later outages count as errors). */
  private pending: Buffer[] | undefined = [];
  private readonly addresses = new Map<string, Buffer>();
  /** Paced packets not yet handed to the socket, oldest at queueHead. */
  private queue: Buffer[] = [];
  private queueHead = 0;
  private pacer: NodeJS.Timeout | undefined;
  /** When the pacer last looked, and the packets the rate allows it to send now (fractions carry over). */
  private pacedAt = 0;
  private credit = 0;
  private wake: (() => void) | undefined;
  private waiting: Promise<void> | undefined;
  private readonly onSent = (err?: Error | null): void => {
    if (err) this.fail(err);
    else this.sent++;
  };

  constructor(private readonly opts: HepSendOptions, private readonly warn: (text: string) => void) {
    this.at = parseHepTarget(opts.target);
    this.password = opts.password === '' ? undefined : Buffer.from(opts.password, 'utf8');
    this.connect();
  }

  private connect(): void {
    this.retry = undefined;
    if (this.closed) return;
    const { address, port } = this.at;
    if (this.at.protocol === 'udp') {
      const sock = dgram.createSocket(net.isIPv6(address) ? 'udp6' : 'udp4');
      this.udp = sock;
      sock.on('error', (e) => this.lost(e));
      sock.connect(port, address, () => this.up());
    } else {
      const sock = net.connect({ host: address, port });
      this.tcp = sock;
      sock.setNoDelay(true);
      sock.on('connect', () => this.up());
      sock.on('error', (e) => this.lost(e));
      sock.on('close', () => this.lost());
      sock.resume(); // a collector sends nothing; whatever it does is discarded
    }
  }

  private up(): void {
    this.connected = true;
    const held = this.pending ?? [];
    this.pending = undefined;
    for (const p of held) this.send(p);
    if (this.closed && this.pacer === undefined) this.release();
  }

  /** The socket is gone: count, report, try again in a second. */
  private lost(err?: Error): void {
    if (err) this.fail(err);
    // A source held back for the TCP queue reads on: what it sends now counts as not connected.
    this.readOn();
    if (this.closed) {
      if (this.pending) this.fail(`${this.pending.length} messages never sent: no connection`, this.pending.length);
      this.pending = undefined;
      return this.release();
    }
    if (this.retry) return;
    this.connected = false;
    this.udp?.close();
    this.tcp?.destroy();
    this.udp = this.tcp = undefined;
    this.retry = setTimeout(() => this.connect(), RECONNECT_MS);
    this.retry.unref();
  }

  private fail(err: Error | string, count = 1): void {
    this.errors += count;
    const code = typeof err === 'string' ? err : ((err as NodeJS.ErrnoException).code ?? err.message);
    if (this.warned.has(code)) return;
    this.warned.add(code);
    const target = `${this.at.protocol}:${this.at.address}:${this.at.port}`;
    this.warn(`HEP ${target}: ${typeof err === 'string' ? err : describeError(err)} (counted, sending goes on)`);
  }

  message(d: Datagram): void {
    this.out(d.src, d.sport, d.dst, d.dport, d.transport, d.ts, PAYLOAD_SIP, undefined, d.payload);
  }

  /**
   * RTCP of a call as HEP type 5: the JSON report HOMER stores (hep-rtcp.ts), with the Call-ID as correlation ID,
   * which is how HOMER links the report to the call's signalling (as heplify and captagent do).
   */
  rtcp(u: UdpView, callId: string): void {
    const report = rtcpToJson(u.buf, u.off, u.end);
    if (report === undefined) return;
    const ts = BigInt(u.sec) * 1_000_000_000n + BigInt(u.nsec);
    this.out(u.src, u.sport, u.dst, u.dport, 'UDP', ts, PAYLOAD_RTCP, Buffer.from(callId, 'latin1'), Buffer.from(report, 'utf8'));
  }

  private out(srcIp: string, sport: number, dstIp: string, dport: number, transport: Transport, ts: bigint, payloadType: number,
    correlationId: Buffer | undefined, payload: Buffer): void {
    if (this.closed) return;
    const paced = this.opts.rate > 0;
    if (!paced && !this.connected && (this.pending === undefined || this.pending.length >= MAX_PENDING)) return this.fail('not connected');
    const src = this.bytes(srcIp);
    const dst = this.bytes(dstIp);
    if (!src || !dst || src.length !== dst.length || payload.length > 0xff00) return this.fail('message not representable in HEP');
    const packet = encodeHep3({
      src, dst, sport, dport, transport, ts, captureId: this.opts.captureId, password: this.password, payloadType, correlationId, payload,
    });
    if (!paced) return this.deliver(packet);
    this.queue.push(packet);
    this.pace();
  }

  /** To the socket now, or held until the first connection is up. */
  private deliver(packet: Buffer): void {
    if (this.connected) this.send(packet);
    else if (this.pending !== undefined && this.pending.length < MAX_PENDING) this.pending.push(packet);
    else this.fail('not connected');
  }

  /**
   * While the paced queue is full, a promise that settles once it has half emptied: the pipeline
   * hands it to a file source, which waits before reading on. Undefined when there is room.
   */
  backlog(): Promise<void> | undefined {
    if (this.closed) return undefined;
    const tcpFull = this.opts.canWait === true && this.connected && this.tcp !== undefined && this.tcp.writableLength >= TCP_HIGH;
    if (this.queue.length - this.queueHead < PACE_HIGH && !tcpFull) return undefined;
    if (this.waiting === undefined && tcpFull) this.tcp!.once('drain', () => this.readOn());
    this.waiting ??= new Promise<void>((resolve) => (this.wake = resolve));
    return this.waiting;
  }

  /** The source held back by backlog() may read on. */
  private readOn(): void {
    this.wake?.();
    this.wake = this.waiting = undefined;
  }

  /** A packet joined the paced queue: out at once when the rate allows, else at the pacer's next wake. */
  private pace(): void {
    if (this.pacer === undefined) this.pump();
  }

  /** Sends what the rate allowed since the last wake (at most PACE_BURST_MS of it), and wakes again while packets wait. */
  private pump(): void {
    this.pacer = undefined;
    // A token bucket: the rate's worth of packets since the last wake, at most PACE_BURST_MS of it saved up.
    const now = performance.now();
    const perMs = this.opts.rate / 1000;
    this.credit = Math.min(this.credit + (now - this.pacedAt) * perMs, Math.max(1, PACE_BURST_MS * perMs));
    this.pacedAt = now;
    while (this.credit >= 1 && this.queueHead < this.queue.length) {
      this.deliver(this.queue[this.queueHead]!);
      this.queue[this.queueHead++] = EMPTY;
      this.credit--;
    }
    const left = this.queue.length - this.queueHead;
    if (left === 0 || this.queueHead >= PACE_HIGH) {
      this.queue = this.queue.slice(this.queueHead);
      this.queueHead = 0;
    }
    if (left < PACE_LOW) this.readOn();
    if (left === 0) {
      if (this.closed) this.finish();
      return;
    }
    this.pacer = setTimeout(() => this.pump(), PACE_TICK_MS);
  }

  private send(packet: Buffer): void {
    if (this.udp) {
      this.udp.send(packet, this.onSent);
    } else if (this.tcp) {
      if (this.tcp.writableLength > MAX_TCP_QUEUE) return this.fail('collector too slow: TCP queue full, message dropped');
      this.tcp.write(packet, this.onSent);
    }
  }

  private bytes(ip: string): Buffer | undefined {
    let b = this.addresses.get(ip);
    if (b === undefined) {
      if (this.addresses.size >= MAX_ADDRESSES) this.addresses.clear();
      b = addressBytes(ip);
      if (b === undefined) return undefined;
      this.addresses.set(ip, b);
    }
    return b;
  }

  status(): OutputCounters {
    return { label: `HEP ${this.at.protocol}:${this.at.address}:${this.at.port}`, written: this.sent, errors: this.errors };
  }

  /**
   * Lets queued packets go out, then releases the socket. Closing before the first connection
   * (a small file read in a few milliseconds) waits for it a little while, so they are not lost.
   */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.readOn();
    // Paced packets still queued go out at the rate first; the pacer's last wake comes back here.
    if (this.pacer === undefined) this.finish();
  }

  private finish(): void {
    if (this.connected || !this.pending || this.pending.length === 0) return this.release();
    clearTimeout(this.retry);
    this.retry = setTimeout(() => {
      this.fail(`${this.pending?.length ?? 0} messages never sent: no connection`, this.pending?.length ?? 0);
      this.pending = undefined;
      this.release();
    }, CLOSE_WAIT_MS);
  }

  private release(): void {
    clearTimeout(this.retry);
    this.retry = undefined;
    // Sends still queued in libuv (UDP) or in the socket (TCP) complete before the socket goes.
    this.tcp?.end();
    this.udp?.close();
    this.tcp = this.udp = undefined;
  }
}

function describeError(err: Error): string {
  const code = (err as NodeJS.ErrnoException).code;
  if (code === 'ECONNREFUSED') return 'connection refused';
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return 'host not found';
  if (code === 'EHOSTUNREACH' || code === 'ENETUNREACH') return 'unreachable';
  return err.message;
}

function addressBytes(ip: string): Buffer | undefined {
  if (net.isIPv4(ip)) return Buffer.from(ip.split('.').map(Number));
  return net.isIPv6(ip) ? ip6Bytes(ip) : undefined;
}
