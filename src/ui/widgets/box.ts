import type { Canvas, Region } from '../canvas.js';

/**
 * A dialog box over the screen below (save, stats): cleared, a line border, `title` in a header
 * bar over the top border and `foot` centred in the bottom one.
 */
export function drawBox(canvas: Canvas, box: Region, title: string, foot = ''): void {
  const [h, v, tl, tr, bl, br] = canvas.ascii ? ['-', '|', '+', '+', '+', '+'] : ['─', '│', '┌', '┐', '└', '┘'];
  canvas.fill(box);
  const right = box.x + box.width - 1;
  const bottom = box.y + box.height - 1;
  for (let y = box.y; y <= bottom; y++) {
    canvas.text(box.x, y, y === box.y ? tl : y === bottom ? bl : v, 'dim', 1);
    canvas.text(right, y, y === box.y ? tr : y === bottom ? br : v, 'dim', 1);
  }
  canvas.text(box.x + 1, bottom, h.repeat(box.width - 2), 'dim', box.width - 2);
  canvas.fill({ x: box.x + 1, y: box.y, width: box.width - 2, height: 1 }, 'header');
  canvas.text(box.x + 2, box.y, title, 'header', box.width - 4);
  if (foot !== '') canvas.text(box.x + Math.max(1, (box.width - foot.length) >> 1), bottom, foot, 'dim', box.width - 2);
}
