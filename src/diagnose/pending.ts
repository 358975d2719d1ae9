/**
 * Which dialogs wait for the engine's look, a byte per dialog indexed by id modulo a power-of-two
 * capacity that grows with the dialogs held (not with every dialog ever seen: rotation and F5 free
 * slots for new ids).
 */
import type { DialogId } from '../model/ids.js';

const INITIAL = 1024;

export class PendingMarks {
  private mask = INITIAL - 1;
  private ids = new Int32Array(INITIAL).fill(-1);
  private marked = new Uint8Array(INITIAL);

  /** Marks dialog `id` as waiting (`firstId` is the oldest dialog the store still holds); false when it already was. */
  mark(id: DialogId, firstId: DialogId): boolean {
    let k = id & this.mask;
    if (this.ids[k] !== id) {
      if (this.ids[k] >= firstId) {
        this.grow(id, firstId);
        k = id & this.mask;
      }
      this.ids[k] = id;
      this.marked[k] = 0;
    }
    if (this.marked[k] !== 0) return false;
    this.marked[k] = 1;
    return true;
  }

  /** Dialog `id` had its look. */
  unmark(id: DialogId): void {
    const k = id & this.mask;
    if (this.ids[k] === id) this.marked[k] = 0;
  }

  /** Doubles the capacity until dialogs firstId..id fit, keeping the held dialogs' marks. */
  private grow(id: DialogId, firstId: DialogId): void {
    let size = this.mask + 1;
    while (size <= id - firstId) size *= 2;
    const { ids, marked } = this;
    this.mask = size - 1;
    this.ids = new Int32Array(size).fill(-1);
    this.marked = new Uint8Array(size);
    for (let j = 0; j < ids.length; j++) {
      const d = ids[j];
      if (d < firstId) continue;
      this.ids[d & this.mask] = d;
      this.marked[d & this.mask] = marked[j];
    }
  }
}
