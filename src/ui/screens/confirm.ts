import type { Canvas, Region } from '../canvas.js';
import type { KeyResult, Screen, UiContext } from '../context.js';
import type { Action } from '../keymap.js';

/** A yes/no question drawn over the screen below it (sngrep's exit prompt). */
export class ConfirmScreen implements Screen {
  readonly scope = 'confirm';
  readonly overlay = true;

  constructor(private readonly ctx: UiContext, private readonly question: string, private readonly onYes: () => void) {}

  render(canvas: Canvas, region: Region): void {
    const text = ` ${this.question} [y/n] `;
    const width = Math.min(region.width - 2, text.length + 4);
    const box = { x: region.x + Math.floor((region.width - width) / 2), y: region.y + Math.floor(region.height / 2) - 2, width, height: 5 };
    canvas.fill(box, 'cursor');
    canvas.text(box.x + 2, box.y + 2, text, 'cursor', width - 4, canvas.theme.cursor);
  }

  handleAction(action: Action): KeyResult {
    if (action === 'yes') {
      this.ctx.pop();
      this.onYes();
      return 'handled';
    }
    if (action === 'no') {
      this.ctx.pop();
      return 'handled';
    }
    // Every other key is swallowed while the question is open.
    return 'handled';
  }
}
