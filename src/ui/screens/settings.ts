import { saveSettings } from '../../config/rc.js';
import { ALIAS_LIST, COLOR_MODES, COLUMN_IDS, settingKey, type SettingKey } from '../../config/settings.js';
import { SDP_MODES } from '../../model/flow.js';
import type { Canvas, Region } from '../canvas.js';
import type { KeyResult, Screen, UiContext } from '../context.js';
import type { Action } from '../keymap.js';
import { VirtualList } from '../widgets/virtual-list.js';
import { PromptScreen } from './prompt.js';

interface SettingRow {
  key: SettingKey;
  label: string;
  /** Enter steps through these; without them Enter opens a text prompt. */
  choices?: readonly string[];
  /** Shown after the value: when a change takes effect. */
  note?: string;
}

const ON_OFF = ['on', 'off'] as const;

/** The common settings (the rc file has them all; see -D). */
function rows(): SettingRow[] {
  const row = (name: string, label: string, extra: Partial<SettingRow> = {}): SettingRow => ({ key: settingKey(name)!, label, ...extra });
  return [
    row('color', 'Colours', { choices: ON_OFF }),
    row('ascii', 'ASCII line drawing', { choices: ON_OFF }),
    row('cl.sortfield', 'Sort by', { choices: COLUMN_IDS }),
    row('cl.sortorder', 'Sort order', { choices: ['asc', 'desc'] }),
    row('cl.columns', 'Columns'),
    row('cf.sdpinfo', 'SDP on flow arrows', { choices: SDP_MODES }),
    row('colormode', 'Flow colour mode', { choices: COLOR_MODES }),
    row('cf.media', 'RTP rows in the flow', { choices: ON_OFF, note: 'next flow opened' }),
    row('cf.wrap', 'Wrap the message pane', { choices: ON_OFF }),
    row('capture.limit', 'Dialog limit', { note: 'next start' }),
    row('capture.rotate', 'Rotate at the limit', { choices: ON_OFF, note: 'next start' }),
    row('savepath', 'Save directory'),
    row('syntax', 'Syntax colours', { choices: ON_OFF }),
    row('cl.exitprompt', 'Ask before quitting', { choices: ON_OFF }),
    row('displayalias', 'Show aliases (a)', { choices: ON_OFF }),
    { key: ALIAS_LIST, label: 'Aliases' },
  ];
}

const LABEL_WIDTH = 22;

/** Settings (F8): Enter changes the setting under the cursor at once, s writes them all to the rc file. */
export class SettingsScreen implements Screen {
  readonly scope = 'settings';
  private readonly list = new VirtualList();
  private readonly rows = rows();
  private message = '';

  constructor(private readonly ctx: UiContext) {}

  render(canvas: Canvas, region: Region): void {
    canvas.fill({ ...region, height: 1 }, 'header');
    canvas.text(region.x + 1, region.y, 'Settings  (Enter changes, s saves)', 'header', region.width - 2);
    const body = { x: region.x, y: region.y + 2, width: region.width, height: Math.max(0, region.height - 5) };
    this.list.render(body, this.rows.length, (i, y, isCursor) => {
      const r = this.rows[i]!;
      const override = isCursor ? canvas.theme.cursor : undefined;
      if (isCursor) canvas.fill({ x: region.x, y, width: region.width, height: 1 }, 'cursor');
      canvas.text(region.x + 1, y, r.label, 'title', LABEL_WIDTH, override);
      const value = r.key.get(this.ctx.settings) + (r.note === undefined ? '' : `   (${r.note})`);
      canvas.text(region.x + 1 + LABEL_WIDTH, y, value, 'default', region.width - LABEL_WIDTH - 2, override);
    });
    const footY = region.y + region.height - 2;
    canvas.text(region.x + 1, footY - 1, `File: ${this.ctx.rcFile}`, 'dim', region.width - 2);
    if (this.message !== '') canvas.text(region.x + 1, footY, this.message, 'match', region.width - 2);
  }

  handleAction(action: Action, region: Region): KeyResult {
    if (this.list.move(action, this.rows.length, region.height - 5)) return 'handled';
    switch (action) {
      case 'edit':
        this.edit(this.rows[this.list.cursor]!, 1);
        return 'handled';
      case 'left':
        // sngrep's ← steps back through a setting's choices; a text has none.
        if (this.rows[this.list.cursor]!.choices !== undefined) this.edit(this.rows[this.list.cursor]!, -1);
        return 'handled';
      case 'save':
        this.save();
        return 'handled';
      default:
        return 'unhandled';
    }
  }

  /** The next (1) or previous (-1) choice, or a prompt for a text. */
  private edit(r: SettingRow, step: 1 | -1): void {
    const { settings } = this.ctx;
    this.message = '';
    if (r.choices !== undefined) {
      const now = r.key.get(settings);
      const n = r.choices.length;
      r.key.set(settings, r.choices[(r.choices.indexOf(now) + step + n) % n]!);
      this.ctx.settingsChanged();
      return;
    }
    this.ctx.push(new PromptScreen(this.ctx, r.label, r.key.get(settings), (text) => {
      const problem = r.key.set(settings, text.trim());
      this.message = problem === undefined ? '' : `${r.key.key}: ${problem}`;
      if (problem === undefined) this.ctx.settingsChanged();
      return problem === undefined;
    }, (text) => {
      // Tried on a copy, so the screen below does not change until Enter.
      const problem = r.key.set(structuredClone(settings), text.trim());
      return { status: problem ?? r.key.description };
    }));
  }

  private save(): void {
    try {
      saveSettings(this.ctx.rcFile, this.ctx.settings, this.ctx.bindings);
      this.message = `Saved to ${this.ctx.rcFile}`;
    } catch (e) {
      this.message = e instanceof Error ? e.message : String(e);
    }
  }
}
