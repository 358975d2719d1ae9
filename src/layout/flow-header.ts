import { RowCanvas } from './flow-canvas.js';
import { flowGlyphs } from './flow-glyphs.js';
import { OVERFLOW_LANE, type FlowLayout } from './flow-layout.js';
import type { StyledLine } from './styled.js';
import { cellWidth, cutCells, elideAddress } from './text-width.js';

/**
 * The two rows above the ladder: column titles centred over their lifelines, then a rule with a
 * tee where each lifeline starts (sngrep's look). Addresses are cut at the start so the port and
 * the end of the host stay; aliases are cut at the end. Hidden columns show as "+N".
 */
export function flowHeader(layout: FlowLayout): StyledLine[] {
  const g = flowGlyphs(layout.ascii);
  const titles = new RowCanvas(layout.width, layout.ascii);
  const rule = new RowCanvas(layout.width, layout.ascii);
  const room = Math.max(1, layout.spacing - 1);
  for (const col of layout.columns) {
    const bandStart = col.x - (layout.spacing >> 1);
    const text = col.aliased ? cutCells(col.title, room, layout.ascii) : elideAddress(col.title, room, layout.ascii);
    titles.text(bandStart + ((room - cellWidth(text, layout.ascii)) >> 1), text, 'address', bandStart + room);
    rule.fill(bandStart, bandStart + room, g.line, 'dim');
    rule.glyph(col.x, g.tee, 'dim');
  }
  if (layout.hidden > 0) {
    const laneStart = layout.overflowX - 1;
    titles.text(laneStart, `+${layout.hidden}`, 'dim', laneStart + OVERFLOW_LANE);
    rule.glyph(layout.overflowX, g.overflowLine, 'dim');
  }
  return [titles.toLine(), rule.toLine()];
}
