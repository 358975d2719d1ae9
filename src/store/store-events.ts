/** The store's counters and change notification: frames, skip reasons, the version subscribers see. */
import type { DialogId } from '../model/ids.js';
import type { SkipReason } from '../model/skip.js';
import type { StoreStats } from '../model/store-view.js';
import { SkipDetails } from './skip-details.js';

/**
 * Dialogs changed in place are remembered in a ring this long (a power of two): a window that looks
 * less often than that many changes re-filters everything instead (query.ts).
 */
const TOUCH_RING = 1 << 16;

export class StoreEvents {
  private readonly listeners = new Set<() => void>();
  private readonly skipped = new Map<SkipReason, number>();
  private readonly skipDetails = new SkipDetails();
  private frames = 0;
  private changes = 0;
  /** The last TOUCH_RING dialogs changed in place (a message joined, findings handed back); touches counts them all. */
  private readonly touched = new Uint32Array(TOUCH_RING);
  private touches = 0;

  get version(): number {
    return this.changes;
  }

  countFrame(): void {
    this.frames++;
  }

  /** Counts a dropped frame or payload under its reason (and a sample of what it was); the caller then reports the change. */
  skip(reason: SkipReason, detail?: string): void {
    this.skipped.set(reason, (this.skipped.get(reason) ?? 0) + 1);
    if (detail !== undefined) this.skipDetails.note(reason, detail);
  }

  /** Dialog `id` changed in place: live windows filtering on what changed (state, findings, facts) look at it again. */
  touch(id: DialogId): void {
    // A burst of messages of one dialog is one entry.
    if (this.touches > 0 && this.touched[(this.touches - 1) & (TOUCH_RING - 1)] === id) return;
    this.touched[this.touches & (TOUCH_RING - 1)] = id;
    this.touches++;
  }

  /** How many in-place changes there have been: the mark touchedSince() takes. */
  get touchMark(): number {
    return this.touches;
  }

  /**
   * Calls `fn` with every dialog changed in place since `mark` (a dialog may come more than once);
   * false, without calling it, when more changed than the ring remembers.
   */
  touchedSince(mark: number, fn: (id: DialogId) => void): boolean {
    if (this.touches - mark > TOUCH_RING) return false;
    for (let k = mark; k < this.touches; k++) fn(this.touched[k & (TOUCH_RING - 1)]! as DialogId);
    return true;
  }

  changed(): void {
    this.changes++;
    // Headless runs have no listener: no iterator per message for an empty set.
    if (this.listeners.size !== 0) for (const fn of this.listeners) fn();
  }

  stats(messages: number, dialogs: number): StoreStats {
    return {
      frames: this.frames, messages, dialogs, skipped: Object.fromEntries(this.skipped),
      ...(!this.skipDetails.empty && { skipDetails: this.skipDetails.toJSON() }),
    };
  }

  subscribe(fn: () => void): () => void {
    // A wrapper keeps two subscriptions of the same function independent.
    const listener = (): void => fn();
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
