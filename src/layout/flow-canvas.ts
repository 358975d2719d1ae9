import type { Style, StyledLine } from './styled.js';
import { charCells } from './text-width.js';

/**
 * One ladder row as cells, so lifelines, arrows and labels can be drawn over each other by
 * position. A wide character fills its cell and leaves '' in the next one; breaking half of a
 * wide character leaves a space, so the row always takes exactly `width` cells.
 */
export class RowCanvas {
  private readonly cells: string[];
  private readonly styles: Style[];

  constructor(readonly width: number, private readonly ascii: boolean) {
    this.cells = new Array<string>(width).fill(' ');
    this.styles = new Array<Style>(width).fill('default');
  }

  /** Writes one single-cell glyph (line drawing, arrow head). */
  glyph(x: number, ch: string, style: Style): void {
    if (x < 0 || x >= this.width) return;
    this.clearWide(x);
    this.cells[x] = ch;
    this.styles[x] = style;
  }

  /** Repeats a glyph over [from, to). */
  fill(from: number, to: number, ch: string, style: Style): void {
    for (let x = Math.max(0, from); x < Math.min(to, this.width); x++) this.glyph(x, ch, style);
  }

  /** Writes text from x, never past `limit` (exclusive, default the row end); returns the cells used. */
  text(x: number, s: string, style: Style, limit = this.width): number {
    const end = Math.min(limit, this.width);
    let col = x;
    for (const ch of s) {
      const w = charCells(ch, ch.codePointAt(0)!, this.ascii);
      if (w === 0) {
        // A combining mark joins the glyph before it (the head of a wide one).
        const at = this.cells[col - 1] === '' ? col - 2 : col - 1;
        if (col > x && at >= 0) this.cells[at] += ch;
        continue;
      }
      if (col + w > end) break;
      if (col >= 0) {
        this.glyph(col, ch, style);
        if (w === 2) {
          this.clearWide(col + 1);
          this.cells[col + 1] = '';
          this.styles[col + 1] = style;
        }
      }
      col += w;
    }
    return col - x;
  }

  /** Overwriting either half of a wide character blanks the other half. */
  private clearWide(x: number): void {
    if (this.cells[x] === '' && x > 0) this.cells[x - 1] = ' ';
    if (x + 1 < this.width && this.cells[x + 1] === '') this.cells[x + 1] = ' ';
  }

  toLine(): StyledLine {
    const line: StyledLine = [];
    let text = '';
    let style = this.styles[0] ?? 'default';
    for (let x = 0; x < this.width; x++) {
      if (this.styles[x] !== style) {
        if (text) line.push({ text, style });
        text = '';
        style = this.styles[x]!;
      }
      text += this.cells[x];
    }
    if (text) line.push({ text, style });
    return line;
  }
}
