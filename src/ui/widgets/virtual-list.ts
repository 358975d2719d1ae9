import type { Region } from '../canvas.js';
import type { Action } from '../keymap.js';

/**
 * Cursor and scroll state of a list that may hold millions of rows: only `height` rows are ever
 * drawn. The cursor stays on its index while the list grows, so live updates never move it.
 */
export class VirtualList {
  cursor = 0;
  top = 0;

  /** Applies a movement action; false when the action is not a movement. */
  move(action: Action, count: number, height: number): boolean {
    const page = Math.max(1, height - 1);
    const half = Math.max(1, height >> 1);
    switch (action) {
      case 'up': this.cursor--; break;
      case 'down': this.cursor++; break;
      case 'pageUp': this.cursor -= page; this.top -= page; break;
      case 'pageDown': this.cursor += page; this.top += page; break;
      case 'halfPageUp': this.cursor -= half; this.top -= half; break;
      case 'halfPageDown': this.cursor += half; this.top += half; break;
      case 'home': this.cursor = 0; break;
      case 'end': this.cursor = count - 1; break;
      default: return false;
    }
    this.clamp(count, height);
    return true;
  }

  /** Scrolls the view (mouse wheel) and drags the cursor along when it would leave it. */
  scroll(delta: number, count: number, height: number): void {
    this.top += delta;
    this.top = Math.max(0, Math.min(this.top, count - height));
    this.cursor = Math.max(this.top, Math.min(this.cursor, this.top + height - 1));
    this.clamp(count, height);
  }

  /** Puts the cursor on the row drawn at line `y` of the region, if there is one. */
  click(y: number, count: number): boolean {
    const i = this.top + y;
    if (y < 0 || i >= count) return false;
    this.cursor = i;
    return true;
  }

  /** Keeps cursor and top inside the list and the cursor inside the view. */
  clamp(count: number, height: number): void {
    this.cursor = Math.max(0, Math.min(this.cursor, count - 1));
    if (height <= 0) return;
    if (this.cursor < this.top) this.top = this.cursor;
    if (this.cursor >= this.top + height) this.top = this.cursor - height + 1;
    this.top = Math.max(0, Math.min(this.top, count - height));
  }

  /** Calls drawRow for each visible index, with its screen line. */
  render(region: Region, count: number, drawRow: (index: number, y: number, isCursor: boolean) => void): void {
    this.clamp(count, region.height);
    const last = Math.min(count, this.top + region.height);
    for (let i = this.top; i < last; i++) drawRow(i, region.y + i - this.top, i === this.cursor);
  }
}
