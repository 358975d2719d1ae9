import { forEachCell } from './sanitize.js';
import type { Theme } from './theme.js';
import type { Style, StyledLine } from '../layout/styled.js';

/** blessed's screen buffer: rows of [attribute, character] cells; `dirty` rows get redrawn. */
export type Cell = [number, string];
export type CellRow = Cell[] & { dirty?: boolean };

/** A rectangle of the screen handed to a screen's render(). */
export interface Region { x: number; y: number; width: number; height: number }

/**
 * Draws text into the screen's cell buffer. Every string passes the sanitizer here, so nothing
 * a capture contains can reach the terminal as a control sequence. A wide character fills its
 * cell and leaves the next one empty (''), which the terminal skips because the wide glyph
 * already advanced the cursor by two.
 */
export class Canvas {
  constructor(private lines: CellRow[], readonly theme: Theme, readonly ascii: boolean) {}

  get rows(): number { return this.lines.length; }
  get cols(): number { return this.lines[0]?.length ?? 0; }

  /** Points the canvas at a new buffer after a resize. */
  reset(lines: CellRow[]): void { this.lines = lines; }

  fill(region: Region, style: Style = 'default', ch = ' '): void {
    const a = this.theme[style];
    for (let y = region.y; y < region.y + region.height && y < this.rows; y++) {
      const row = this.lines[y]!;
      for (let x = region.x; x < region.x + region.width && x < row.length; x++) this.set(row, x, a, ch);
      row.dirty = true;
    }
  }

  /**
   * Writes text at (x, y), clipped to `width` columns; returns the columns used. `attrOverride`
   * paints every cell with one attribute (the cursor row), placeholders excepted.
   */
  text(x: number, y: number, text: string, style: Style, width: number, attrOverride?: number): number {
    const row = this.lines[y];
    if (row === undefined || width <= 0) return 0;
    const end = Math.min(x + width, row.length);
    const base = attrOverride ?? this.theme[style];
    const mark = this.theme.placeholder;
    let col = x;
    let full = false;
    forEachCell(text, this.ascii, (ch, w, placeholder) => {
      if (full) return;
      if (w === 0) {
        // A combining mark joins the character before it.
        if (col > x) row[col - 1]![1] += ch;
        return;
      }
      if (col + w > end) {
        full = true;
        return;
      }
      this.set(row, col, placeholder ? mark : base, ch);
      if (w === 2) this.set(row, col + 1, base, '');
      col += w;
    });
    row.dirty = true;
    return col - x;
  }

  /** Writes styled segments; returns the columns used. */
  line(x: number, y: number, line: StyledLine, width: number, attrOverride?: number): number {
    let used = 0;
    for (const seg of line) {
      if (used >= width) break;
      used += this.text(x + used, y, seg.text, seg.style, width - used, attrOverride);
    }
    return used;
  }

  private set(row: CellRow, x: number, a: number, ch: string): void {
    const cell = row[x]!;
    cell[0] = a;
    cell[1] = ch;
  }
}
