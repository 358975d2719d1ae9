import type { MessageId } from '../../model/ids.js';
import type { Region } from '../canvas.js';
import type { KeyResult, Screen, UiContext } from '../context.js';
import type { Action } from '../keymap.js';
import { messageLines, plainLine } from '../present/message.js';
import { messageBanner } from '../present/raw-text.js';
import type { StyledLine } from '../../layout/styled.js';
import { wrapLine } from '../../layout/text-width.js';
import { TextScreen } from './text-screen.js';

/** Messages as text (a whole dialog, several, or one), each under a banner line, wrapped and scrollable. */
export class RawScreen extends TextScreen implements Screen {
  readonly scope = 'raw';
  /** The text laid out for one width; redone when the terminal is resized. */
  private lines: StyledLine[] = [];
  private linesKey = '';

  constructor(private readonly ctx: UiContext, private readonly messages: readonly MessageId[], private readonly heading: string) {
    super();
  }

  protected title(): string {
    return this.ctx.settings.syntax ? this.heading : `${this.heading}  (syntax colours off)`;
  }

  override handleAction(action: Action, region: Region): KeyResult {
    if (action !== 'syntax') return super.handleAction(action, region);
    this.ctx.settings.syntax = !this.ctx.settings.syntax;
    return 'handled';
  }

  protected layout(width: number): StyledLine[] {
    const { store, ascii, settings } = this.ctx;
    const key = `${width}/${settings.syntax}`;
    if (key === this.linesKey) return this.lines;
    this.lines = [];
    for (const i of this.messages) {
      this.lines.push(...wrapLine(messageBanner(store.message(i), ascii), width, ascii));
      const body = messageLines(store.messageView(i), { width, ascii });
      this.lines.push(...(settings.syntax ? body : body.map(plainLine)));
      this.lines.push([]);
    }
    this.linesKey = key;
    return this.lines;
  }
}
