import type { Canvas, Region } from '../canvas.js';
import type { KeyResult, MouseInput, Screen, UiContext } from '../context.js';
import type { Action } from '../keymap.js';
import { messageLines } from '../present/message.js';
import { messageBanner, messageText } from '../present/raw-text.js';
import type { StyledLine } from '../present/styled.js';
import { TextPane } from '../widgets/text-pane.js';

/** Messages as text (a whole dialog, several, or one), each under a banner line, scrollable. */
export class RawScreen implements Screen {
  readonly scope = 'raw';
  private readonly pane = new TextPane();
  private readonly lines: StyledLine[] = [];

  constructor(ctx: UiContext, messages: readonly number[], private readonly title: string) {
    const { store } = ctx;
    for (const i of messages) {
      this.lines.push(messageBanner(store.message(i), ctx.ascii));
      this.lines.push(...messageLines(messageText(store.messageBytes(i)), { ascii: ctx.ascii }));
      this.lines.push([]);
    }
  }

  render(canvas: Canvas, region: Region): void {
    canvas.fill({ ...region, height: 1 }, 'header');
    canvas.text(region.x + 1, region.y, this.title, 'header', region.width - 2);
    this.pane.render(canvas, this.body(region), this.lines);
  }

  handleAction(action: Action, region: Region): KeyResult {
    return this.pane.move(action, this.lines.length, this.body(region).height) ? 'handled' : 'unhandled';
  }

  handleMouse(mouse: MouseInput, region: Region): KeyResult {
    if (mouse.kind === 'click') return 'unhandled';
    const body = this.body(region);
    this.pane.top += mouse.kind === 'wheelUp' ? -3 : 3;
    this.pane.clamp(this.lines.length, body.height);
    return 'handled';
  }

  private body(region: Region): Region {
    return { x: region.x, y: region.y + 1, width: region.width, height: region.height - 1 };
  }
}
