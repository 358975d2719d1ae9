import type { DialogId, MessageId } from '../../model/ids.js';
import { shownAliases } from '../../config/settings.js';
import type { Region } from '../canvas.js';
import type { KeyResult, Screen, UiContext } from '../context.js';
import type { Action } from '../keymap.js';
import { messageLines, plainLine } from '../present/message.js';
import { messageBanner } from '../present/raw-text.js';
import type { StyledLine } from '../../layout/styled.js';
import { wrapLine } from '../../layout/text-width.js';
import { TextScreen } from './text-screen.js';
import { SaveScreen } from './save.js';

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
    const { syntax, displayAlias } = this.ctx.settings;
    return `${this.heading}${syntax ? '' : '  (syntax colours off)'}${displayAlias ? '  (aliases)' : ''}`;
  }

  override handleAction(action: Action, region: Region): KeyResult {
    switch (action) {
      case 'save': {
        // sngrep's raw view saves its call group: here the dialogs of the messages shown.
        const dialogs = [...new Set(this.messages.map((i) => this.ctx.store.message(i).dialog))].sort((a, b) => a - b) as DialogId[];
        this.ctx.push(new SaveScreen(this.ctx, [{ label: `these dialogs (${dialogs.length})`, dialogs: () => dialogs }]));
        return 'handled';
      }
      case 'clearAll':
      case 'keepMatching':
        // As sngrep's: leave and let the call list clear.
        return 'propagate';
      default:
        return super.handleAction(action, region);
    }
  }

  protected layout(width: number): StyledLine[] {
    const { store, ascii, settings } = this.ctx;
    const key = `${width}/${settings.syntax}/${settings.displayAlias}`;
    if (key === this.linesKey) return this.lines;
    this.lines = [];
    const aliases = shownAliases(settings);
    for (const i of this.messages) {
      this.lines.push(...wrapLine(messageBanner(store.message(i), ascii, aliases), width, ascii));
      const body = messageLines(store.messageView(i), { width, ascii });
      this.lines.push(...(settings.syntax ? body : body.map(plainLine)));
      this.lines.push([]);
    }
    this.linesKey = key;
    return this.lines;
  }
}
