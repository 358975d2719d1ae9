/** At most this many frames per second while packets arrive; keys are drawn on the next tick. */
const STORE_FRAME_MS = 33;

/**
 * When frames are drawn: a request (a key, a resize) draws as soon as the code that asked returns
 * (a microtask: the keys of one read coalesce, and no ingest slice already queued on the event loop
 * runs first); store changes draw at most every STORE_FRAME_MS, so a fast capture never starves the keys.
 */
export class FrameScheduler {
  private scheduled = false;
  private storeTimer: NodeJS.Timeout | undefined;
  private lastFrame = 0;
  private stopped = false;

  /** `draw` is called through `guard`, which handles what it throws. */
  constructor(private readonly draw: () => void, private readonly guard: (fn: () => void) => () => void) {}

  /** Draws now (and forgets a pending request). */
  drawNow(): void {
    if (this.stopped) return;
    this.scheduled = false;
    this.lastFrame = Date.now();
    this.draw();
  }

  request(): void {
    if (this.scheduled || this.stopped) return;
    this.scheduled = true;
    queueMicrotask(this.guard(() => {
      if (this.scheduled) this.drawNow();
    }));
  }

  storeChanged(): void {
    if (this.storeTimer !== undefined || this.stopped) return;
    const wait = Math.max(0, STORE_FRAME_MS - (Date.now() - this.lastFrame));
    this.storeTimer = setTimeout(() => {
      this.storeTimer = undefined;
      this.request();
    }, wait);
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.storeTimer);
  }
}
