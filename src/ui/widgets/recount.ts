/** The counts are taken again at most this often while dialogs arrive, and at most a fifth of the time. */
const RECOUNT_MS = 250;

/**
 * When a screen that counts across the whole capture (triage, stats) counts again: on a store
 * change, but no more often than every RECOUNT_MS nor than four times what the last count took;
 * a change that has to wait asks for a frame when the wait is over.
 */
export class Recount {
  private seenVersion = -1;
  private countedAt = 0;
  private gap = RECOUNT_MS;
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly requestRender: () => void) {}

  /** Runs `count` when the store at `version` is due a count; true when it ran. */
  run(version: number, count: () => void): boolean {
    if (version === this.seenVersion) return false;
    const now = Date.now();
    if (this.seenVersion !== -1 && now - this.countedAt < this.gap) {
      if (this.timer === undefined) {
        this.timer = setTimeout(() => {
          this.timer = undefined;
          this.requestRender();
        }, this.gap - (now - this.countedAt));
        this.timer.unref();
      }
      return false;
    }
    this.seenVersion = version;
    count();
    this.countedAt = Date.now();
    this.gap = Math.max(RECOUNT_MS, 4 * (this.countedAt - now));
    return true;
  }
}
