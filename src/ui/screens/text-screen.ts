import type { Canvas, Region } from '../canvas.js';
import type { KeyResult, MouseInput } from '../context.js';
import type { Action } from '../keymap.js';
import type { StyledLine } from '../present/styled.js';
import { TextPane } from '../widgets/text-pane.js';

/** A title line over scrollable text laid out for the width (the raw view, the fax screen). */
export abstract class TextScreen {
  private readonly pane = new TextPane();

  protected abstract title(): string;
  /** The text for `width` cells; subclasses cache it while nothing changes. */
  protected abstract layout(width: number): StyledLine[];

  render(canvas: Canvas, region: Region): void {
    canvas.fill({ ...region, height: 1 }, 'header');
    canvas.text(region.x + 1, region.y, this.title(), 'header', region.width - 2);
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
