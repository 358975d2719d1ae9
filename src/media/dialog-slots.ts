import type { DialogId } from '../model/ids.js';

/**
 * Per-dialog state by dialog id. Ids are arrival numbers, so an array from the lowest id held
 * does what a Map did without hashing: every SIP message of a capture looks its dialog up.
 * Dropping the oldest (rotation, clear) moves the start; the array is compacted now and then.
 */
export class DialogSlots<T> {
  private items: (T | undefined)[] = [];
  /** Id of items[head]. */
  private base = 0;
  private head = 0;
  /** Dialogs below the start that are given state again (media of a dropped dialog's endpoint), until the next drop. */
  private readonly older = new Map<DialogId, T>();

  get(id: DialogId): T | undefined {
    const k = id - this.base;
    return k >= this.head ? this.items[k] : this.older.size === 0 ? undefined : this.older.get(id);
  }

  set(id: DialogId, value: T): void {
    const k = id - this.base;
    if (k < this.head) {
      this.older.set(id, value);
      return;
    }
    while (this.items.length < k) this.items.push(undefined);
    this.items[k] = value;
  }

  /** Hands each held dialog below `id` to `drop`, then forgets them. */
  dropBefore(id: DialogId, drop: (id: DialogId, value: T) => void): void {
    for (const [k, v] of this.older) {
      if (k >= id) continue;
      drop(k, v);
      this.older.delete(k);
    }
    const end = Math.min(id - this.base, this.items.length);
    for (let k = this.head; k < end; k++) {
      const v = this.items[k];
      if (v !== undefined) drop((this.base + k) as DialogId, v);
      this.items[k] = undefined;
    }
    this.head = Math.max(this.head, end);
    if (this.head > 1024 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head);
      this.base += this.head;
      this.head = 0;
    }
  }
}
