/** The store's counters and change notification: frames, skip reasons, the version subscribers see. */
import type { SkipReason } from '../model/skip.js';
import type { StoreStats } from '../model/store-view.js';
import { SkipDetails } from './skip-details.js';

export class StoreEvents {
  private readonly listeners = new Set<() => void>();
  private readonly skipped = new Map<SkipReason, number>();
  private readonly skipDetails = new SkipDetails();
  private frames = 0;
  private changes = 0;

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

  changed(): void {
    this.changes++;
    for (const fn of this.listeners) fn();
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
