import type { Canvas, Region } from '../canvas.js';
import type { KeyResult, MouseInput, Screen, UiContext } from '../context.js';
import type { Action } from '../keymap.js';
import { cellText, DEFAULT_COLUMNS, layoutColumns, stateStyle, type ColumnId } from '../present/call-columns.js';
import { callListHeader } from '../present/header.js';
import { FilteredIndex } from '../widgets/filtered-index.js';
import { VirtualList } from '../widgets/virtual-list.js';
import { CallFlowScreen } from './call-flow.js';
import { ColumnsScreen } from './columns.js';
import { PromptScreen } from './prompt.js';
import { RawScreen } from './raw.js';
import { SaveScreen, type SaveChoice } from './save.js';

const HEADER_LINES = 2;
const BOX = 4; // "[*] "

/** The default screen: one row per dialog, sngrep's columns, Space selects, Enter opens the flow. */
export class CallListScreen implements Screen {
  readonly scope = 'list';
  readonly list = new VirtualList();
  /** Store indices of the selected dialogs. */
  readonly selected = new Set<number>();
  private readonly filter = new FilteredIndex();
  columns: ColumnId[] = [...DEFAULT_COLUMNS];
  /** While paused (p): the number of dialogs shown; newer ones wait until resumed. */
  private pausedAt: number | undefined;

  constructor(private readonly ctx: UiContext) {}

  private body(region: Region): Region {
    // Header lines, then the column titles.
    const top = HEADER_LINES + 1;
    return { x: region.x, y: region.y + top, width: region.width, height: Math.max(0, region.height - top) };
  }

  render(canvas: Canvas, region: Region): void {
    const { store } = this.ctx;
    const total = this.dialogTotal();
    if (this.filter.update(total, (i) => store.dialog(i))) this.ctx.requestRender();
    const count = this.filter.count(total);
    const header = callListHeader(this.ctx.status(), count, total, this.selected.size, this.filter.text, this.pausedAt !== undefined);
    header.forEach((line, i) => canvas.line(region.x, region.y + i, line, region.width));

    const placed = layoutColumns(this.columns, region.x + BOX, region.width - BOX, total);
    const titleY = region.y + HEADER_LINES;
    canvas.fill({ x: region.x, y: titleY, width: region.width, height: 1 }, 'header');
    for (const p of placed) canvas.text(p.x, titleY, p.column.title, 'header', p.width);

    const body = this.body(region);
    const cursorAttr = canvas.theme.cursor;
    this.list.render(body, count, (row, y, isCursor) => {
      const i = this.filter.at(row);
      const d = store.dialog(i);
      const style = this.selected.has(i) ? 'selected' : stateStyle(d.state);
      const override = isCursor ? cursorAttr : undefined;
      if (isCursor) canvas.fill({ x: region.x, y, width: region.width, height: 1 }, 'cursor');
      canvas.text(region.x, y, this.selected.has(i) ? '[*]' : '[ ]', style, BOX, override);
      for (const p of placed) canvas.text(p.x, y, cellText(p.column, d, p.width, canvas.ascii), style, p.width, override);
    });
  }

  handleAction(action: Action, region: Region): KeyResult {
    const count = this.filter.count(this.dialogTotal());
    if (this.list.move(action, count, this.body(region).height)) return 'handled';
    switch (action) {
      case 'select':
        if (count === 0) return 'handled';
        this.toggle(this.filter.at(this.list.cursor));
        this.list.move('down', count, this.body(region).height);
        return 'handled';
      case 'selectAll':
        for (let row = 0; row < count; row++) this.selected.add(this.filter.at(row));
        return 'handled';
      case 'filter':
        this.ctx.push(new PromptScreen(this.ctx, 'Display filter', this.filter.text, (text) => {
          this.filter.set(text);
          this.list.cursor = 0;
          this.list.top = 0;
        }));
        return 'handled';
      case 'clearSelection':
        this.selected.clear();
        return 'handled';
      case 'open':
        if (count > 0) this.ctx.push(new CallFlowScreen(this.ctx, this.chosen(), false));
        return 'handled';
      case 'extended':
        if (count > 0) this.ctx.push(new CallFlowScreen(this.ctx, this.chosen(), true));
        return 'handled';
      case 'raw':
        if (count > 0) this.ctx.push(this.rawScreen());
        return 'handled';
      case 'save':
        this.ctx.push(new SaveScreen(this.ctx, this.saveChoices()));
        return 'handled';
      case 'pause':
        this.pausedAt = this.pausedAt === undefined ? this.ctx.store.dialogCount() : undefined;
        return 'handled';
      case 'columns':
        this.ctx.push(new ColumnsScreen(this.columns, (ids) => { this.columns = ids; }));
        return 'handled';
      default:
        return 'unhandled';
    }
  }

  handleMouse(mouse: MouseInput, region: Region): KeyResult {
    const body = this.body(region);
    const count = this.filter.count(this.dialogTotal());
    if (mouse.kind === 'wheelUp' || mouse.kind === 'wheelDown') {
      this.list.scroll(mouse.kind === 'wheelUp' ? -3 : 3, count, body.height);
      return 'handled';
    }
    const row = mouse.y - body.y;
    if (!this.list.click(row, count)) return 'unhandled';
    // A click on the selection box toggles it, as Space does.
    if (mouse.x < region.x + BOX - 1) this.toggle(this.filter.at(this.list.cursor));
    return 'handled';
  }

  /** Dialogs the list may show: all of them, or those there were when p paused it. */
  private dialogTotal(): number {
    const total = this.ctx.store.dialogCount();
    return this.pausedAt === undefined ? total : Math.min(this.pausedAt, total);
  }

  /** Selected (when some are), the rows the list shows, or every dialog held. */
  private saveChoices(): SaveChoice[] {
    const { store } = this.ctx;
    const selected = [...this.selected].sort((a, b) => a - b);
    const displayed = (): number[] => Array.from({ length: this.filter.count(this.dialogTotal()) }, (_, row) => this.filter.at(row));
    return [
      ...(selected.length > 0 ? [{ label: `selected (${selected.length})`, positions: () => selected }] : []),
      { label: 'displayed', positions: displayed },
      { label: 'all', positions: () => Array.from({ length: store.dialogCount() }, (_, i) => i) },
    ];
  }

  private toggle(dialog: number): void {
    if (!this.selected.delete(dialog)) this.selected.add(dialog);
  }

  private rawScreen(): RawScreen {
    const { store } = this.ctx;
    const dialogs = this.chosen();
    const messages = dialogs.flatMap((d) => store.dialog(d).messages).sort((a, b) => a - b);
    const title = dialogs.length === 1 ? `Raw  Call-ID: ${store.dialog(dialogs[0]!).callId}` : `Raw  ${dialogs.length} dialogs`;
    return new RawScreen(this.ctx, messages, title);
  }

  /** The selected dialogs, or the one under the cursor when none is selected. */
  private chosen(): number[] {
    return this.selected.size > 0 ? [...this.selected].sort((a, b) => a - b) : [this.filter.at(this.list.cursor)];
  }
}
