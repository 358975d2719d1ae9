import type { Canvas, Region } from '../canvas.js';
import type { KeyResult, Screen, UiContext } from '../context.js';
import { resolveKey, type Action } from '../keymap.js';

/** A one-line text input over the bottom of the screen below it (the display filter). */
export class PromptScreen implements Screen {
  readonly scope = 'prompt';
  readonly overlay = true;
  private text: string;

  constructor(private readonly ctx: UiContext, private readonly label: string, initial: string, private readonly done: (text: string) => void) {
    this.text = initial;
  }

  render(canvas: Canvas, region: Region): void {
    const y = region.y + region.height - 1;
    canvas.fill({ x: region.x, y, width: region.width, height: 1 }, 'cursor');
    const shown = `${this.label}: ${this.text}_`;
    // Keep the end of a long input visible.
    const from = Math.max(0, shown.length - (region.width - 2));
    canvas.text(region.x + 1, y, shown.slice(from), 'cursor', region.width - 2, canvas.theme.cursor);
  }

  handleText(ch: string | undefined, key: string): KeyResult {
    const action = resolveKey(this.ctx.keymap, this.scope, key);
    if (action === 'yes') {
      this.ctx.pop();
      this.done(this.text);
    } else if (action === 'no') {
      this.ctx.pop();
    } else if (key === 'backspace') {
      this.text = this.text.slice(0, -1);
    } else if (key === 'C-u') {
      this.text = '';
    } else if (ch !== undefined && ch.length === 1 && ch >= ' ' && ch !== '\x7f') {
      this.text += ch;
    }
    return 'handled';
  }

  handleAction(_action: Action): KeyResult {
    return 'handled';
  }
}
