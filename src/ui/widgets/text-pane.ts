import type { Canvas, Region } from '../canvas.js';
import type { Action } from '../keymap.js';
import type { StyledLine } from '../../layout/styled.js';

/** A scrollable block of styled lines without a cursor (raw view, help, compare, message pane). */
export class TextPane {
  top = 0;

  /** Applies a scrolling action; false when the action does not scroll. */
  move(action: Action, lineCount: number, height: number): boolean {
    const top = scrolledTop(action, this.top, height, lineCount - height);
    if (top === undefined) return false;
    this.top = top;
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

/** The top line after a vertical scrolling action in a view `height` rows high (`end` goes to `endTop`); undefined for other actions. */
export function scrolledTop(action: Action, top: number, height: number, endTop: number): number | undefined {
  const page = Math.max(1, height - 1);
  const half = Math.max(1, height >> 1);
  switch (action) {
    case 'up': return top - 1;
    case 'down': return top + 1;
    case 'pageUp': return top - page;
    case 'pageDown': return top + page;
    case 'halfPageUp': return top - half;
    case 'halfPageDown': return top + half;
    case 'home': return 0;
    case 'end': return endTop;
    default: return undefined;
  }
}
