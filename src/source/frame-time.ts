/**
 * Capture times are range-checked where they are read, so every output (the TUI, JSON, -O
 * files, exports) shows the same time for a frame: the store keeps times as signed 64-bit ns,
 * which reach 2262-04-11, and a JS Date holds less than a pcapng timestamp can say. Readers hand
 * times on as seconds + nanoseconds (numbers: no BigInt per frame).
 */
export const MIN_FRAME_TIME = 0n;
export const MAX_FRAME_TIME = (1n << 63n) - 1n;
const NS_PER_S = 1_000_000_000n;
const MAX_SEC = Number(MAX_FRAME_TIME / NS_PER_S);
const MAX_NSEC = Number(MAX_FRAME_TIME % NS_PER_S);

/** A capture time: whole seconds since the epoch and nanoseconds (0 … 999,999,999 once checked). */
export interface TimeParts {
  sec: number;
  nsec: number;
}

/** ns as seconds + nanoseconds into t, exactly: ns = sec·10^9 + nsec (both signed like ns, as BigInt division truncates). */
export function timeParts(ns: bigint, t: TimeParts): void {
  t.sec = Number(ns / NS_PER_S);
  t.nsec = Number(ns % NS_PER_S);
}

/** Counts the frames whose time had to be clamped into [MIN_FRAME_TIME, MAX_FRAME_TIME]. */
export class FrameClock {
  clamped = 0;

  /** Clamps t into the range, in place. */
  check(t: TimeParts): void {
    if (t.sec >= 0 && t.nsec >= 0 && (t.sec < MAX_SEC || (t.sec === MAX_SEC && t.nsec <= MAX_NSEC))) return;
    this.clamped++;
    if (t.sec < 0 || t.nsec < 0) {
      t.sec = 0;
      t.nsec = 0;
    } else {
      t.sec = MAX_SEC;
      t.nsec = MAX_NSEC;
    }
  }

  /** The user-facing note once a source ends, when any time was clamped. */
  warning(name: string): string | undefined {
    if (this.clamped === 0) return undefined;
    return `${name}: ${this.clamped} frame${this.clamped === 1 ? '' : 's'} had a capture time outside 1970-01-01 … 2262-04-11; shown clamped to that range`;
  }
}
