import type { Canvas, Region } from '../canvas.js';
import type { Action } from '../keymap.js';
import type { StyledLine } from '../../layout/styled.js';

/** A scrollable block of styled lines without a cursor (raw view, help, compare, message pane). */
export class TextPane {
  top = 0;

  /** Applies a scrolling action; false when the action does not scroll. */
  move(action: Action, lineCount: number, height: number): boolean {
    const page = Math.max(1, height - 1);
    const half = Math.max(1, height >> 1);
    switch (action) {
      case 'up': this.top--; break;
      case 'down': this.top++; break;
      case 'pageUp': this.top -= page; break;
      case 'pageDown': this.top += page; break;
      case 'halfPageUp': this.top -= half; break;
      case 'halfPageDown': this.top += half; break;
      case 'home': this.top = 0; break;
      case 'end': this.top = lineCount - height; break;
      default: return false;
    }
    this.clamp(lineCount, height);
    return true;
  }

  clamp(lineCount: number, height: number): void {
    this.top = Math.max(0, Math.min(this.top, lineCount - height));
  }

  render(canvas: Canvas, region: Region, lines: readonly StyledLine[]): void {
    this.clamp(lines.length, region.height);
    const last = Math.min(lines.length, this.top + region.height);
    for (let i = this.top; i < last; i++) canvas.line(region.x, region.y + i - this.top, lines[i]!, region.width);
  }
}
