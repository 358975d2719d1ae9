import type { MessageId } from '../../model/ids.js';
import type { Canvas, Region } from '../canvas.js';
import type { KeyResult, MouseInput, Screen, UiContext } from '../context.js';
import type { Action } from '../keymap.js';
import { diffLines } from '../present/diff.js';
import type { MessageView } from '../../model/message-view.js';
import { messageBanner } from '../present/raw-text.js';
import type { StyledLine } from '../present/styled.js';
import { TextPane } from '../widgets/text-pane.js';

/** Two messages side by side (sngrep's compare); lines and values that differ are marked. */
export class CompareScreen implements Screen {
  readonly scope = 'compare';
  private readonly pane = new TextPane();
  private readonly a: MessageView;
  private readonly b: MessageView;
  private readonly banners: [StyledLine, StyledLine];
  /** The diff laid out for one width; recomputed when the terminal is resized. */
  private lines: StyledLine[] = [];
  private linesWidth = -1;

  constructor(private readonly ctx: UiContext, a: MessageId, b: MessageId) {
    const { store } = ctx;
    this.a = store.messageView(a);
    this.b = store.messageView(b);
    this.banners = [messageBanner(store.message(a), ctx.ascii), messageBanner(store.message(b), ctx.ascii)];
  }

  private diff(width: number): StyledLine[] {
    if (width !== this.linesWidth) {
      this.lines = diffLines(this.a, this.b, width, { ascii: this.ctx.ascii });
      this.linesWidth = width;
    }
    return this.lines;
  }

  private body(region: Region): Region {
    return { x: region.x, y: region.y + 2, width: region.width, height: region.height - 2 };
  }

  render(canvas: Canvas, region: Region): void {
    canvas.fill({ ...region, height: 1 }, 'header');
    canvas.text(region.x + 1, region.y, 'Compare messages', 'header', region.width - 2);
    const half = Math.max(0, (region.width - 1) >> 1);
    canvas.line(region.x, region.y + 1, this.banners[0], half);
    canvas.text(region.x + half, region.y + 1, this.ctx.ascii ? '|' : '│', 'dim', 1);
    canvas.line(region.x + half + 1, region.y + 1, this.banners[1], region.width - half - 1);
    this.pane.render(canvas, this.body(region), this.diff(region.width));
  }

  handleAction(action: Action, region: Region): KeyResult {
    const body = this.body(region);
    return this.pane.move(action, this.diff(region.width).length, body.height) ? 'handled' : 'unhandled';
  }

  handleMouse(mouse: MouseInput, region: Region): KeyResult {
    if (mouse.kind === 'click') return 'unhandled';
    for (let k = 0; k < 3; k++) this.handleAction(mouse.kind === 'wheelUp' ? 'up' : 'down', region);
    return 'handled';
  }
}
