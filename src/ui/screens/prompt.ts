import type { Canvas, Region } from '../canvas.js';
import type { KeyResult, Screen, UiContext } from '../context.js';
import { CLEAR_TEXT_KEYS, resolveKey, type Action } from '../keymap.js';

/** What a prompt says about its text as it is typed: "12 matching", or an error and where it is. */
export interface PromptCheck { status: string; caret?: number }

/**
 * A one-line text input over the bottom of the screen below it (search, filter expression). With
 * `check`, a second line above it shows the verdict on each keystroke; `done` returning false keeps
 * the prompt open (the text does not compile).
 */
export class PromptScreen implements Screen {
  readonly scope = 'prompt';
  readonly overlay = true;
  private text: string;
  private verdict: PromptCheck | undefined;

  constructor(
    private readonly ctx: UiContext,
    private readonly label: string,
    initial: string,
    private readonly done: (text: string) => boolean | void,
    private readonly check?: (text: string) => PromptCheck,
    /** Esc: undo what `check` applied as the text was typed. */
    private readonly cancel?: () => void,
  ) {
    this.text = initial;
    this.verdict = check?.(initial);
  }

  render(canvas: Canvas, region: Region): void {
    const y = region.y + region.height - 1;
    const prefix = `${this.label}: `;
    const shown = `${prefix}${this.text}_`;
    // Keep the end of a long input visible.
    const from = Math.max(0, shown.length - (region.width - 2));
    if (this.verdict !== undefined) {
      const line = { x: region.x, y: y - 1, width: region.width, height: 1 };
      canvas.fill(line, 'cursor');
      const caret = this.verdict.caret === undefined ? '' : `${' '.repeat(Math.max(0, prefix.length + this.verdict.caret - from))}^ `;
      const style = this.verdict.caret === undefined ? 'match' : 'retrans';
      canvas.text(region.x + 1, y - 1, caret + this.verdict.status, style, region.width - 2);
    }
    canvas.fill({ x: region.x, y, width: region.width, height: 1 }, 'cursor');
    canvas.text(region.x + 1, y, shown.slice(from), 'cursor', region.width - 2, canvas.theme.cursor);
  }

  handleText(ch: string | undefined, key: string): KeyResult {
    const action = resolveKey(this.ctx.keymap, this.scope, key);
    if (action === 'yes') {
      this.ctx.pop();
      if (this.done(this.text) === false) this.ctx.push(this);
      return 'handled';
    }
    if (action === 'no') {
      this.ctx.pop();
      this.cancel?.();
      return 'handled';
    }
    const before = this.text;
    if (key === 'backspace') this.text = this.text.slice(0, -1);
    else if (CLEAR_TEXT_KEYS.has(key)) this.text = '';
    else if (ch !== undefined && ch.length === 1 && ch >= ' ' && ch !== '\x7f') this.text += ch;
    if (this.text !== before) this.verdict = this.check?.(this.text);
    return 'handled';
  }

  handleAction(_action: Action): KeyResult {
    return 'handled';
  }
}
