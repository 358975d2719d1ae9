import type { MessageId } from '../../model/ids.js';
import type { Screen, UiContext } from '../context.js';
import { messageLines } from '../present/message.js';
import { messageBanner } from '../present/raw-text.js';
import type { StyledLine } from '../present/styled.js';
import { wrapLine } from '../present/text-width.js';
import { TextScreen } from './text-screen.js';

/** Messages as text (a whole dialog, several, or one), each under a banner line, wrapped and scrollable. */
export class RawScreen extends TextScreen implements Screen {
  readonly scope = 'raw';
  /** The text laid out for one width; redone when the terminal is resized. */
  private lines: StyledLine[] = [];
  private linesWidth = -1;

  constructor(private readonly ctx: UiContext, private readonly messages: readonly MessageId[], private readonly heading: string) {
    super();
  }

  protected title(): string {
    return this.heading;
  }

  protected layout(width: number): StyledLine[] {
    if (width === this.linesWidth) return this.lines;
    const { store, ascii } = this.ctx;
    this.lines = [];
    for (const i of this.messages) {
      this.lines.push(...wrapLine(messageBanner(store.message(i), ascii), width, ascii));
      this.lines.push(...messageLines(store.messageView(i), { width, ascii }));
      this.lines.push([]);
    }
    this.linesWidth = width;
    return this.lines;
  }
}
