import type { Canvas, Region } from '../canvas.js';
import type { KeyResult, MouseInput, Screen, UiContext } from '../context.js';
import type { Action } from '../keymap.js';
import { flowMessageFrom, mergeFlows, type FlowMessage } from '../present/flow-message.js';
import { messageBanner, messageTextLines } from '../present/raw-text.js';
import type { StyledLine } from '../present/styled.js';
import { wrapLine } from '../present/text-width.js';
import { VirtualList } from '../widgets/virtual-list.js';
import { CompareScreen } from './compare.js';
import { ladderHeader, ladderRows, type LadderOptions } from './ladder-rows.js';
import { messageStyledLines } from './message-lines.js';
import { RawScreen } from './raw.js';

const PANE_MIN = 24;
const PANE_STEP = 4;
/** Below this width the message pane starts hidden (it can still be opened). */
const PANE_AUTO_COLS = 100;

/** The first line of a message, for response labels ("180 Ringing"). */
function startLine(bytes: Buffer): string {
  const end = bytes.indexOf(0x0a);
  return bytes.toString('latin1', 0, end < 0 ? Math.min(bytes.length, 200) : Math.min(end, 200));
}

/**
 * The call-flow ladder of one or more dialogs, with the selected message in a pane on the right.
 * Space marks messages; the second mark opens the side-by-side comparison.
 */
export class CallFlowScreen implements Screen {
  readonly scope = 'flow';
  private readonly list = new VirtualList();
  private messages: FlowMessage[] = [];
  private addresses: string[] = [];
  private marks: number[] = [];
  private compressed = false;
  private colorByCseq = false;
  /** Message pane width in cells; undefined until the first render picks one for the terminal width. */
  private paneWidth: number | undefined;
  /** Undefined: shown when the terminal is wide enough. */
  private paneShown: boolean | undefined;

  constructor(private readonly ctx: UiContext, private readonly dialogs: readonly number[], private extended: boolean) {
    this.load();
  }

  private load(): void {
    const { store } = this.ctx;
    const shown = this.extended ? [...new Set(this.dialogs.flatMap((d) => store.relatedDialogs(d)))] : [...this.dialogs];
    const perDialog = shown.map((d) => store.dialog(d).messages.map((i) => flowMessageFrom(store.message(i), startLine(store.messageBytes(i)))));
    this.messages = mergeFlows(perDialog);
    const seen = new Set<string>();
    for (const m of this.messages) {
      seen.add(m.src);
      seen.add(m.dst);
    }
    this.addresses = [...seen];
    this.marks = [];
  }

  private title(): string {
    const { store } = this.ctx;
    const ids = new Set(this.messages.map((m) => m.dialog));
    const what = ids.size === 1 ? `Call-ID: ${store.dialog([...ids][0]!).callId}` : `${ids.size} dialogs`;
    return `${this.extended ? 'Extended call flow' : 'Call flow'}  ${what}  (${this.messages.length} messages)`;
  }

  private rowsPerMessage(): number { return this.compressed ? 1 : 2; }

  private layout(region: Region): { ladder: Region; pane: Region | undefined; body: Region } {
    if (this.paneWidth === undefined) this.paneWidth = Math.max(PANE_MIN, Math.floor(region.width * 0.45));
    const paneWidth = this.paneVisible(region.width) ? Math.min(this.paneWidth, region.width - 20) : 0;
    const top = region.y + 2;
    const height = Math.max(0, region.height - 2);
    const ladder = { x: region.x, y: top, width: region.width - (paneWidth > 0 ? paneWidth + 1 : 0), height };
    const pane = paneWidth > 0 ? { x: region.x + ladder.width + 1, y: region.y + 1, width: paneWidth, height: region.height - 1 } : undefined;
    const body = { ...ladder, height: Math.floor(height / this.rowsPerMessage()) };
    return { ladder, pane, body };
  }

  private paneVisible(width: number): boolean {
    return this.paneShown ?? width >= PANE_AUTO_COLS;
  }

  private options(width: number): LadderOptions {
    return {
      width,
      addresses: this.addresses,
      compressed: this.compressed,
      colorByCseq: this.colorByCseq,
      ascii: this.ctx.ascii,
      utcOffsetMinutes: -new Date().getTimezoneOffset(),
    };
  }

  render(canvas: Canvas, region: Region): void {
    const { ladder, pane, body } = this.layout(region);
    canvas.fill({ ...region, height: 1 }, 'cursor');
    canvas.text(region.x + 1, region.y, this.title(), 'cursor', region.width - 2, canvas.theme.cursor);
    const opts = this.options(ladder.width);
    canvas.line(ladder.x, region.y + 1, ladderHeader(opts), ladder.width);
    const perMsg = this.rowsPerMessage();
    this.list.render(body, this.messages.length, (i, y) => {
      const rows = ladderRows(this.messages, i, opts, { cursor: i === this.list.cursor, marked: this.marks.includes(i) });
      const lineY = ladder.y + (y - body.y) * perMsg;
      rows.forEach((row, k) => canvas.line(ladder.x, lineY + k, row, ladder.width));
    });
    if (pane !== undefined) this.renderPane(canvas, pane);
  }

  private renderPane(canvas: Canvas, pane: Region): void {
    const vbar = this.ctx.ascii ? '|' : '│';
    for (let y = pane.y; y < pane.y + pane.height; y++) canvas.text(pane.x - 1, y, vbar, 'dim', 1);
    const m = this.messages[this.list.cursor];
    if (m === undefined) return;
    const { store } = this.ctx;
    const lines: StyledLine[] = [messageBanner(store.message(m.index), this.ctx.ascii)];
    lines.push(...messageStyledLines(messageTextLines(store.messageBytes(m.index))));
    let y = pane.y;
    for (const line of lines) {
      for (const part of wrapLine(line, pane.width, this.ctx.ascii)) {
        if (y >= pane.y + pane.height) return;
        canvas.line(pane.x, y++, part, pane.width);
      }
    }
  }

  handleAction(action: Action, region: Region): KeyResult {
    const { body } = this.layout(region);
    if (this.list.move(action, this.messages.length, body.height)) return 'handled';
    switch (action) {
      case 'select': return this.mark();
      case 'open': {
        const m = this.messages[this.list.cursor];
        if (m !== undefined) this.ctx.push(new RawScreen(this.ctx, [m.index], `Message ${this.list.cursor + 1} of ${this.messages.length}`));
        return 'handled';
      }
      case 'raw':
        this.ctx.push(new RawScreen(this.ctx, this.messages.map((m) => m.index), this.title()));
        return 'handled';
      case 'extended':
        this.extended = !this.extended;
        this.load();
        this.list.cursor = 0;
        return 'handled';
      case 'compressed':
        this.compressed = !this.compressed;
        return 'handled';
      case 'colorMode':
        this.colorByCseq = !this.colorByCseq;
        return 'handled';
      case 'togglePane':
        this.paneShown = !this.paneVisible(region.width);
        return 'handled';
      case 'paneWider':
      case 'paneNarrower': {
        const delta = action === 'paneWider' ? PANE_STEP : -PANE_STEP;
        this.paneWidth = Math.max(PANE_MIN, Math.min((this.paneWidth ?? PANE_MIN) + delta, region.width - 30));
        return 'handled';
      }
      default:
        return 'unhandled';
    }
  }

  private mark(): KeyResult {
    const i = this.list.cursor;
    if (this.messages[i] === undefined) return 'handled';
    this.marks = this.marks.includes(i) ? this.marks.filter((k) => k !== i) : [...this.marks, i];
    if (this.marks.length === 2) {
      const [a, b] = this.marks.sort((x, y) => x - y).map((k) => this.messages[k]!.index);
      this.marks = [];
      this.ctx.push(new CompareScreen(this.ctx, a!, b!));
    }
    return 'handled';
  }

  handleMouse(mouse: MouseInput, region: Region): KeyResult {
    const { body, ladder } = this.layout(region);
    if (mouse.kind !== 'click') {
      this.list.scroll(mouse.kind === 'wheelUp' ? -1 : 1, this.messages.length, body.height);
      return 'handled';
    }
    if (mouse.x >= ladder.x + ladder.width) return 'unhandled';
    return this.list.click(Math.floor((mouse.y - ladder.y) / this.rowsPerMessage()), this.messages.length) ? 'handled' : 'unhandled';
  }
}
