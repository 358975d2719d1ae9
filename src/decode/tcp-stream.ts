import type { FrameRef } from '../model/datagram.js';
import type { SkipReason } from '../model/skip.js';
import type { DecodeContext, Skip } from './context.js';
import { framesIn, type Assembly } from './frame-refs.js';
import type { StreamHeuristic, StreamParser } from './stream-parser.js';

const FIN = 0x01;
const SYN = 0x02;
const RST = 0x04;

/** Bounds that keep stream memory fixed whatever the capture holds. */
export interface StreamLimits {
  /** Bytes held per direction (unframed data plus out-of-order segments). */
  maxBuffered: number;
  /** Out-of-order segments held per direction; past this the gap is given up on. */
  maxSegments: number;
  /** Bytes held by all directions together; past this the direction holding longest is dropped. */
  maxTotalBuffered: number;
  /** Out-of-order segments are given up on (the gap skipped) after waiting this long. */
  gapTimeoutNs: bigint;
  /** Directions silent this long are forgotten. */
  idleNs: bigint;
  /** Directions tracked at once. */
  maxStreams: number;
  /** Segments without a recognisable start before a stream is ignored for good. */
  maxProbes: number;
}

export const DEFAULT_STREAM_LIMITS: StreamLimits = {
  maxBuffered: 1 << 20,
  maxSegments: 1024,
  maxTotalBuffered: 64 << 20,
  gapTimeoutNs: 3_000_000_000n,
  idleNs: 300_000_000_000n,
  maxStreams: 100_000,
  maxProbes: 4,
};

/** How many segments between sweeps for idle streams. */
const SWEEP_EVERY = 4096;

interface Segment {
  seq: number;
  data: Buffer;
  /** The frames it came in (a save writes them for the messages cut from it). */
  refs: readonly FrameRef[];
}

/** One direction of a TCP connection. */
class Direction {
  src: string;
  sport: number;
  dst: string;
  dport: number;
  /** Sequence number of the next in-order byte, -1 until the first segment. */
  nextSeq = -1;
  /** Cuts messages once the content is known; undefined while detecting. */
  parser: StreamParser | undefined;
  /** Set once the stream is known to carry nothing readable: the reason every segment is skipped with. */
  ignored: SkipReason | undefined;
  probes = 0;
  /** In-order bytes not yet framed (copies), and the frames each came in. */
  held: Buffer[] = [];
  heldRefs: (readonly FrameRef[])[] = [];
  heldLen = 0;
  /** Bytes still to drop of a message too large to keep. */
  discard = 0;
  /** Segments beyond a gap, sorted by sequence number (relative to nextSeq). */
  ahead: Segment[] = [];
  aheadLen = 0;
  aheadSince = 0n;
  lastTs = 0n;

  constructor(cx: DecodeContext) {
    this.src = cx.src;
    this.sport = cx.sport;
    this.dst = cx.dst;
    this.dport = cx.dport;
  }

  get buffered(): number {
    return this.heldLen + this.aheadLen;
  }

  /** Forgets everything held; the stream resynchronises on its next segment. */
  drop(): void {
    this.forget();
    this.ahead = [];
    this.aheadLen = 0;
    this.discard = 0;
    this.nextSeq = -1;
    if (!this.parser?.keepsAcrossGaps) this.parser = undefined;
  }

  /** Drops the in-order bytes held. */
  forget(): void {
    this.held = [];
    this.heldRefs = [];
    this.heldLen = 0;
  }
}

/**
 * TCP reassembly for the streams that carry SIP, HEP or SIP over WebSocket. Each direction
 * is tracked by sequence number: retransmitted and overlapping bytes are trimmed, segments
 * beyond a gap wait (bounded in bytes, segments and time, and all directions together in
 * bytes), and the in-order bytes go to a parser chosen by the stream heuristics (in order, the
 * first with an opinion wins). Streams a heuristic ignores (TLS without keys) are not buffered.
 */
export class TcpStreams {
  private readonly dirs = new Map<string, Direction>();
  /** Directions holding bytes, in the order they started holding (the first is evicted first). */
  private readonly holding = new Set<Direction>();
  private totalBuffered = 0;
  private segments = 0;

  constructor(
    private readonly heuristics: readonly StreamHeuristic[],
    private readonly limits = DEFAULT_STREAM_LIMITS,
  ) {}

  /** Bytes held by every direction together (for tests and stats). */
  get buffered(): number {
    return this.totalBuffered;
  }

  /** One segment of the direction cx.src:sport → cx.dst:dport with payload buf[off, end). */
  segment(cx: DecodeContext, seq: number, flags: number, buf: Buffer, off: number, end: number): Skip {
    if (++this.segments % SWEEP_EVERY === 0) this.sweep(cx);
    const key = `${cx.src} ${cx.sport} ${cx.dst} ${cx.dport}`;
    let dir = this.dirs.get(key);
    if ((flags & SYN) !== 0) {
      if (dir !== undefined) this.close(cx, key, dir);
      dir = this.open(cx, key);
      dir.nextSeq = (seq + 1) >>> 0;
      seq = dir.nextSeq;
    }
    if (off >= end) {
      if (dir !== undefined && (flags & (FIN | RST)) !== 0 && dir.ahead.length === 0) this.close(cx, key, dir);
      return undefined;
    }
    if (dir === undefined) dir = this.open(cx, key);
    dir.lastTs = cx.frame.ts;
    if (dir.ignored !== undefined) return dir.ignored;
    if (dir.nextSeq < 0) dir.nextSeq = seq;

    const before = dir.buffered;
    let skip: Skip;
    const diff = (seq - dir.nextSeq) | 0;
    if (diff > 0) {
      skip = this.hold(cx, dir, seq, buf, off, end);
    } else if (diff + (end - off) <= 0) {
      skip = 'tcp-retransmission';
    } else {
      this.advance(cx, dir, buf, off - diff, end);
    }
    this.drainAhead(cx, dir);
    this.account(dir, before);
    if ((flags & (FIN | RST)) !== 0 && dir.ahead.length === 0) this.close(cx, key, dir);
    this.enforceBudget(cx, dir);
    return skip ?? dir.ignored;
  }

  /** End of input: data waiting behind a gap is delivered (the gap is lost), partial messages are dropped. */
  flush(cx: DecodeContext): void {
    for (const [key, dir] of this.dirs) {
      cx.src = dir.src;
      cx.sport = dir.sport;
      cx.dst = dir.dst;
      cx.dport = dir.dport;
      const before = dir.buffered;
      while (dir.ahead.length > 0 && dir.ignored === undefined) {
        this.skipGap(cx, dir);
        this.drainAhead(cx, dir);
      }
      this.account(dir, before);
      this.close(cx, key, dir);
    }
  }

  /** Keeps the byte total and the eviction order in step with a direction whose holding changed from `before`. */
  private account(dir: Direction, before: number): void {
    const now = dir.buffered;
    this.totalBuffered += now - before;
    if (now === 0) this.holding.delete(dir);
    else if (before === 0) this.holding.add(dir);
  }

  /** Past the total budget, the directions that have held bytes longest lose them (never the one just fed, unless alone). */
  private enforceBudget(cx: DecodeContext, current: Direction): void {
    for (const dir of this.holding) {
      if (this.totalBuffered <= this.limits.maxTotalBuffered) return;
      if (dir === current && this.holding.size > 1) continue;
      cx.sink.skip('tcp-budget-evicted');
      const before = dir.buffered;
      dir.drop();
      this.account(dir, before);
    }
  }

  private open(cx: DecodeContext, key: string): Direction {
    if (this.dirs.size >= this.limits.maxStreams) {
      const [oldestKey, oldest] = this.dirs.entries().next().value as [string, Direction];
      this.close(cx, oldestKey, oldest);
    }
    const dir = new Direction(cx);
    this.dirs.set(key, dir);
    return dir;
  }

  private close(cx: DecodeContext, key: string, dir: Direction): void {
    if (dir.buffered > 0) {
      cx.sink.skip('tcp-incomplete');
      this.totalBuffered -= dir.buffered;
      this.holding.delete(dir);
    }
    this.dirs.delete(key);
  }

  private sweep(cx: DecodeContext): void {
    const horizon = cx.frame.ts - this.limits.idleNs;
    for (const [key, dir] of this.dirs) if (dir.lastTs < horizon) this.close(cx, key, dir);
  }

  /** Keeps a segment that arrived beyond a gap: binary search for its place; a repeat of a held one is a retransmission. */
  private hold(cx: DecodeContext, dir: Direction, seq: number, buf: Buffer, off: number, end: number): Skip {
    const ahead = dir.ahead;
    if (ahead.length === 0) dir.aheadSince = cx.frame.ts;
    let lo = 0;
    let hi = ahead.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (((ahead[mid].seq - seq) | 0) < 0) lo = mid + 1;
      else hi = mid;
    }
    if (lo < ahead.length && ahead[lo].seq === seq && ahead[lo].data.length >= end - off) return 'tcp-retransmission';
    if (ahead.length >= this.limits.maxSegments) {
      // Too many pieces beyond one gap: give up on the gap and read on from what is held.
      cx.sink.skip('tcp-too-many-segments');
      this.skipGap(cx, dir);
      this.drainAhead(cx, dir);
      return this.hold(cx, dir, seq, buf, off, end);
    }
    ahead.splice(lo, 0, { seq, data: Buffer.from(buf.subarray(off, end)), refs: cx.currentRefs() });
    dir.aheadLen += end - off;
    return undefined;
  }

  /** Delivers held segments that became in order, and gives up on a gap that waited too long or holds too much. */
  private drainAhead(cx: DecodeContext, dir: Direction): void {
    while (dir.ahead.length > 0) {
      const first = dir.ahead[0];
      const diff = (first.seq - dir.nextSeq) | 0;
      if (diff > 0) {
        const stale = cx.frame.ts - dir.aheadSince > this.limits.gapTimeoutNs;
        if (!stale && dir.buffered <= this.limits.maxBuffered) return;
        this.skipGap(cx, dir);
        continue;
      }
      dir.ahead.shift();
      dir.aheadLen -= first.data.length;
      if (diff + first.data.length > 0 && dir.ignored === undefined) {
        const a: Assembly = { buf: first.data, starts: [0], refs: [first.refs] };
        cx.assembling(a, () => this.advance(cx, dir, first.data, -diff, first.data.length));
      }
    }
  }

  /** Bytes were lost: drop the partial message and resume at the first held segment, re-detecting its content. */
  private skipGap(cx: DecodeContext, dir: Direction): void {
    cx.sink.skip('tcp-gap');
    dir.nextSeq = dir.ahead[0].seq;
    dir.forget();
    dir.discard = 0;
    if (!dir.parser?.keepsAcrossGaps) dir.parser = undefined;
    dir.aheadSince = cx.frame.ts;
  }

  /** In-order bytes buf[off, end): frame them with what is held. */
  private advance(cx: DecodeContext, dir: Direction, buf: Buffer, off: number, end: number): void {
    dir.nextSeq = (dir.nextSeq + (end - off)) >>> 0;
    if (dir.discard > 0) {
      const n = Math.min(dir.discard, end - off);
      dir.discard -= n;
      off += n;
      if (off >= end) return;
    }
    if (dir.heldLen === 0) {
      this.keepRest(cx, dir, this.parse(cx, dir, buf, off, end), buf, end, cx.assembled);
      return;
    }
    dir.held.push(Buffer.from(buf.subarray(off, end)));
    dir.heldRefs.push(cx.currentRefs());
    dir.heldLen += end - off;
    const need = dir.parser?.need ?? 0;
    if (need > 0 && dir.heldLen < need) return;
    if (dir.heldLen > this.limits.maxBuffered) {
      cx.sink.skip('tcp-buffer-overflow');
      dir.forget();
      dir.parser = undefined;
      return;
    }
    const whole = Buffer.concat(dir.held, dir.heldLen);
    const starts: number[] = [];
    for (let k = 0, at = 0; k < dir.held.length; at += dir.held[k]!.length, k++) starts.push(at);
    const a: Assembly = { buf: whole, starts, refs: dir.heldRefs };
    dir.forget();
    const resume = cx.assembling(a, () => this.parse(cx, dir, whole, 0, whole.length));
    this.keepRest(cx, dir, resume, whole, whole.length, a);
  }

  /** Holds buf[resume, end) for the next segment, with the frames it came in (those of `a`'s chunks, or the current frame's). */
  private keepRest(cx: DecodeContext, dir: Direction, resume: number, buf: Buffer, end: number, a: Assembly | undefined): void {
    if (resume > end) {
      dir.discard = resume - end;
    } else if (resume < end && dir.ignored === undefined) {
      dir.held = [Buffer.from(buf.subarray(resume, end))];
      dir.heldRefs = [a !== undefined && a.buf === buf ? framesIn(a, resume, end) : cx.currentRefs()];
      dir.heldLen = end - resume;
    }
  }

  /** Runs the parser, first choosing it from the content; returns where parsing resumes. */
  private parse(cx: DecodeContext, dir: Direction, buf: Buffer, off: number, end: number): number {
    let p = off;
    if (dir.parser === undefined) {
      p = this.detect(cx, dir, buf, off, end);
      if (dir.parser === undefined) return dir.ignored === undefined ? p : end;
    }
    return dir.parser.consume(cx, buf, p, end);
  }

  /** Asks the heuristics what the stream carries; returns where its parser should start (or where to wait). */
  private detect(cx: DecodeContext, dir: Direction, buf: Buffer, off: number, end: number): number {
    let p = off;
    while (p < end && (buf[p] === 0x0d || buf[p] === 0x0a)) p++;
    if (p >= end) return end;
    for (const h of this.heuristics) {
      const v = h.detect(cx, buf, p, end);
      if (v === undefined) continue;
      if (v === 'wait') return p;
      if ('ignore' in v) {
        dir.ignored = v.ignore;
        return end;
      }
      if (v.skip !== undefined) cx.sink.skip(v.skip);
      dir.parser = v.parser;
      return v.at;
    }
    if (++dir.probes >= this.limits.maxProbes) dir.ignored = 'tcp-not-sip';
    else cx.sink.skip('tcp-not-sip');
    return end;
  }
}
