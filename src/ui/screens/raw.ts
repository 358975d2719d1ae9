import type { MessageId } from '../../model/ids.js';
import type { Canvas, Region } from '../canvas.js';
import type { KeyResult, MouseInput, Screen, UiContext } from '../context.js';
import type { Action } from '../keymap.js';
import { messageLines } from '../present/message.js';
import { messageBanner } from '../present/raw-text.js';
import type { StyledLine } from '../present/styled.js';
import { wrapLine } from '../present/text-width.js';
import { TextPane } from '../widgets/text-pane.js';

/** Messages as text (a whole dialog, several, or one), each under a banner line, wrapped and scrollable. */
export class RawScreen implements Screen {
  readonly scope = 'raw';
  private readonly pane = new TextPane();
  /** The text laid out for one width; redone when the terminal is resized. */
  private lines: StyledLine[] = [];
  private linesWidth = -1;

  constructor(private readonly ctx: UiContext, private readonly messages: readonly MessageId[], private readonly title: string) {}

  private layout(width: number): StyledLine[] {
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

  render(canvas: Canvas, region: Region): void {
    canvas.fill({ ...region, height: 1 }, 'header');
    canvas.text(region.x + 1, region.y, this.title, 'header', region.width - 2);
    const body = this.body(region);
    this.pane.render(canvas, body, this.layout(body.width));
  }

  handleAction(action: Action, region: Region): KeyResult {
    const body = this.body(region);
    return this.pane.move(action, this.layout(body.width).length, body.height) ? 'handled' : 'unhandled';
  }

  handleMouse(mouse: MouseInput, region: Region): KeyResult {
    if (mouse.kind === 'click') return 'unhandled';
    const body = this.body(region);
    this.pane.top += mouse.kind === 'wheelUp' ? -3 : 3;
    this.pane.clamp(this.layout(body.width).length, body.height);
    return 'handled';
  }

  private body(region: Region): Region {
    return { x: region.x, y: region.y + 1, width: region.width, height: region.height - 1 };
  }
}
