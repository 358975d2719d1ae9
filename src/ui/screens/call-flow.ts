import type { DialogId, MessageId } from '../../model/ids.js';
import type { Canvas, Region } from '../canvas.js';
import type { KeyResult, MouseInput, Screen, UiContext } from '../context.js';
import type { Action } from '../keymap.js';
import { flowHeader, flowMessageFrom, flowRows, flowSources, layoutFlow, mergeFlows, type FlowColorBy, type FlowLayout, type FlowMessage } from '../present/flow.js';
import { messageLines, plainLine } from '../present/message.js';
import { messageBanner } from '../present/raw-text.js';
import { formatDate, formatTime } from '../../layout/call-columns.js';
import type { StyledLine } from '../../layout/styled.js';
import { cellWidth, fitCells, sliceLine } from '../../layout/text-width.js';
import { flowSdp, newSdpState, sdpMediaOf, type SdpCallState } from '../../layout/flow-sdp.js';
import { SDP_MODES } from '../../model/flow.js';
import { shownAliases, type ColorMode } from '../../config/settings.js';
import { MessagePane } from '../widgets/message-pane.js';
import { VirtualList } from '../widgets/virtual-list.js';
import { rowsFor, syntheticRows, syntheticSize, type FlowSources } from '../../sink/flow-synthetic.js';
import { isSipRow, type SyntheticKind } from '../../layout/flow-message.js';
import { labelInfoDtmf, streamLabel } from '../../layout/flow-media.js';
import { findingMarks } from '../../layout/flow-findings.js';
import { findingMarkX } from '../../layout/flow-rows.js';
import { CompareScreen } from './compare.js';
import { FaxScreen } from './fax.js';
import { FindingsPane } from './findings.js';
import { flowFindings } from '../present/findings.js';
import { StreamsScreen } from './streams.js';
import { PromptScreen } from './prompt.js';
import { RawScreen } from './raw.js';
import { FLOW_SAVE_FORMATS, SaveScreen } from './save.js';

const PANE_MIN = 24;
const PANE_STEP = 4;
/** Below this width the message pane starts hidden (it can still be opened). */
const PANE_AUTO_COLS = 100;
/** Title row and the two header rows (addresses, rule) above the ladder. */
const TOP_ROWS = 3;
/** The colormode setting's values as the ladder names them. */
const COLOR_BY: Record<ColorMode, FlowColorBy> = { request: 'type', cseq: 'cseq', callid: 'dialog' };
/**
 * Lifeline spacing of a ladder with more hosts than fit: laid out this wide and scrolled with ←/→
 * instead of folding the rest into a "+N" lane (sngrep issue #210).
 */
const SCROLL_SPACING = { normal: 24, compressed: 16 };
const COLOR_MODE_NAMES: Record<FlowColorBy, string> = { type: 'Req/Resp', cseq: 'CSeq', dialog: 'Dialog' };

/** Cells at the left of the ladder that do not scroll: the time column and the finding marks' cell after it. */
function timeWidth(layout: FlowLayout): number {
  return findingMarkX(layout) + 1;
}

/** What keeps the cursor and marks on a row across reloads: its message, or a synthetic row's own key. */
function rowKey(m: FlowMessage): string {
  return m.synthetic?.key ?? `sip|${m.id}`;
}

/** The rows sngrep's M (only media) keeps: RTP streams, RFC 4733 key presses, the fax. */
const MEDIA_KINDS: readonly SyntheticKind[] = ['rtp', 'dtmf', 'fax'];

function isMediaRow(m: FlowMessage): boolean {
  return m.synthetic !== undefined && MEDIA_KINDS.includes(m.synthetic.kind);
}

/** The keys that show or hide a kind of synthetic row. */
const ROW_TOGGLES: Partial<Record<Action, readonly SyntheticKind[]>> = { faxRows: ['fax'], mediaRows: ['rtp', 'dtmf'] };

/** A B2BUA chain can link more legs than any real call has; the walk stops there. */
const MAX_LINKED = 64;

/** The dialogs and everything linked to them by X-Call-ID, following links transitively, in store order. */
export function linkedDialogs(start: readonly DialogId[], related: (d: DialogId) => DialogId[]): DialogId[] {
  const seen = new Set(start);
  const queue = [...start];
  while (queue.length > 0 && seen.size < MAX_LINKED) {
    for (const r of related(queue.shift()!)) {
      if (seen.has(r)) continue;
      seen.add(r);
      queue.push(r);
    }
  }
  return [...seen].sort((a, b) => a - b);
}

interface Geometry { ladder: Region; pane: Region | undefined; layout: FlowLayout; visible: number }

/**
 * The call-flow ladder of one or more dialogs, with the message under the cursor in a pane on the
 * right. Space marks messages; the second mark opens the side-by-side comparison.
 */
export class CallFlowScreen implements Screen {
  readonly scope = 'flow';
  private readonly list = new VirtualList();
  private messages: FlowMessage[] = [];
  private marks: number[] = [];
  private compressed = false;
  /** The time and delta column left of the arrows (sngrep's w hides it). */
  private timeColumn = true;
  /** Only the SIP messages carrying SDP, besides the media rows (sngrep's D). */
  private onlySdp = false;
  /** Only the media rows, no SIP messages (sngrep's M, cf.onlymedia); they show even while m hides them. */
  private onlyMedia = false;
  /** Said in the title until the next key (why a toggle did not take). */
  private notice = '';
  /** Cells the ladder (right of the time column) is scrolled to the right, when it is wider than the screen. */
  private scrollX = 0;
  /** Pane width in cells once the user sized it; undefined: automatic. */
  private paneWidth: number | undefined;
  /** Undefined: shown when the terminal is wide enough. */
  private paneShown: boolean | undefined;
  /** Layouts by width and modes: geometry() asks for two widths (the pane's share, then the ladder's) on every frame. */
  private readonly layouts = new Map<string, FlowLayout>();
  /** Responses whose label already carries its reason phrase (the objects are kept while the ladder grows). */
  private readonly labelled = new Set<MessageId>();
  /** The ladder's messages per dialog; a dialog that is gone keeps what it had. */
  private readonly loaded = new Map<DialogId, FlowMessage[]>();
  /** Hold state of each dialog's SDP so far, so a later sendrecv reads as a resume. */
  private readonly sdpStates = new Map<DialogId, SdpCallState>();
  /** The store version the ladder has caught up with. */
  private seenVersion = -1;
  /** How far the synthetic rows had grown when last built (syntheticSize). */
  private seenSynthetic = -1;
  /** Search text ('/'); hits[k] is 1 when message k of the flow contains it. */
  private search = '';
  private hits = new Uint8Array(0);
  /** The last search found no message (the title says so until the next search). */
  private notFound = false;
  /**
   * The rows besides the SIP messages: the fax (T.30 frames, pages; T.38 indicators on request)
   * between the fax endpoints, RTP streams and key presses between the media addresses, HEP agents'
   * log lines across the ladder.
   */
  private readonly rowOpts: { kinds: Set<SyntheticKind>; faxIndicators: boolean };
  /** The findings pane's cursor, kept for the next time it opens. */
  private findingCursor = 0;
  /** The message beside the ladder; Tab gives it the keys. */
  private readonly messagePane = new MessagePane();

  /** Call-IDs of the dialogs opened, remembered so the title can still name them once they are gone. */
  private readonly callIds: string[];

  constructor(private readonly ctx: UiContext, private readonly dialogs: readonly DialogId[], private extended: boolean) {
    this.callIds = dialogs.map((id) => ctx.store.dialog(id)?.callId ?? '');
    // A copy: the row toggles change it, and the exports' defaults must stay as they are.
    this.rowOpts = { kinds: new Set(rowsFor(ctx.settings.flow.media).kinds), faxIndicators: false };
    this.load();
  }

  /** Loads the ladder afresh (on opening, and when the extended flow is toggled). */
  private load(): void {
    this.loaded.clear();
    this.labelled.clear();
    this.sdpStates.clear();
    this.marks = [];
    this.follow(true);
  }

  /**
   * Catches up with the store: messages that arrived since the last look join the ladder (the app
   * redraws at most ~30 times a second while packets arrive), and the cursor and marks stay on
   * the messages they were on.
   */
  private follow(force = false): void {
    const { store } = this.ctx;
    const sources = this.sources();
    const shown = this.shownDialogs();
    const synthetic = syntheticSize(sources, shown, this.rowsShown());
    if (!force && store.version === this.seenVersion && synthetic === this.seenSynthetic) return;
    this.seenVersion = store.version;
    let grew = force || synthetic !== this.seenSynthetic;
    this.seenSynthetic = synthetic;
    for (const id of shown) {
      const d = store.dialog(id);
      if (d === undefined) continue;
      const have = this.loaded.get(id) ?? [];
      if (this.loaded.has(id) && have.length === d.messages.length) continue;
      // Response labels need the message's start line; it is read only for the rows on screen (see labelRows).
      // SDP is read for every message carrying it: a resume is known only from the holds before it.
      const sdpState = this.sdpStates.get(id) ?? newSdpState();
      this.sdpStates.set(id, sdpState);
      const from = have.length;
      const ids = d.messages;
      for (let k = from; k < ids.length; k++) {
        const m = flowMessageFrom(store.message(ids[k]!));
        if (m.hasSdp) m.sdp = flowSdp(sdpMediaOf(store.messageView(m.id)), sdpState);
        have.push(m);
      }
      labelInfoDtmf(have.slice(from), sources.infoDtmf?.(id) ?? []);
      this.loaded.set(id, have);
      grew = true;
    }
    if (!grew) return;
    const cursor = this.messages[this.list.cursor];
    const marked = this.marks.map((k) => rowKey(this.messages[k]!));
    const merged = mergeFlows([...this.loaded.values(), this.syntheticMessages(sources, shown)]);
    this.messages = this.onlyMedia ? merged.filter(isMediaRow) : this.onlySdp ? merged.filter((m) => m.synthetic !== undefined || m.hasSdp) : merged;
    const at = new Map(this.messages.map((m, k) => [rowKey(m), k] as const));
    if (cursor !== undefined) this.list.cursor = at.get(rowKey(cursor)) ?? this.list.cursor;
    this.marks = marked.flatMap((key) => at.get(key) ?? []);
    this.findHits();
    this.layouts.clear();
  }

  /** The fax, RTP and DTMF rows of the dialogs on the ladder (the kinds shown). */
  private syntheticMessages(sources: FlowSources, shown: readonly DialogId[]): FlowMessage[] {
    const opts = this.rowsShown();
    return shown.flatMap((id) => {
      const first = this.ctx.store.dialog(id)?.messages[0];
      return first === undefined ? [] : syntheticRows(sources, id, first, opts);
    });
  }

  /** The kinds of rows besides SIP the ladder shows: the toggles', and the media rows whenever only they are asked for. */
  private rowsShown(): { kinds: Set<SyntheticKind>; faxIndicators: boolean } {
    if (!this.onlyMedia) return this.rowOpts;
    return { ...this.rowOpts, kinds: new Set([...this.rowOpts.kinds, ...MEDIA_KINDS]) };
  }

  private sources(): FlowSources {
    return flowSources(this.ctx);
  }

  /** The dialogs on the ladder: the ones opened, plus their X-Call-ID links in the extended flow. */
  private shownDialogs(): DialogId[] {
    return this.extended ? linkedDialogs(this.dialogs, (d) => this.ctx.store.relatedDialogs(d)) : [...this.dialogs];
  }

  /** "Call-ID: …" for one dialog, "3 dialogs" for a merged ladder. */
  private subject(): string {
    const ids = [...new Set(this.messages.map((m) => m.dialog))];
    if (ids.length > 1) return `${ids.length} dialogs`;
    const id = ids[0] ?? this.dialogs[0]!;
    return `Call-ID: ${this.ctx.store.dialog(id)?.callId ?? this.callIds[this.dialogs.indexOf(id)] ?? ''}`;
  }

  /** Rotation (-l N -R) or F5 dropped every dialog opened here: the ladder stays as it was, marked gone. */
  private gone(): boolean {
    return this.dialogs.every((id) => this.ctx.store.dialog(id) === undefined);
  }

  private title(): string {
    const gone = this.gone() ? '  gone from the store (rotation or F5); Esc goes back' : '';
    const count = (kind: SyntheticKind): number => this.messages.reduce((n, m) => n + (m.synthetic?.kind === kind ? 1 : 0), 0);
    const [rtp, dtmf, fax, logs] = [count('rtp'), count('dtmf'), count('fax'), count('log')];
    const rows = `${rtp ? `, ${rtp} RTP` : ''}${dtmf ? `, ${dtmf} DTMF` : ''}${fax ? `, ${fax} fax rows` : ''}${logs ? `, ${logs} logs` : ''}`;
    return `${this.extended ? 'Extended call flow' : 'Call flow'}  ${this.subject()}  (${this.sipMessages().length} messages${rows})${gone}`;
  }

  /**
   * The toggles' states at the right of the title bar, so a key's effect is visible even when the
   * ladder looks the same. `room`: cells the title leaves; the defaults (colour by request/response,
   * SDP off) are named only when they fit beside it.
   */
  private modes(layout: FlowLayout, width: number, room: number): string {
    const { sdp } = this.ctx.settings.flow;
    const colorBy = COLOR_BY[this.ctx.settings.colorMode];
    const defaults = `Colour: ${COLOR_MODE_NAMES[colorBy]}  SDP: ${sdp}`;
    const parts = colorBy === 'type' && sdp === 'off' && defaults.length > room ? [] : [defaults];
    if (layout.usedWidth > width) {
      const left = timeWidth(layout);
      const shown = layout.columns.filter((c) => c.x >= left + this.scrollX && c.x < this.scrollX + width);
      const first = layout.columns.indexOf(shown[0]!) + 1;
      parts.unshift(`Hosts ${first}-${first + Math.max(0, shown.length - 1)} of ${layout.columns.length} ${this.ctx.ascii ? '<>' : '←→'}`);
    }
    if (this.search !== '') parts.unshift(this.notFound ? `"${this.search}" not found` : `Search: ${this.search}`);
    if (this.notice !== '') parts.unshift(this.notice);
    if (this.onlyMedia) parts.push('Only media');
    else if (this.onlySdp) parts.push('Only SDP');
    if (this.compressed) parts.push('Compressed');
    if (this.ctx.settings.displayAlias) parts.push('Aliases');
    if (!this.ctx.settings.syntax) parts.push('Syntax off');
    if (!this.ctx.settings.flow.wrap) parts.push('No wrap');
    if (this.messagePane.focused) parts.unshift(this.ctx.ascii ? 'Pane keys' : 'Pane ↑↓←→');
    return parts.join('  ');
  }

  /** The rows that are SIP messages (not fax, RTP or DTMF rows). */
  private sipMessages(): FlowMessage[] {
    return this.messages.filter(isSipRow);
  }

  private paneVisible(width: number): boolean {
    return this.paneShown ?? width >= PANE_AUTO_COLS;
  }

  /** The layout scans every message of the flow, so it is kept until the width or a mode changes. */
  private layoutFor(width: number): FlowLayout {
    const { settings } = this.ctx;
    const key = `${width}/${this.compressed}/${this.timeColumn}/${this.ctx.ascii}/${settings.displayAlias}/${settings.aliases.length}`;
    let layout = this.layouts.get(key);
    if (layout === undefined) {
      const opts = { compressed: this.compressed, ascii: this.ctx.ascii, timeColumn: this.timeColumn, aliases: shownAliases(settings) };
      layout = layoutFlow(this.messages, width, opts);
      if (layout.hidden > 0) {
        const hosts = layout.columns.length + layout.hidden;
        layout = layoutFlow(this.messages, timeWidth(layout) + hosts * SCROLL_SPACING[this.compressed ? 'compressed' : 'normal'], opts);
      }
      // A few widths at a time (a resize, the pane sized): the oldest goes.
      if (this.layouts.size >= 4) this.layouts.delete(this.layouts.keys().next().value!);
      this.layouts.set(key, layout);
    }
    return layout;
  }

  private geometry(region: Region): Geometry {
    let paneWidth = 0;
    if (this.paneVisible(region.width)) {
      // Until the user sizes it, the pane takes what the ladder does not need.
      const auto = Math.max(PANE_MIN, Math.floor(region.width * 0.45));
      const needed = this.layoutFor(region.width - auto - 1).usedWidth;
      paneWidth = Math.max(0, Math.min(this.paneWidth ?? Math.max(auto, region.width - needed - 3), region.width - 30));
    }
    const ladderWidth = region.width - (paneWidth > 0 ? paneWidth + 1 : 0);
    const height = Math.max(0, region.height - TOP_ROWS);
    const ladder = { x: region.x, y: region.y + TOP_ROWS, width: ladderWidth, height };
    const pane = paneWidth > 0 ? { x: region.x + ladderWidth + 1, y: region.y + 1, width: paneWidth, height: region.height - 1 } : undefined;
    const layout = this.layoutFor(ladderWidth);
    return { ladder, pane, layout, visible: Math.floor(height / layout.rowsPerMessage) };
  }

  render(canvas: Canvas, region: Region): void {
    this.follow();
    const { ladder, pane, layout, visible } = this.geometry(region);
    canvas.fill({ ...region, height: 1 }, 'header');
    // Never scrolled past the end of the ladder (the terminal may have grown since).
    this.scrollX = Math.max(0, Math.min(this.scrollX, layout.usedWidth - ladder.width));
    const modes = this.modes(layout, ladder.width, region.width - 4 - cellWidth(this.title(), this.ctx.ascii));
    // The states keep their place; a long Call-ID gives way (it is in the raw view and the pane).
    const modesX = region.x + region.width - 1 - Math.min(modes.length, Math.max(0, region.width - 24));
    const titleWidth = Math.max(0, modesX - region.x - 2);
    canvas.text(region.x + 1, region.y, fitCells(this.title(), titleWidth, this.ctx.ascii), 'header', titleWidth);
    canvas.text(modesX, region.y, modes, 'header', region.x + region.width - modesX - 1);
    const view = (line: StyledLine): StyledLine => this.scrolled(line, layout, ladder.width);
    flowHeader(layout).forEach((line, k) => canvas.line(ladder.x, region.y + 1 + k, view(line), ladder.width));
    this.list.clamp(this.messages.length, visible);
    this.labelRows(this.list.top, visible);
    const rows = flowRows(layout, this.messages, this.list.top, visible, {
      selected: this.list.cursor,
      colorBy: COLOR_BY[this.ctx.settings.colorMode],
      marked: this.marks,
      sdpMode: this.ctx.settings.flow.sdp,
      findings: findingMarks(this.shownDialogs().map((id) => this.ctx.store.dialog(id))),
      utcOffsetMinutes: -new Date(Number(this.messages[0]?.ts ?? 0n) / 1e6).getTimezoneOffset(),
      view: layout.usedWidth > ladder.width ? { from: timeWidth(layout) + this.scrollX, to: this.scrollX + ladder.width } : undefined,
    });
    rows.forEach((line, k) => canvas.line(ladder.x, ladder.y + k, view(line), ladder.width));
    // A message containing the search text has its time highlighted.
    for (let k = this.list.top; k < Math.min(this.messages.length, this.list.top + visible); k++) {
      const first = (k - this.list.top) * layout.rowsPerMessage;
      const time = rows[first]?.[0];
      if (this.hits[k] === 1 && k !== this.list.cursor && time !== undefined) canvas.text(ladder.x, ladder.y + first, time.text, 'match', ladder.width);
    }
    if (pane !== undefined) this.renderPane(canvas, pane);
  }

  /** A ladder line as the screen shows it: the time column fixed, the lifelines scrolled by scrollX. */
  private scrolled(line: StyledLine, layout: FlowLayout, width: number): StyledLine {
    if (layout.usedWidth <= width) return line;
    const left = timeWidth(layout);
    return [...sliceLine(line, 0, left, this.ctx.ascii), ...sliceLine(line, left + this.scrollX, width - left, this.ctx.ascii)];
  }

  /** Gives the responses in [from, from + count) their status line ("180 Ringing"), read from the store. */
  private labelRows(from: number, count: number): void {
    const { store } = this.ctx;
    const end = Math.min(this.messages.length, from + count);
    for (let k = from; k < end; k++) {
      const m = this.messages[k]!;
      if (m.request || this.labelled.has(m.id)) continue;
      this.labelled.add(m.id);
      m.label = flowMessageFrom(store.message(m.id), store.messageView(m.id).start).label;
    }
  }

  private renderPane(canvas: Canvas, pane: Region): void {
    const vbar = this.ctx.ascii ? '|' : '│';
    for (let y = pane.y; y < pane.y + pane.height; y++) canvas.text(pane.x - 1, y, vbar, this.messagePane.focused ? 'title' : 'dim', 1);
    const m = this.messages[this.list.cursor];
    if (m === undefined) return;
    const { store } = this.ctx;
    const ascii = this.ctx.ascii;
    if (m.synthetic?.kind === 'log') {
      // The whole line (wrapped unless cf.wrap is off): the row shows only what fits across the ladder.
      const banner: StyledLine = [{ text: `${formatDate(m.ts)} ${formatTime(m.ts)} `, style: 'time' }, { text: 'HEP log (type 100)', style: 'dim' }];
      this.messagePane.show(rowKey(m));
      this.messagePane.render(canvas, pane, [banner, [], [{ text: m.label, style: 'body' }]], { wrap: this.ctx.settings.flow.wrap, ascii, search: this.search });
      return;
    }
    if (m.synthetic !== undefined) {
      const arrow = ascii ? '->' : '→';
      const [style, what, screen] = m.synthetic.kind === 'fax' ? ['sdp', 'T.38 fax', 'F opens the fax screen'] as const
        : ['media', m.synthetic.kind === 'rtp' ? 'RTP stream' : 'RFC 4733 key press', 'Enter or A opens the streams screen'] as const;
      const label = m.stream === undefined ? m.label : streamLabel(m.stream, pane.width, ascii);
      canvas.text(pane.x, pane.y, label, style, pane.width);
      canvas.text(pane.x, pane.y + 2, `${what}, ${m.src} ${arrow} ${m.dst}; ${screen}`, 'dim', pane.width);
      return;
    }
    const body = messageLines(store.messageView(m.id), { ascii });
    const lines = [messageBanner(store.message(m.id), ascii, shownAliases(this.ctx.settings)), ...(this.ctx.settings.syntax ? body : body.map(plainLine))];
    this.messagePane.show(rowKey(m));
    this.messagePane.render(canvas, pane, lines, { wrap: this.ctx.settings.flow.wrap, ascii, search: this.search });
  }

  /** Marks the messages whose bytes contain the search text (any case). */
  private findHits(): void {
    const { store } = this.ctx;
    this.hits = new Uint8Array(this.messages.length);
    if (this.search === '') return;
    const needle = this.search.toLowerCase();
    this.messages.forEach((m, k) => {
      const text = m.synthetic ? m.label : store.messageBytes(m.id).toString('utf8');
      if (text.toLowerCase().includes(needle)) this.hits[k] = 1;
    });
  }

  /** Moves the cursor to the next (1) or previous (-1) matching message, starting `skip` messages away; wraps. */
  private findMatch(step: 1 | -1, skip: 0 | 1): void {
    const n = this.messages.length;
    this.notFound = false;
    if (this.search === '') return;
    for (let k = skip; k < n + skip; k++) {
      const at = (((this.list.cursor + step * k) % n) + n) % n;
      if (this.hits[at] === 1) {
        this.list.cursor = at;
        return;
      }
    }
    this.notFound = true;
  }

  footerLabel(action: Action): string | undefined {
    return action === 'focusPane' && this.messagePane.focused ? 'Ladder' : undefined;
  }

  /** Keys while the message pane has them: it scrolls, Esc gives them back; → on wrapped text unwraps it first. */
  private paneAction(action: Action, pane: Region): boolean {
    if (action === 'back') {
      this.messagePane.focused = false;
      return true;
    }
    if (action === 'right') this.ctx.settings.flow.wrap = false;
    return this.messagePane.move(action, pane.height, pane.width);
  }

  handleAction(action: Action, region: Region): KeyResult {
    this.follow();
    this.notice = '';
    const { visible, pane } = this.geometry(region);
    if (this.messagePane.focused && pane !== undefined && this.paneAction(action, pane)) return 'handled';
    if (this.list.move(action, this.messages.length, visible)) return 'handled';
    switch (action) {
      case 'select': return this.mark();
      case 'open': {
        const m = this.messages[this.list.cursor];
        if (m?.synthetic?.kind === 'fax') this.ctx.push(new FaxScreen(this.ctx, m.dialog));
        else if (m?.synthetic?.kind === 'log') return 'handled';
        else if (m?.synthetic !== undefined) this.ctx.push(new StreamsScreen(this.ctx, [m.dialog]));
        else if (m !== undefined) {
          // Counted among the SIP messages: fax, RTP and DTMF rows are none.
          const sip = this.sipMessages();
          this.ctx.push(new RawScreen(this.ctx, [m.id], `Message ${sip.indexOf(m) + 1} of ${sip.length}`));
        }
        return 'handled';
      }
      case 'raw':
        this.ctx.push(new RawScreen(this.ctx, this.sipMessages().map((m) => m.id), `Raw  ${this.subject()}`));
        return 'handled';
      case 'fax': {
        const m = this.messages[this.list.cursor];
        this.ctx.push(new FaxScreen(this.ctx, m?.dialog ?? this.dialogs[0]!));
        return 'handled';
      }
      case 'streams':
        this.ctx.push(new StreamsScreen(this.ctx, this.shownDialogs()));
        return 'handled';
      case 'findings': {
        const pane: FindingsPane = new FindingsPane(
          () => flowFindings(this.shownDialogs().flatMap((id) => this.ctx.store.dialog(id) ?? [])),
          (message) => this.jumpTo(message),
          () => {
            this.findingCursor = pane.cursor;
            this.ctx.pop();
          },
          this.findingCursor,
        );
        this.ctx.push(pane);
        return 'handled';
      }
      case 'faxRows':
      case 'mediaRows':
      case 'faxIndicators': {
        const { kinds } = this.rowOpts;
        if (action === 'faxIndicators') {
          kinds.add('fax');
          this.rowOpts.faxIndicators = !this.rowOpts.faxIndicators;
        } else {
          const toggled = ROW_TOGGLES[action]!;
          const show = !toggled.every((k) => kinds.has(k));
          for (const k of toggled) if (show) kinds.add(k); else kinds.delete(k);
        }
        this.load();
        this.list.cursor = Math.min(this.list.cursor, Math.max(0, this.messages.length - 1));
        return 'handled';
      }
      case 'extended':
        this.extended = !this.extended;
        this.load();
        this.list.cursor = 0;
        return 'handled';
      case 'save': {
        const shown = this.shownDialogs();
        this.ctx.push(new SaveScreen(this.ctx, [{ label: `this flow (${shown.length})`, dialogs: () => shown }], new Date(), FLOW_SAVE_FORMATS, this.rowOpts));
        return 'handled';
      }
      case 'search':
        this.ctx.push(new PromptScreen(this.ctx, 'Search messages', this.search, (text) => {
          this.search = text;
          this.findHits();
          this.findMatch(1, 0);
        }));
        return 'handled';
      case 'nextMatch':
      case 'prevMatch':
        this.findMatch(action === 'nextMatch' ? 1 : -1, 1);
        return 'handled';
      case 'compressed':
        this.compressed = !this.compressed;
        return 'handled';
      case 'sdpMode': {
        const { flow } = this.ctx.settings;
        flow.sdp = SDP_MODES[(SDP_MODES.indexOf(flow.sdp) + 1) % SDP_MODES.length]!;
        return 'handled';
      }
      case 'left':
      case 'right': {
        const { layout, ladder } = this.geometry(region);
        if (layout.usedWidth <= ladder.width) return 'handled';
        this.scrollX = Math.max(0, this.scrollX + (action === 'right' ? layout.spacing : -layout.spacing));
        return 'handled';
      }
      case 'paneReset':
        this.paneWidth = undefined;
        this.paneShown = undefined;
        return 'handled';
      case 'clearAll':
      case 'keepMatching':
        // sngrep's F5 and F9 in the flow: leave it, the call list below clears (or keeps what matches).
        return 'propagate';
      case 'togglePane':
        this.paneShown = !this.paneVisible(region.width);
        this.messagePane.focused &&= this.paneShown;
        return 'handled';
      case 'focusPane':
        this.messagePane.focused = !this.messagePane.focused || pane === undefined;
        if (this.messagePane.focused) this.paneShown = true;
        return 'handled';
      case 'timeColumn':
        this.timeColumn = !this.timeColumn;
        return 'handled';
      case 'onlySdp':
        // As sngrep: a flow without any SDP keeps showing everything.
        if (!this.onlySdp && ![...this.loaded.values()].some((msgs) => msgs.some((m) => m.hasSdp))) {
          this.notice = 'No message carries SDP';
          return 'handled';
        }
        this.onlySdp = !this.onlySdp;
        this.load();
        return 'handled';
      case 'onlyMedia': {
        this.onlyMedia = !this.onlyMedia;
        this.load();
        // As a flow without SDP keeps all under D, one without media keeps its messages under M.
        if (this.onlyMedia && this.messages.length === 0) {
          this.onlyMedia = false;
          this.load();
          this.notice = 'No RTP, key press or fax rows in this flow';
        }
        return 'handled';
      }
      case 'clearSelection':
        this.marks = [];
        return 'handled';
      case 'wrap':
        this.ctx.settings.flow.wrap = !this.ctx.settings.flow.wrap;
        return 'handled';
      case 'paneWider':
      case 'paneNarrower': {
        const delta = action === 'paneWider' ? PANE_STEP : -PANE_STEP;
        const current = this.geometry(region).pane?.width ?? PANE_MIN;
        this.paneShown = true;
        this.paneWidth = Math.max(PANE_MIN, Math.min(current + delta, region.width - 30));
        return 'handled';
      }
      default:
        return 'unhandled';
    }
  }

  /** Puts the cursor on a message of the ladder (a finding's); false when the ladder does not show it. */
  private jumpTo(message: MessageId): boolean {
    this.follow();
    const at = this.messages.findIndex((m) => m.synthetic === undefined && m.id === message);
    if (at < 0) return false;
    this.list.cursor = at;
    return true;
  }

  private mark(): KeyResult {
    const i = this.list.cursor;
    // Fax, RTP and DTMF rows are not messages: nothing to compare.
    if (this.messages[i] === undefined || this.messages[i]!.synthetic) return 'handled';
    this.marks = this.marks.includes(i) ? this.marks.filter((k) => k !== i) : [...this.marks, i];
    if (this.marks.length === 2) {
      const [a, b] = [...this.marks].sort((x, y) => x - y).map((k) => this.messages[k]!.id);
      this.marks = [];
      this.ctx.push(new CompareScreen(this.ctx, a!, b!));
    }
    return 'handled';
  }

  handleMouse(mouse: MouseInput, region: Region): KeyResult {
    const { ladder, layout, visible, pane } = this.geometry(region);
    if (pane !== undefined && mouse.x >= pane.x) {
      // The pane takes the wheel under the pointer, and the keys when clicked.
      if (mouse.kind === 'click') this.messagePane.focused = true;
      else for (let k = 0; k < 3; k++) this.messagePane.move(mouse.kind === 'wheelUp' ? 'up' : 'down', pane.height, pane.width);
      return 'handled';
    }
    this.messagePane.focused = false;
    if (mouse.kind !== 'click') {
      this.list.scroll(mouse.kind === 'wheelUp' ? -1 : 1, this.messages.length, visible);
      return 'handled';
    }
    if (mouse.x >= ladder.x + ladder.width) return 'unhandled';
    return this.list.click(Math.floor((mouse.y - ladder.y) / layout.rowsPerMessage), this.messages.length) ? 'handled' : 'unhandled';
  }
}
