import type { Finding } from '../../model/finding.js';
import type { MessageId } from '../../model/ids.js';
import type { Canvas, Region } from '../canvas.js';
import type { KeyResult, MouseInput, Screen } from '../context.js';
import type { Action } from '../keymap.js';
import { findingLines } from '../present/findings.js';
import { VirtualList } from '../widgets/virtual-list.js';

/** The pane takes at most this share of the screen, so the ladder stays readable above it. */
const MAX_SHARE = 0.45;
const MIN_ROWS = 4;

/**
 * The findings of the dialogs on a call flow, in a pane over the bottom of the ladder: ↑/↓ choose
 * one (its whole text shows), Enter moves the ladder's cursor to the message the finding points at
 * and closes the pane. The list is read again on every frame: rules conclude while packets arrive.
 */
export class FindingsPane implements Screen {
  readonly scope = 'findings';
  readonly overlay = true;
  private readonly list = new VirtualList();
  private top = 0;

  constructor(
    /** The findings now (worst first). */
    private readonly findings: () => readonly Finding[],
    /** Puts the ladder's cursor on a message; false when the ladder does not show it. */
    private readonly jump: (message: MessageId) => boolean,
    /** Closes the pane. */
    private readonly close: () => void,
    cursor = 0,
  ) {
    this.list.cursor = cursor;
  }

  /** The finding under the cursor, remembered by the flow for the next time the pane opens. */
  get cursor(): number {
    return this.list.cursor;
  }

  private box(region: Region, lines: number): Region {
    const height = Math.min(Math.max(MIN_ROWS, lines + 1), Math.max(MIN_ROWS, Math.floor(region.height * MAX_SHARE)));
    return { x: region.x, y: region.y + region.height - height, width: region.width, height };
  }

  render(canvas: Canvas, region: Region): void {
    const list = this.findings();
    this.list.clamp(list.length, list.length);
    const { lines, first } = findingLines(list, region.width - 2, this.list.cursor, canvas.ascii);
    const box = this.box(region, lines.length);
    canvas.fill(box, 'default');
    canvas.fill({ ...box, height: 1 }, 'header');
    const chosen = list[this.list.cursor];
    const hint = chosen === undefined ? '' : chosen.message === undefined ? '  (this one names no message)' : '  Enter: go to its message';
    canvas.text(box.x + 1, box.y, `Findings (${list.length})${hint}`, 'header', box.width - 2);
    const body = { x: box.x + 1, y: box.y + 1, width: box.width - 2, height: box.height - 1 };
    if (list.length === 0) {
      canvas.text(body.x, body.y, 'No findings for these dialogs.', 'dim', body.width);
      return;
    }
    // The chosen finding's lines stay in view.
    const start = first[this.list.cursor] ?? 0;
    const end = (first[this.list.cursor + 1] ?? lines.length) - 1;
    if (start < this.top) this.top = start;
    if (end >= this.top + body.height) this.top = Math.max(0, Math.min(start, end - body.height + 1));
    this.top = Math.max(0, Math.min(this.top, lines.length - body.height));
    for (let k = 0; k < body.height && this.top + k < lines.length; k++) {
      const at = this.top + k;
      const cursorLine = at >= start && at <= end;
      if (cursorLine) canvas.fill({ x: box.x, y: body.y + k, width: box.width, height: 1 }, 'cursor');
      canvas.line(body.x, body.y + k, lines[at]!, body.width, cursorLine ? canvas.theme.cursor : undefined);
      // The severity keeps its colour on the cursor line too.
      const sev = lines[at]![0];
      if (cursorLine && at === start && sev !== undefined) canvas.text(body.x, body.y + k, sev.text, sev.style, body.width);
    }
  }

  handleAction(action: Action): KeyResult {
    const count = this.findings().length;
    if (this.list.move(action, count, count)) return 'handled';
    switch (action) {
      case 'open': {
        const m = this.findings()[this.list.cursor]?.message;
        if (m !== undefined && this.jump(m)) this.close();
        return 'handled';
      }
      case 'back':
        this.close();
        return 'handled';
      default:
        // The ladder's keys wait until the pane is closed.
        return action === 'quit' || action === 'help' ? 'unhandled' : 'handled';
    }
  }

  handleMouse(mouse: MouseInput): KeyResult {
    if (mouse.kind === 'click') return 'handled';
    this.list.move(mouse.kind === 'wheelUp' ? 'up' : 'down', this.findings().length, 1);
    return 'handled';
  }
}
