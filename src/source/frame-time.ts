/**
 * Capture times are range-checked where they are read, so every output (the TUI, JSON, -O
 * files, exports) shows the same time for a frame: the store keeps times as signed 64-bit ns,
 * which reach 2262-04-11, and a JS Date holds less than a pcapng timestamp can say.
 */
export const MIN_FRAME_TIME = 0n;
export const MAX_FRAME_TIME = (1n << 63n) - 1n;

/** Counts the frames whose time had to be clamped into [MIN_FRAME_TIME, MAX_FRAME_TIME]. */
export class FrameClock {
  clamped = 0;

  check(ts: bigint): bigint {
    if (ts >= MIN_FRAME_TIME && ts <= MAX_FRAME_TIME) return ts;
    this.clamped++;
    return ts < MIN_FRAME_TIME ? MIN_FRAME_TIME : MAX_FRAME_TIME;
  }

  /** The user-facing note once a source ends, when any time was clamped. */
  warning(name: string): string | undefined {
    if (this.clamped === 0) return undefined;
    return `${name}: ${this.clamped} frame${this.clamped === 1 ? '' : 's'} had a capture time outside 1970-01-01 … 2262-04-11; shown clamped to that range`;
  }
}
