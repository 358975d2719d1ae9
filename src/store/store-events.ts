/** The store's counters and change notification: frames, skip reasons, the version subscribers see. */
import type { StoreStats } from '../model/store-view.js';

export class StoreEvents {
  private readonly listeners = new Set<() => void>();
  private readonly skipped = new Map<string, number>();
  private frames = 0;
  private changes = 0;

  get version(): number {
    return this.changes;
  }

  countFrame(): void {
    this.frames++;
  }

  /** Counts a dropped frame or payload under its reason; the caller then reports the change. */
  skip(reason: string): void {
    this.skipped.set(reason, (this.skipped.get(reason) ?? 0) + 1);
  }

  changed(): void {
    this.changes++;
    for (const fn of this.listeners) fn();
  }

  stats(messages: number, dialogs: number): StoreStats {
    return { frames: this.frames, messages, dialogs, skipped: Object.fromEntries(this.skipped) };
  }

  subscribe(fn: () => void): () => void {
    // A wrapper keeps two subscriptions of the same function independent.
    const listener = (): void => fn();
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
