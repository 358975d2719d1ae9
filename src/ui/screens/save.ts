import type { DialogId } from '../../model/ids.js';
import { drawBox } from '../widgets/box.js';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { InputError } from '../../model/errors.js';
import { columnById } from '../../layout/call-columns.js';
import { Anonymizer, anonymizeDialog } from '../../sink/anonymize.js';
import { callListCsv } from '../../sink/csv.js';
import { flowDoc } from '../../sink/flow-doc.js';
import { ALL_ROWS, type SyntheticOptions } from '../../sink/flow-synthetic.js';
import { flowSources } from '../present/flow.js';
import { writeFlowFile } from '../../sink/flow-formats.js';
import { writeTextFile } from '../../sink/text-file.js';
import { saveDialogs, type SaveFormat } from '../../sink/save-dialogs.js';
import type { Canvas, Region } from '../canvas.js';
import type { KeyResult, Screen, UiContext } from '../context.js';
import { CLEAR_TEXT_KEYS, resolveKey, type Action } from '../keymap.js';
import type { Style } from '../../layout/styled.js';
import { ConfirmScreen } from './confirm.js';

/** One answer to "which dialogs": a label and the dialog ids it stands for when saving. */
export interface SaveChoice {
  label: string;
  dialogs(): DialogId[];
}

type Field = 'path' | 'dialogs' | 'format';

const FIELDS: Field[] = ['path', 'dialogs', 'format'];
/**
 * What the dialog can write: the capture formats everywhere, the flow formats in a call flow (the
 * ASCII ladder as `.ladder.txt`, since `txt` is sngrep's text of the dialogs), CSV in the list.
 */
export type SaveKind = SaveFormat | 'ladder.txt' | 'svg' | 'html' | 'md' | 'csv';
const CAPTURE_FORMATS: readonly SaveKind[] = ['pcap', 'pcapng', 'txt'];
export const FLOW_SAVE_FORMATS: readonly SaveKind[] = [...CAPTURE_FORMATS, 'ladder.txt', 'svg', 'html', 'md'];
export const LIST_SAVE_FORMATS: readonly SaveKind[] = [...CAPTURE_FORMATS, 'csv'];
type FlowKind = 'ladder.txt' | 'svg' | 'html' | 'md';
const FLOW_KINDS: ReadonlySet<SaveKind> = new Set<FlowKind>(['ladder.txt', 'svg', 'html', 'md']);

function isFlowKind(kind: SaveKind): kind is FlowKind {
  return FLOW_KINDS.has(kind);
}
const EXTENSION = /\.(pcapng|pcap|ladder\.txt|txt|svg|html|md|csv)$/i;
const WIDTH = 78;
const HEIGHT = 12;
/** Rows the result message may wrap over: a long path plus a note on what the file holds. */
const MESSAGE_ROWS = 3;
const LABEL = 10;

function two(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

/** sipscope-YYYYmmdd-HHMMSS.pcap in `dir` (the savepath setting, the current directory by default). */
export function defaultSavePath(now: Date, dir: string): string {
  const stamp = `${now.getFullYear()}${two(now.getMonth() + 1)}${two(now.getDate())}-${two(now.getHours())}${two(now.getMinutes())}${two(now.getSeconds())}`;
  return join(dir, `sipscope-${stamp}.pcap`);
}

/** The path with its extension changed to the format's (when it has one of ours). */
export function withFormat(path: string, format: SaveKind): string {
  return EXTENSION.test(path) ? path.replace(EXTENSION, `.${format}`) : path;
}

/**
 * sngrep's save dialog, over the screen below: a path (starting in the savepath setting's directory), which dialogs (selected, displayed, all,
 * or the flow's), and a format. Enter saves, asking first when the file exists; errors and the
 * result are shown inside the dialog, which stays open until Enter or Esc after a save.
 */
export class SaveScreen implements Screen {
  readonly scope = 'save';
  readonly overlay = true;
  private field: Field = 'path';
  private path: string;
  private choice = 0;
  private format = 0;
  private message: { text: string; style: Style } | undefined;
  private saved = false;

  /** `rows`: the fax, RTP and DTMF rows the flow shows, so a saved ladder draws what is on screen. */
  constructor(
    private readonly ctx: UiContext, private readonly choices: SaveChoice[], now = new Date(),
    private readonly formats: readonly SaveKind[] = CAPTURE_FORMATS, private readonly rows: SyntheticOptions = ALL_ROWS,
  ) {
    this.path = defaultSavePath(now, resolve(ctx.settings.savePath || '.'));
  }

  render(canvas: Canvas, region: Region): void {
    const width = Math.min(region.width, WIDTH);
    const height = Math.min(region.height, HEIGHT);
    const box = { x: region.x + Math.floor((region.width - width) / 2), y: region.y + Math.floor((region.height - height) / 2), width, height };
    drawBox(canvas, box, 'Save dialogs');
    const inner = width - 4 - LABEL;

    this.label(canvas, box, 2, 'path', 'Path:');
    const shown = this.path + (this.field === 'path' ? '_' : '');
    // Keep the end of a long path visible, where typing happens.
    canvas.text(box.x + 2 + LABEL, box.y + 2, shown.slice(Math.max(0, shown.length - inner)), this.field === 'path' ? 'cursor' : 'default', inner);

    this.label(canvas, box, 4, 'dialogs', 'Dialogs:');
    this.options(canvas, box, 4, 'dialogs', this.choices.map((c) => c.label), this.choice);
    this.label(canvas, box, 5, 'format', 'Format:');
    this.options(canvas, box, 5, 'format', this.formats, this.format);

    if (this.message) {
      // Wrapped at spaces, so a long path in the result still shows whole on 80 columns.
      const { style } = this.message;
      let text = this.message.text;
      const room = width - 4;
      for (let row = 0; row < MESSAGE_ROWS && text !== ''; row++) {
        const space = text.lastIndexOf(' ', room);
        const cut = text.length <= room ? text.length : space > room / 2 ? space + 1 : room;
        canvas.text(box.x + 2, box.y + 7 + row, text.slice(0, cut), style, room);
        text = text.slice(cut);
      }
    }
    // The footer names the keys while editing; after a save only closing is left.
    if (this.saved) canvas.text(box.x + 2, box.y + height - 2, 'Enter or Esc closes', 'dim', width - 4);
  }

  private label(canvas: Canvas, box: Region, row: number, field: Field, text: string): void {
    canvas.text(box.x + 2, box.y + row, text, this.field === field ? 'selected' : 'dim', LABEL);
  }

  /** The choices of a field side by side; those that do not fit go on to the row below. */
  private options(canvas: Canvas, box: Region, row: number, field: Field, labels: readonly string[], chosen: number): void {
    const start = box.x + 2 + LABEL;
    const end = box.x + box.width - 2;
    let x = start;
    let y = box.y + row;
    labels.forEach((label, i) => {
      const on = i === chosen;
      const style: Style = on && this.field === field ? 'cursor' : on ? 'title' : 'default';
      const text = `${on ? '(*)' : '( )'} ${label}`;
      if (x > start && x + text.length > end) [x, y] = [start, y + 1];
      x += canvas.text(x, y, text, style, end - x) + 2;
    });
  }

  handleText(ch: string | undefined, key: string): KeyResult {
    const action = resolveKey(this.ctx.keymap, this.scope, key);
    if (this.saved) {
      if (action === 'yes' || action === 'no') this.ctx.pop();
      return 'handled';
    }
    if (action === 'yes') this.confirmAndSave();
    else if (action === 'no') this.ctx.pop();
    else if (action === 'nextField' || action === 'prevField') this.moveField(action === 'nextField' ? 1 : -1);
    else if (this.field === 'path') this.edit(ch, key);
    else if (action === 'left' || action === 'right') this.change(action === 'right' ? 1 : -1);
    return 'handled';
  }

  handleAction(_action: Action): KeyResult {
    return 'handled';
  }

  private moveField(step: number): void {
    this.field = FIELDS[(FIELDS.indexOf(this.field) + step + FIELDS.length) % FIELDS.length]!;
  }

  private edit(ch: string | undefined, key: string): void {
    if (key === 'backspace') this.path = this.path.slice(0, -1);
    else if (CLEAR_TEXT_KEYS.has(key)) this.path = '';
    else if (ch !== undefined && ch.length === 1 && ch >= ' ' && ch !== '\x7f') this.path += ch;
    // A typed extension picks the format, so "x.txt" is never written as pcap.
    const typed = this.formats.indexOf(EXTENSION.exec(this.path)?.[1]?.toLowerCase() as SaveKind);
    if (typed >= 0) this.format = typed;
  }

  private change(step: number): void {
    if (this.field === 'dialogs') {
      this.choice = (this.choice + step + this.choices.length) % this.choices.length;
    } else {
      this.format = (this.format + step + this.formats.length) % this.formats.length;
      this.path = withFormat(this.path, this.formats[this.format]!);
    }
  }

  private confirmAndSave(): void {
    if (this.path.trim() === '') {
      this.message = { text: 'Enter a file name', style: 'retrans' };
      return;
    }
    if (existsSync(resolve(this.path))) {
      this.ctx.push(new ConfirmScreen(this.ctx, `${this.path} exists. Overwrite it?`, () => this.save()));
    } else {
      this.save();
    }
  }

  /** Writes the file; returns the result line. */
  private write(dialogs: DialogId[], kind: SaveKind): string {
    const { store } = this.ctx;
    const path = resolve(this.path);
    const anonymize = this.ctx.anonymize ? new Anonymizer() : undefined;
    if (kind === 'csv') {
      const columns = this.ctx.settings.columns.map((c) => columnById(c.id));
      const rows = dialogs.flatMap((id) => store.dialog(id) ?? []).map((d) => (anonymize ? anonymizeDialog(d, anonymize) : d));
      writeTextFile(path, (out) => callListCsv(columns, store, rows.length, (from, n) => rows.slice(from, from + n), out));
      return `Saved ${rows.length} dialog${rows.length === 1 ? '' : 's'} as CSV to ${this.path}`;
    }
    if (isFlowKind(kind)) {
      const doc = flowDoc(store, dialogs, { sources: flowSources(this.ctx), rows: this.rows, sdpMode: this.ctx.settings.flow.sdp, anon: anonymize });
      writeFlowFile(path, doc);
      return `Saved the flow (${doc.messages.length} messages) to ${this.path}`;
    }
    const r = saveDialogs(store, dialogs, path, kind, { media: this.ctx.media, anonymize });
    const n = r.dialogs;
    const saved = `Saved ${n} dialog${n === 1 ? '' : 's'} (${r.messages} messages, ${r.packets} packets) to ${this.path}`;
    return r.rawIp === undefined ? saved : `${saved} as ${r.rawIp}`;
  }

  private save(): void {
    const dialogs = this.choices[this.choice]!.dialogs();
    if (dialogs.length === 0) {
      this.message = { text: 'No dialogs to save', style: 'retrans' };
      return;
    }
    try {
      this.message = { text: this.write(dialogs, this.formats[this.format]!), style: 'stateInCall' };
      this.saved = true;
    } catch (err) {
      if (!(err instanceof InputError)) throw err;
      this.message = { text: err.message, style: 'retrans' };
    }
    this.ctx.requestRender();
  }
}
