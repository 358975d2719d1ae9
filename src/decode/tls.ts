import type { SkipReason } from '../model/skip.js';
import type { DecodeContext } from './context.js';
import { MAX_STREAM_MESSAGE, type StreamHeuristic, type StreamParser } from './stream-parser.js';
import {
  cipherSuite, masterSecret, nextTrafficSecret, rsaPreMaster, sessionHash, tls12Keys, tls13Keys,
  TLS10, TLS13, type CipherSuite, type RecordKeys, type TlsSecrets,
} from './tls-keys.js';

const CHANGE_CIPHER_SPEC = 20;
const HANDSHAKE = 22;
const APPLICATION_DATA = 23;
const HEARTBEAT = 24;

const CLIENT_HELLO = 1;
const SERVER_HELLO = 2;
const NEW_SESSION_TICKET = 4;
const CLIENT_KEY_EXCHANGE = 16;
const FINISHED = 20;
const KEY_UPDATE = 24;

const EXT_ENCRYPT_THEN_MAC = 22;
const EXT_EXTENDED_MASTER_SECRET = 23;
const EXT_SESSION_TICKET = 35;
const EXT_EARLY_DATA = 42;
const EXT_SUPPORTED_VERSIONS = 43;

const RECORD_HEADER = 5;
/** RFC 8446 §5.2: ciphertext is at most 2^14 + 256 bytes; TLS 1.2 allows 2^14 + 2048. */
const MAX_RECORD = (1 << 14) + 2048;
/** A handshake message (certificate chains included) larger than this is not worth holding. */
const MAX_HANDSHAKE = 256 * 1024;
/** Sessions tracked at once, and master secrets kept for resumption. */
const MAX_SESSIONS = 100_000;
const MAX_RESUMABLE = 10_000;
/** Records held per session, and in all, while a growing key log may still bring the session's secret. */
const MAX_WAITING = 256 * 1024;
const MAX_WAITING_TOTAL = 16 * 1024 * 1024;
/** Decrypted bytes without a recognisable start before the session's content is given up on. */
const MAX_PROBE = 4096;
/** ServerHello.random of a HelloRetryRequest (RFC 8446 §4.1.3). */
const HELLO_RETRY = Buffer.from('cf21ad74e59a6111be1d8c021e65b891c2a211167abb8c5e079e09e2c8a8339c', 'hex');

/** A TLS record header: change_cipher_spec … heartbeat, version 3.x. */
export function looksLikeTlsRecord(buf: Buffer, p: number, end: number): boolean {
  if (end - p < RECORD_HEADER) return false;
  const type = buf[p];
  return type >= CHANGE_CIPHER_SPEC && type <= HEARTBEAT && buf[p + 1] === 0x03 && buf[p + 2] <= 0x04;
}

/**
 * The decrypted application data of one direction: SIP framed by Content-Length, an HTTP
 * upgrade followed by WebSocket frames (WSS), or HEP; chosen by the TCP stream heuristics.
 */
class PlainStream {
  private parser: StreamParser | undefined;

  constructor(private readonly heuristics: readonly StreamHeuristic[]) {}

  private held: Buffer | undefined;
  private discard = 0;
  private ignored = false;

  push(cx: DecodeContext, data: Buffer): void {
    if (this.ignored) return;
    if (this.discard > 0) {
      const n = Math.min(this.discard, data.length);
      this.discard -= n;
      data = data.subarray(n);
      if (data.length === 0) return;
    }
    const buf = this.held === undefined ? data : Buffer.concat([this.held, data]);
    this.held = undefined;
    if (this.parser !== undefined && this.parser.need > buf.length) {
      this.held = buf;
      return;
    }
    let start = 0;
    if (this.parser === undefined) {
      start = this.detect(cx, buf);
      if (this.parser === undefined) {
        if (!this.ignored) this.held = buf.subarray(start);
        return;
      }
    }
    const parser = this.parser;
    const resume = cx.owning(() => parser.consume(cx, buf, start, buf.length));
    if (resume > buf.length) this.discard = resume - buf.length;
    else if (resume < buf.length) this.held = buf.subarray(resume);
    if (this.held !== undefined && this.held.length > MAX_STREAM_MESSAGE) {
      cx.sink.skip('tls-buffer-overflow');
      this.held = undefined;
    }
  }

  /** Picks the parser from the first decrypted bytes, as TCP streams do; returns where it starts. */
  private detect(cx: DecodeContext, buf: Buffer): number {
    let p = 0;
    const end = buf.length;
    while (p < end && (buf[p] === 0x0d || buf[p] === 0x0a)) p++;
    if (p >= end) return end;
    cx.decrypted = true;
    try {
      for (const h of this.heuristics) {
        const v = h.detect(cx, buf, p, end);
        if (v === undefined) continue;
        if (v === 'wait') return p;
        if ('ignore' in v) {
          cx.sink.skip(v.ignore);
          this.ignored = true;
          return end;
        }
        if (v.skip !== undefined) cx.sink.skip(v.skip);
        this.parser = v.parser;
        return v.at;
      }
    } finally {
      cx.decrypted = false;
    }
    if (end - p >= MAX_PROBE) {
      cx.sink.skip('tls-not-sip');
      this.ignored = true;
    }
    return p;
  }
}

/** One direction of a TLS session: its record keys, handshake bytes and decrypted stream. */
class Side {
  /** Keys records are opened with; undefined while records are plaintext. */
  keys: RecordKeys | undefined;
  /** Keys of the next epoch: TLS 1.2 after ChangeCipherSpec, TLS 1.3 after Finished. */
  next: RecordKeys | undefined;
  /** Set by a TLS 1.3 Finished or KeyUpdate: keys change after the current record. */
  change: 'next' | 'update' | undefined;
  hs: Buffer | undefined;
  opened = 0;
  /** TLS 1.3 without logged handshake secrets (or after 0-RTT): records before the first that opens are passed over. */
  skipsHandshake = false;
  readonly plain: PlainStream;

  constructor(heuristics: readonly StreamHeuristic[]) {
    this.plain = new PlainStream(heuristics);
  }
}

/** A record held until its session's secret is known, with the addresses its messages go out with. */
interface Waiting {
  from: string;
  src: string;
  sport: number;
  dst: string;
  dport: number;
  type: number;
  version: number;
  fragment: Buffer;
}

/** What the two directions of one connection share: the handshake's parameters and the keys. */
class Session {
  readonly client: Side;
  readonly server: Side;

  constructor(heuristics: readonly StreamHeuristic[]) {
    this.client = new Side(heuristics);
    this.server = new Side(heuristics);
  }

  clientFrom: string | undefined;
  clientRandom: Buffer | undefined;
  serverRandom: Buffer | undefined;
  offeredId: Buffer | undefined;
  offeredTicket: Buffer | undefined;
  /** TLS 1.3 0-RTT: the client's first records may be early data (not decrypted). */
  offeredEarlyData = false;
  serverId: Buffer | undefined;
  newTicket: Buffer | undefined;
  version = 0;
  suite: CipherSuite | undefined;
  etm = false;
  ems = false;
  sawKeyExchange = false;
  preMaster: Buffer | undefined;
  /** RSA keys were given and none decrypted the pre-master secret. */
  wrongKey = false;
  emsHash: Buffer | undefined;
  master: Buffer | undefined;
  /** Handshake messages so far, for the extended master secret with an RSA key. */
  transcript: Buffer[] | undefined;
  transcriptLen = 0;
  /** Why nothing more of this session is decrypted (counted once). */
  dead: string | undefined;
  /** Records that arrived before the session's secret was in the key log, in order. */
  waiting: Waiting[] | undefined;
  waitingBytes = 0;

  sideOf(from: string): Side | undefined {
    if (this.clientFrom === undefined) return undefined;
    return from === this.clientFrom ? this.client : this.server;
  }
}

/**
 * TLS sessions on TCP, found by content on any port. Each direction gets a TlsStreamParser;
 * the two share a Session keyed by the connection. Secrets come from the key log / RSA keys
 * (undefined: nothing is decrypted, each session is counted once as tls-no-key).
 */
export class TlsDecryption {
  private readonly sessions = new Map<string, Session>();
  /** Master secrets by "id <hex>" / "ticket <hex>", for abbreviated handshakes. */
  private readonly resumable = new Map<string, Buffer>();
  /** Sessions holding records for a secret not logged yet, and the bytes they hold. */
  readonly waiting = new Map<Session, TlsStreamParser>();
  waitingBytes = 0;
  /** Set during flush: a last look for secrets, where one direction's is better than none. */
  ending = false;

  /** heuristics: what may run inside TLS (SIP, WebSocket, HEP), tried in order on the decrypted bytes. */
  constructor(readonly secrets: TlsSecrets | undefined, private readonly heuristics: readonly StreamHeuristic[]) {}

  /** End of input: sessions still waiting get a last look (a late DSB, a key log line), else never got their secret. */
  flush(cx: DecodeContext): void {
    this.ending = true;
    for (const [session, parser] of [...this.waiting]) if (!parser.retry(cx, session)) fail(this, cx, session, 'tls-no-key');
    this.ending = false;
  }

  /** The parser for the direction cx.src:sport → cx.dst:dport. */
  parser(cx: DecodeContext): StreamParser {
    const a = `${cx.src} ${cx.sport}`;
    const b = `${cx.dst} ${cx.dport}`;
    return new TlsStreamParser(this, a < b ? `${a} ${b}` : `${b} ${a}`, a);
  }

  session(key: string): Session {
    return this.sessions.get(key) ?? this.restart(key);
  }

  /** A new session on the connection (its first record, or a new ClientHello). */
  restart(key: string): Session {
    this.sessions.delete(key);
    if (this.sessions.size >= MAX_SESSIONS) this.sessions.delete(this.sessions.keys().next().value as string);
    const s = new Session(this.heuristics);
    this.sessions.set(key, s);
    return s;
  }

  remember(kind: 'id' | 'ticket', id: Buffer | undefined, master: Buffer): void {
    if (id === undefined || id.length === 0) return;
    if (this.resumable.size >= MAX_RESUMABLE) this.resumable.delete(this.resumable.keys().next().value as string);
    this.resumable.set(`${kind} ${id.toString('hex')}`, master);
  }

  recall(kind: 'id' | 'ticket', id: Buffer | undefined): Buffer | undefined {
    return id === undefined || id.length === 0 ? undefined : this.resumable.get(`${kind} ${id.toString('hex')}`);
  }
}

/** Cuts one direction into TLS records and decrypts what the secrets allow. */
class TlsStreamParser implements StreamParser {
  need = 0;
  /** The stream lost record framing: the rest is dropped. */
  private lost = false;

  constructor(
    private readonly tls: TlsDecryption,
    private readonly key: string,
    private readonly from: string,
  ) {}

  consume(cx: DecodeContext, buf: Buffer, off: number, end: number): number {
    this.need = 0;
    if (this.lost) return end;
    let p = off;
    while (end - p >= RECORD_HEADER) {
      const len = buf.readUInt16BE(p + 3);
      if (!looksLikeTlsRecord(buf, p, end) || len > MAX_RECORD) {
        cx.sink.skip('tls-bad-record');
        this.lost = true;
        return end;
      }
      const recEnd = p + RECORD_HEADER + len;
      // A session that cannot be decrypted is skipped record by record without holding its bytes.
      if (this.tls.session(this.key).dead !== undefined) {
        p = recEnd;
        continue;
      }
      if (recEnd > end) {
        this.need = recEnd - p;
        return p;
      }
      this.record(cx, this.from, buf[p], buf.readUInt16BE(p + 1), buf.subarray(p + RECORD_HEADER, recEnd));
      p = recEnd;
    }
    return p;
  }

  private record(cx: DecodeContext, from: string, type: number, version: number, fragment: Buffer): void {
    let session = this.tls.session(this.key);
    if (session.waiting !== undefined && !this.retry(cx, session)) return this.hold(cx, session, from, type, version, fragment);
    if (session.dead !== undefined) return;
    if (type === HANDSHAKE && fragment[0] === CLIENT_HELLO && session.sideOf(from)?.keys === undefined) {
      if (session.serverRandom !== undefined) session = this.tls.restart(this.key);
      session.clientFrom = from;
      if ((this.tls.secrets?.rsaKeys.length ?? 0) > 0) session.transcript ??= [];
    }
    const side = session.sideOf(from);
    if (side === undefined) return this.fail(cx, session, 'tls-no-handshake');
    let data = fragment;
    const encrypted = side.keys !== undefined && (session.version !== TLS13 || type === APPLICATION_DATA);
    if (encrypted) {
      const opened = this.open(side, type, version, fragment);
      if (opened === undefined) {
        if (side.skipsHandshake && side.opened === 0) return;
        if (side.opened === 0) return this.fail(cx, session, 'tls-bad-key');
        cx.sink.skip('tls-bad-record');
        return;
      }
      side.opened++;
      type = opened.type;
      data = opened.data;
    }
    switch (type) {
      case CHANGE_CIPHER_SPEC:
        if (session.version !== TLS13 && !this.changeCipherSpec(cx, session, side)) this.hold(cx, session, from, type, version, fragment);
        break;
      case HANDSHAKE:
        this.handshake(cx, session, side, data, encrypted);
        break;
      case APPLICATION_DATA:
        if (!encrypted) return this.fail(cx, session, session.serverRandom === undefined ? 'tls-no-handshake' : 'tls-no-key');
        side.plain.push(cx, data);
        break;
      default:
        break; // alerts and heartbeats carry no SIP
    }
    if (side.change !== undefined && side.keys !== undefined) {
      side.keys = side.change === 'next' ? side.next : tls13Keys(side.keys.suite, nextTrafficSecret(side.keys.suite, side.keys.secret!));
      side.next = undefined;
      side.change = undefined;
    }
  }

  /** Opens a record; a TLS 1.3 record the handshake keys do not open may already use the traffic keys (no handshake secrets logged). */
  private open(side: Side, type: number, version: number, fragment: Buffer): ReturnType<RecordKeys['open']> {
    const opened = side.keys!.open(type, version, fragment);
    if (opened !== undefined || side.next === undefined || side.keys!.secret === undefined) return opened;
    const later = side.next.open(type, version, fragment);
    if (later !== undefined) {
      side.keys = side.next;
      side.next = undefined;
    }
    return later;
  }

  private fail(cx: DecodeContext, session: Session, reason: SkipReason): void {
    fail(this.tls, cx, session, reason);
  }

  /**
   * Holds a record of a session whose secret is missing: a growing key log (a live capture,
   * where the application logs its secrets about when its packets are captured) or a pcapng
   * Decryption Secrets Block later in the file may still bring it.
   */
  private hold(cx: DecodeContext, session: Session, from: string, type: number, version: number, fragment: Buffer): void {
    this.awaitSecret(cx, session);
    if (session.waiting === undefined) return;
    session.waiting.push({ from, src: cx.src, sport: cx.sport, dst: cx.dst, dport: cx.dport, type, version, fragment: Buffer.from(fragment) });
    session.waitingBytes += fragment.length;
    this.tls.waitingBytes += fragment.length;
    if (session.waitingBytes > MAX_WAITING || this.tls.waitingBytes > MAX_WAITING_TOTAL) this.fail(cx, session, 'tls-no-key');
  }

  /** The session's secret is missing: wait for it (bounded), or count the session when there are no secrets at all. */
  private awaitSecret(cx: DecodeContext, session: Session): void {
    if (this.tls.secrets === undefined) return this.fail(cx, session, 'tls-no-key');
    session.waiting ??= [];
    this.tls.waiting.set(session, this);
  }

  /** Asks the key log again for a waiting session's secret; once there, replays what was held. */
  retry(cx: DecodeContext, session: Session): boolean {
    const found = session.version === TLS13 ? this.tls13Secrets(cx, session, session.suite!) : this.establish12(session);
    if (!found || session.waiting === undefined) return false;
    const held = session.waiting;
    release(this.tls, session);
    const { src, sport, dst, dport } = cx;
    for (const w of held) {
      cx.src = w.src;
      cx.sport = w.sport;
      cx.dst = w.dst;
      cx.dport = w.dport;
      this.record(cx, w.from, w.type, w.version, w.fragment);
    }
    cx.src = src;
    cx.sport = sport;
    cx.dst = dst;
    cx.dport = dport;
    return true;
  }

  private handshake(cx: DecodeContext, session: Session, side: Side, data: Buffer, encrypted: boolean): void {
    const buf = side.hs === undefined ? data : Buffer.concat([side.hs, data]);
    side.hs = undefined;
    let p = 0;
    while (buf.length - p >= 4) {
      const len = (buf[p + 1] << 16) | buf.readUInt16BE(p + 2);
      if (len > MAX_HANDSHAKE) {
        cx.sink.skip('tls-handshake-too-big');
        return;
      }
      if (buf.length - p < 4 + len) break;
      const message = buf.subarray(p, p + 4 + len);
      if (!encrypted) this.keepTranscript(session, message);
      this.message(cx, session, side, buf[p], message.subarray(4), encrypted);
      if (session.dead !== undefined) return;
      p += 4 + len;
    }
    // Bytes of a plaintext record still lie in the capture's buffer: keep a copy.
    if (p < buf.length) side.hs = buf === data && !encrypted ? Buffer.from(buf.subarray(p)) : buf.subarray(p);
  }

  private keepTranscript(session: Session, message: Buffer): void {
    if (session.transcript === undefined) return;
    session.transcriptLen += message.length;
    if (session.transcriptLen > MAX_HANDSHAKE) session.transcript = undefined;
    else session.transcript.push(Buffer.from(message));
  }

  private message(cx: DecodeContext, session: Session, side: Side, type: number, body: Buffer, encrypted: boolean): void {
    if (type === CLIENT_HELLO && !encrypted) clientHello(session, body);
    else if (type === SERVER_HELLO && !encrypted) this.serverHello(cx, session, body);
    else if (type === NEW_SESSION_TICKET && session.version !== TLS13 && body.length >= 6) {
      session.newTicket = Buffer.from(body.subarray(6, 6 + body.readUInt16BE(4)));
    } else if (type === CLIENT_KEY_EXCHANGE && !encrypted) {
      this.clientKeyExchange(session, body);
    } else if (session.version === TLS13 && encrypted) {
      if (type === FINISHED) side.change = 'next';
      else if (type === KEY_UPDATE) side.change = 'update';
    }
  }

  private serverHello(cx: DecodeContext, session: Session, body: Buffer): void {
    const hello = parseHello(body, false);
    if (hello === undefined) return this.fail(cx, session, 'tls-bad-handshake');
    if (hello.random.equals(HELLO_RETRY)) return; // the client says hello again, same random
    session.serverRandom = hello.random;
    session.serverId = hello.sessionId;
    session.version = hello.supportedVersion || hello.version;
    session.etm = hello.extensions.has(EXT_ENCRYPT_THEN_MAC);
    session.ems = hello.extensions.has(EXT_EXTENDED_MASTER_SECRET);
    session.suite = cipherSuite(hello.suite);
    if (session.suite === undefined || session.version < TLS10 || session.version > TLS13 || session.suite.tls13 !== (session.version === TLS13)) {
      return this.fail(cx, session, 'tls-unsupported');
    }
    // Only an RSA key exchange with extended master secret needs the handshake's hash.
    if (!session.suite.rsa || session.version === TLS13) session.transcript = undefined;
    // Without the secret yet, the encrypted records that follow wait for it (or the session is counted).
    if (session.version === TLS13 && !this.tls13Secrets(cx, session, session.suite)) this.awaitSecret(cx, session);
  }

  /** Installs the TLS 1.3 keys of both directions; false while the key log lacks them. */
  private tls13Secrets(cx: DecodeContext, session: Session, suite: CipherSuite): boolean {
    const secrets = this.tls.secrets;
    const cr = session.clientRandom;
    if (cr === undefined) {
      this.fail(cx, session, 'tls-no-handshake');
      return false;
    }
    const keys = (label: Parameters<TlsSecrets['get']>[0]): RecordKeys | undefined => {
      const secret = secrets?.get(label, cr);
      return secret && tls13Keys(suite, secret);
    };
    let clientApp = keys('CLIENT_TRAFFIC_SECRET_0');
    const serverApp = keys('SERVER_TRAFFIC_SECRET_0');
    // The second lookup may have read more of a growing key log.
    clientApp ??= keys('CLIENT_TRAFFIC_SECRET_0');
    // Both directions' secrets, or at the end of input what there is.
    if (this.tls.ending ? clientApp === undefined && serverApp === undefined : clientApp === undefined || serverApp === undefined) return false;
    session.transcript = undefined;
    for (const [side, hs, app] of [
      [session.client, keys('CLIENT_HANDSHAKE_TRAFFIC_SECRET'), clientApp],
      [session.server, keys('SERVER_HANDSHAKE_TRAFFIC_SECRET'), serverApp],
    ] as const) {
      side.keys = hs ?? app;
      side.next = hs === undefined ? undefined : app;
      side.skipsHandshake = hs === undefined;
    }
    if (session.offeredEarlyData) session.client.skipsHandshake = true;
    return true;
  }

  private clientKeyExchange(session: Session, body: Buffer): void {
    session.sawKeyExchange = true;
    if (session.suite?.rsa !== true || body.length < 2) return;
    const encrypted = body.subarray(2, 2 + body.readUInt16BE(0));
    const secrets = this.tls.secrets;
    session.preMaster = secrets?.get('RSA', encrypted.subarray(0, 8)) ?? rsaPreMaster(secrets?.rsaKeys ?? [], encrypted);
    session.wrongKey = session.preMaster === undefined && (secrets?.rsaKeys.length ?? 0) > 0;
    if (session.ems && session.transcript !== undefined) session.emsHash = sessionHash(session.version, session.suite, session.transcript);
    session.transcript = undefined;
  }

  /** The direction switches to its keys; false when the secret is not known yet (the record is to wait). */
  private changeCipherSpec(cx: DecodeContext, session: Session, side: Side): boolean {
    if (!this.establish12(session)) {
      if (session.serverRandom === undefined) this.fail(cx, session, 'tls-no-handshake');
      else if (session.wrongKey) this.fail(cx, session, 'tls-bad-key');
      return session.dead !== undefined;
    }
    this.tls.remember('id', session.serverId, session.master!);
    if (session.newTicket !== undefined) this.tls.remember('ticket', session.newTicket, session.master!);
    side.keys = side.next;
    side.next = undefined;
    return true;
  }

  /** The TLS 1.0–1.2 keys of both directions, from the master secret once it is known. */
  private establish12(session: Session): boolean {
    if (session.master !== undefined) return true;
    const master = this.masterOf(session);
    if (master === undefined) return false;
    session.master = master;
    const keys = tls12Keys(session.version, session.suite!, master, session.clientRandom!, session.serverRandom!, session.etm);
    session.client.next = keys.client;
    session.server.next = keys.server;
    return true;
  }

  /** The TLS 1.0–1.2 master secret: logged, resumed (abbreviated handshake), or from the pre-master secret. */
  private masterOf(session: Session): Buffer | undefined {
    const { clientRandom, serverRandom, suite } = session;
    if (clientRandom === undefined || serverRandom === undefined || suite === undefined) return undefined;
    const logged = this.tls.secrets?.get('CLIENT_RANDOM', clientRandom);
    if (logged !== undefined) return logged;
    let master: Buffer | undefined;
    if (!session.sawKeyExchange) {
      const echoed = session.offeredId !== undefined && session.serverId !== undefined && session.offeredId.equals(session.serverId);
      master = (echoed ? this.tls.recall('id', session.serverId) : undefined) ?? this.tls.recall('ticket', session.offeredTicket);
    } else if (session.preMaster !== undefined && (!session.ems || session.emsHash !== undefined)) {
      master = masterSecret(session.version, suite, session.preMaster, clientRandom, serverRandom, session.emsHash);
    }
    if (master !== undefined) this.tls.secrets?.use('CLIENT_RANDOM', clientRandom, master);
    return master;
  }
}

function release(tls: TlsDecryption, session: Session): void {
  tls.waitingBytes -= session.waitingBytes;
  tls.waiting.delete(session);
  session.waiting = undefined;
  session.waitingBytes = 0;
}

function fail(tls: TlsDecryption, cx: DecodeContext, session: Session, reason: SkipReason): void {
  release(tls, session);
  if (session.dead !== undefined) return;
  session.dead = reason;
  cx.sink.skip(reason);
}

function clientHello(session: Session, body: Buffer): void {
  const hello = parseHello(body, true);
  if (hello === undefined) return;
  session.clientRandom = hello.random;
  session.offeredId = hello.sessionId;
  const ticket = hello.extensions.get(EXT_SESSION_TICKET);
  session.offeredTicket = ticket !== undefined && ticket.length > 0 ? Buffer.from(ticket) : undefined;
  session.offeredEarlyData = hello.extensions.has(EXT_EARLY_DATA);
}

interface Hello {
  version: number;
  random: Buffer;
  sessionId: Buffer;
  /** ServerHello: the cipher suite chosen. */
  suite: number;
  /** ServerHello supported_versions: the version actually chosen (TLS 1.3), else 0. */
  supportedVersion: number;
  extensions: Map<number, Buffer>;
}

/** The parts of a ClientHello / ServerHello the record layer needs (copies); undefined when malformed. */
function parseHello(body: Buffer, client: boolean): Hello | undefined {
  if (body.length < 38) return undefined;
  const version = body.readUInt16BE(0);
  const random = Buffer.from(body.subarray(2, 34));
  let p = 34;
  const idLen = body[p++];
  if (p + idLen > body.length) return undefined;
  const sessionId = Buffer.from(body.subarray(p, p + idLen));
  p += idLen;
  let suite = 0;
  if (client) {
    if (p + 2 > body.length) return undefined;
    p += 2 + body.readUInt16BE(p);
    if (p >= body.length) return undefined;
    p += 1 + body[p];
  } else {
    if (p + 3 > body.length) return undefined;
    suite = body.readUInt16BE(p);
    p += 3;
  }
  const extensions = new Map<number, Buffer>();
  if (p + 2 <= body.length) {
    const extEnd = Math.min(body.length, p + 2 + body.readUInt16BE(p));
    p += 2;
    while (p + 4 <= extEnd) {
      const type = body.readUInt16BE(p);
      const len = body.readUInt16BE(p + 2);
      extensions.set(type, body.subarray(p + 4, Math.min(extEnd, p + 4 + len)));
      p += 4 + len;
    }
  }
  const sv = extensions.get(EXT_SUPPORTED_VERSIONS);
  const supportedVersion = !client && sv !== undefined && sv.length === 2 ? sv.readUInt16BE(0) : 0;
  return { version, random, sessionId, suite, supportedVersion, extensions };
}
