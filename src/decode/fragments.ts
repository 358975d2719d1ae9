/** Bounds that keep reassembly memory fixed whatever the capture holds. */
export interface FragmentLimits {
  /** Datagrams being reassembled at once; the oldest is dropped beyond this. */
  maxPending: number;
  /** Bytes held in fragments at once. */
  maxBytes: number;
  /** A datagram not complete this long (capture time) after its first fragment is dropped. */
  maxAgeNs: bigint;
}

export const DEFAULT_FRAGMENT_LIMITS: FragmentLimits = {
  maxPending: 4096,
  maxBytes: 32 * 1024 * 1024,
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
}

/**
 * IPv4 / IPv6 fragment reassembly. Fragments may arrive in any order and overlap (an
 * overlapped byte is taken from the part that starts first). Incomplete datagrams are dropped, and reported through onDrop, when
 * they age out, when the table is full, or on flush().
 */
export class FragmentTable {
  private readonly pending = new Map<string, Pending>();
  private bytes = 0;

  constructor(private readonly onDrop: (reason: string) => void, private readonly limits = DEFAULT_FRAGMENT_LIMITS) {}

  /**
   * Adds data[off, end) at byte `offset` of the datagram identified by key. Returns the whole
   * datagram (a new Buffer) once complete, undefined while parts are missing, or a skip reason.
   */
  add(key: string, ts: bigint, offset: number, more: boolean, data: Buffer, off: number, end: number): Buffer | string | undefined {
    this.expire(ts);
    const len = end - off;
    if (offset + len > MAX_DATAGRAM) return 'frag-too-big';
    if (more && len === 0) return 'frag-empty';
    let p = this.pending.get(key);
    if (p === undefined) {
      p = { firstTs: ts, parts: [], bytes: 0, total: -1 };
      this.pending.set(key, p);
    }
    if (!more) {
      if (p.total >= 0 && p.total !== offset + len) {
        this.drop(key, p, 'frag-inconsistent');
        return undefined;
      }
      p.total = offset + len;
    }
    const part = { offset, data: Buffer.from(data.subarray(off, end)) };
    let i = p.parts.length;
    while (i > 0 && p.parts[i - 1].offset > offset) i--;
    p.parts.splice(i, 0, part);
    p.bytes += len;
    this.bytes += len;
    const whole = assemble(p);
    if (whole !== undefined) {
      this.remove(key, p);
      return whole;
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

  private drop(key: string, p: Pending, reason: string): void {
    this.remove(key, p);
    this.onDrop(reason);
  }

  private remove(key: string, p: Pending): void {
    this.pending.delete(key);
    this.bytes -= p.bytes;
  }
}

/** The datagram when the parts cover [0, total) without a hole, else undefined. */
function assemble(p: Pending): Buffer | undefined {
  if (p.total < 0) return undefined;
  let covered = 0;
  for (const part of p.parts) {
    if (part.offset > covered) return undefined;
    covered = Math.max(covered, part.offset + part.data.length);
  }
  if (covered < p.total) return undefined;
  const whole = Buffer.allocUnsafe(p.total);
  covered = 0;
  for (const part of p.parts) {
    const end = Math.min(part.offset + part.data.length, p.total);
    if (end > covered) part.data.copy(whole, covered, covered - part.offset, end - part.offset);
    covered = Math.max(covered, end);
  }
  return whole;
}
