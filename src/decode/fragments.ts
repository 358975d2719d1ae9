import type { FrameRef } from '../model/datagram.js';
import type { SkipReason } from '../model/skip.js';
import { joinRefs, NO_FRAMES } from './frame-refs.js';

/** Bounds that keep reassembly memory and time fixed whatever the capture holds. */
export interface FragmentLimits {
  /** Datagrams being reassembled at once; the oldest is dropped beyond this. */
  maxPending: number;
  /** Bytes held in fragments at once. */
  maxBytes: number;
  /** Distinct fragments held per datagram; a datagram needing more is dropped. */
  maxParts: number;
  /** A datagram not complete this long (capture time) after its first fragment is dropped. */
  maxAgeNs: bigint;
}

export const DEFAULT_FRAGMENT_LIMITS: FragmentLimits = {
  maxPending: 4096,
  maxBytes: 32 * 1024 * 1024,
  // A 64 KiB datagram over a 576-byte path MTU is ~120 fragments.
  maxParts: 256,
  maxAgeNs: 30_000_000_000n,
};

/** The largest datagram IPv4 or (non-jumbo) IPv6 can reassemble to. */
const MAX_DATAGRAM = 65535;

interface Part {
  offset: number;
  data: Buffer;
}

interface Pending {
  firstTs: bigint;
  /** Sorted by offset. */
  parts: Part[];
  bytes: number;
  /** Length of the whole datagram once the last fragment arrived, else -1. */
  total: number;
  /** Bytes [0, covered) are held without a hole. */
  covered: number;
  /** parts[0, coveredParts) are the ones `covered` has been advanced over. */
  coveredParts: number;
  /** The frames of the parts, in arrival order. */
  frames: (readonly FrameRef[])[];
}

/** A reassembled datagram and the frames its fragments came in (arrival order). */
export interface Assembled {
  data: Buffer;
  frames: readonly FrameRef[];
}

/**
 * IPv4 / IPv6 fragment reassembly. Fragments may arrive in any order and overlap (an
 * overlapped byte is taken from the part that starts first); an exact repeat of a held
 * fragment is counted and dropped. Each fragment costs a binary search and a step of the
 * running coverage, never a pass over the whole datagram. Incomplete datagrams are dropped,
 * and reported through onDrop, when they age out, when the table is full, or on flush().
 */
export class FragmentTable {
  private readonly pending = new Map<string, Pending>();
  private bytes = 0;

  constructor(private readonly onDrop: (reason: SkipReason) => void, private readonly limits = DEFAULT_FRAGMENT_LIMITS) {}

  /**
   * Adds data[off, end) (which came in `frames`) at byte `offset` of the datagram identified by key.
   * Returns the whole datagram (a new Buffer) once complete, undefined while parts are missing, or a skip reason.
   */
  add(
    key: string, ts: bigint, offset: number, more: boolean, data: Buffer, off: number, end: number, frames: readonly FrameRef[] = NO_FRAMES,
  ): Assembled | SkipReason | undefined {
    this.expire(ts);
    const len = end - off;
    if (offset + len > MAX_DATAGRAM) return 'frag-too-big';
    if (more && len === 0) return 'frag-empty';
    let p = this.pending.get(key);
    if (p === undefined) {
      p = { firstTs: ts, parts: [], bytes: 0, total: -1, covered: 0, coveredParts: 0, frames: [] };
      this.pending.set(key, p);
    }
    if (!more) {
      if (p.total >= 0 && p.total !== offset + len) {
        this.drop(key, p, 'frag-inconsistent');
        return undefined;
      }
      p.total = offset + len;
    }
    const parts = p.parts;
    let lo = 0;
    let hi = parts.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (parts[mid].offset <= offset) lo = mid + 1;
      else hi = mid;
    }
    // parts[lo - 1] is the last part starting at or before this one: a repeat when it covers it.
    const prev = lo > 0 ? parts[lo - 1] : undefined;
    if (prev !== undefined && prev.offset + prev.data.length >= offset + len) return 'frag-duplicate';
    if (parts.length >= this.limits.maxParts) {
      this.drop(key, p, 'frag-too-many');
      return undefined;
    }
    parts.splice(lo, 0, { offset, data: Buffer.from(data.subarray(off, end)) });
    p.frames.push(frames);
    p.bytes += len;
    this.bytes += len;
    advanceCoverage(p, lo);
    if (p.total >= 0 && p.covered >= p.total) {
      this.remove(key, p);
      return { data: assemble(p), frames: joinRefs(p.frames) };
    }
    this.enforceBounds();
    return undefined;
  }

  /** Drops every incomplete datagram (end of input). */
  flush(): void {
    for (const [key, p] of this.pending) this.drop(key, p, 'frag-incomplete');
  }

  get size(): number {
    return this.pending.size;
  }

  private expire(now: bigint): void {
    // Map order is arrival order of first fragments, so the oldest come first.
    for (const [key, p] of this.pending) {
      if (now - p.firstTs <= this.limits.maxAgeNs) break;
      this.drop(key, p, 'frag-incomplete');
    }
  }

  private enforceBounds(): void {
    for (const [key, p] of this.pending) {
      if (this.pending.size <= this.limits.maxPending && this.bytes <= this.limits.maxBytes) break;
      this.drop(key, p, 'frag-incomplete');
    }
  }

  private drop(key: string, p: Pending, reason: SkipReason): void {
    this.remove(key, p);
    this.onDrop(reason);
  }

  private remove(key: string, p: Pending): void {
    this.pending.delete(key);
    this.bytes -= p.bytes;
  }
}

/**
 * Extends the hole-free prefix after the part at `inserted` was added. A part inserted among the
 * covered ones starts inside the prefix; after that only the parts beyond the prefix need
 * looking at, each joining it once in the datagram's life.
 */
function advanceCoverage(p: Pending, inserted: number): void {
  if (inserted < p.coveredParts) {
    const part = p.parts[inserted];
    p.covered = Math.max(p.covered, part.offset + part.data.length);
    p.coveredParts++;
  }
  let i = p.coveredParts;
  while (i < p.parts.length && p.parts[i].offset <= p.covered) {
    p.covered = Math.max(p.covered, p.parts[i].offset + p.parts[i].data.length);
    i++;
  }
  p.coveredParts = i;
}

/** The datagram from parts that cover [0, total) without a hole. */
function assemble(p: Pending): Buffer {
  const whole = Buffer.allocUnsafe(p.total);
  let covered = 0;
  for (const part of p.parts) {
    const end = Math.min(part.offset + part.data.length, p.total);
    if (end > covered) part.data.copy(whole, covered, covered - part.offset, end - part.offset);
    covered = Math.max(covered, end);
  }
  return whole;
}
