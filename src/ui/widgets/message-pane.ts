import type { Canvas, Region } from '../canvas.js';
import type { Action } from '../keymap.js';
import { findAll } from '../present/search.js';
import type { StyledLine } from '../../layout/styled.js';
import { lineWidth, sliceMarked, wrapLine } from '../../layout/text-width.js';

export interface MessagePaneOptions {
  /** Long lines wrap (sngrep's pane); otherwise they are cut at the pane's edges, marked, and scroll sideways. */
  wrap: boolean;
  ascii: boolean;
  /** Text highlighted where it occurs (the flow's search). */
  search: string;
}

/**
 * The message beside the ladder: scrolled down and (unwrapped) sideways while it has the keys
 * (Tab in the flow). Its position is clamped when drawn, so a key never needs the text laid out.
 */
export class MessagePane {
  top = 0;
  left = 0;
  focused = false;
  /** What is shown; another message starts at its first line (the sideways scroll stays, to read one header across messages). */
  private shownKey = '';

  show(key: string): void {
    if (key === this.shownKey) return;
    this.shownKey = key;
    this.top = 0;
  }

  /** Applies a scrolling action for a pane `height` rows, `width` cells; false when the action does not scroll. */
  move(action: Action, height: number, width: number): boolean {
    const page = Math.max(1, height - 1);
    const half = Math.max(1, height >> 1);
    const side = Math.max(4, width >> 2);
    switch (action) {
      case 'up': this.top--; break;
      case 'down': this.top++; break;
      case 'pageUp': this.top -= page; break;
      case 'pageDown': this.top += page; break;
      case 'halfPageUp': this.top -= half; break;
      case 'halfPageDown': this.top += half; break;
      case 'home': this.top = 0; break;
      case 'end': this.top = Number.MAX_SAFE_INTEGER; break;
      case 'left': this.left -= side; break;
      case 'right': this.left += side; break;
      default: return false;
    }
    this.top = Math.max(0, this.top);
    this.left = Math.max(0, this.left);
    return true;
  }

  render(canvas: Canvas, region: Region, lines: readonly StyledLine[], opts: MessagePaneOptions): void {
    const { ascii, wrap } = opts;
    const shown = wrap ? lines.flatMap((l) => wrapLine(l, region.width, ascii)) : lines;
    this.top = Math.max(0, Math.min(this.top, shown.length - region.height));
    const widest = wrap ? 0 : Math.max(0, ...shown.map((l) => lineWidth(l, ascii)));
    this.left = Math.max(0, Math.min(this.left, widest - region.width));
    const left = wrap ? 0 : this.left;
    const last = Math.min(shown.length, this.top + region.height);
    for (let k = this.top; k < last; k++) {
      const y = region.y + k - this.top;
      const line = shown[k]!;
      canvas.line(region.x, y, wrap ? line : sliceMarked(line, left, region.width, ascii), region.width);
      const text = line.map((seg) => seg.text).join('');
      for (const hit of findAll(text, opts.search, ascii)) {
        const x = hit.x - left;
        if (x >= 0 && x < region.width) canvas.text(region.x + x, y, hit.text, 'match', region.width - x);
      }
    }
  }
}
