import type { Canvas, Region } from '../canvas.js';
import type { Action } from '../keymap.js';
import { findAll } from '../present/search.js';
import { scrolledTop } from './text-pane.js';
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
    if (action === 'left' || action === 'right') {
      const side = Math.max(4, width >> 2);
      this.left = Math.max(0, this.left + (action === 'left' ? -side : side));
      return true;
    }
    // The end is found when drawn: a key never needs the text laid out.
    const top = scrolledTop(action, this.top, height, Number.MAX_SAFE_INTEGER);
    if (top === undefined) return false;
    this.top = Math.max(0, top);
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
