import type { DialogId } from '../../model/ids.js';
import { summarizeFax } from '../../media/fax-summary.js';
import type { Screen, UiContext } from '../context.js';
import { faxLines, negotiationLines } from '../present/fax.js';
import type { StyledLine } from '../../layout/styled.js';
import { wrapLine } from '../../layout/text-width.js';
import { TextScreen } from './text-screen.js';

/**
 * The fax of a dialog: how the switch to T.38 went, then per T.38 session the summary (identities,
 * rate, training, pages, verdict) and the T.30 table.
 */
export class FaxScreen extends TextScreen implements Screen {
  readonly scope = 'fax';
  private lines: StyledLine[] = [];
  /** Width and packet counts the lines were laid out for: a live capture adds packets. */
  private laidOut = '';

  constructor(private readonly ctx: UiContext, private readonly dialog: DialogId) {
    super();
  }

  protected title(): string {
    return `Fax  Call-ID: ${this.ctx.store.dialog(this.dialog)?.callId ?? ''}`;
  }

  protected layout(width: number): StyledLine[] {
    const sessions = this.ctx.fax?.sessions(this.dialog) ?? [];
    const key = `${width}/${sessions.map((s) => s.packets).join(',')}`;
    if (key === this.laidOut) return this.lines;
    const { ascii } = this.ctx;
    // Times in the zone of the capture's own day, as the call flow shows them.
    const zone = (ts: bigint): number => -new Date(Number(ts) / 1e6).getTimezoneOffset();
    this.lines = [];
    const negotiation = this.ctx.fax?.negotiation(this.dialog);
    if (negotiation) {
      const at = negotiation.acceptedAt ?? sessions[0]?.first;
      for (const line of negotiationLines(negotiation, sessions.length > 0, at === undefined ? 0 : zone(at))) this.lines.push(...wrapLine(line, width, ascii));
      this.lines.push([]);
    }
    for (const s of sessions) {
      const view = { endpoints: s.endpoints, summary: summarizeFax(s.events()), packets: s.packets, recovered: s.recovered, lost: s.lost };
      for (const line of faxLines(view, width, ascii, zone(s.first))) this.lines.push(...wrapLine(line, width, ascii));
      this.lines.push([]);
    }
    // The verdict and the refusal are shown above; what else the rules say follows.
    for (const f of this.ctx.fax?.findings(this.dialog) ?? []) {
      if (f.code !== 'fax-failed' && !(negotiation && f.code === 't38-rejected')) this.lines.push([{ text: `${f.code}: ${f.text}`, style: 'response4xx' }]);
    }
    if (this.lines.length === 0) this.lines.push([{ text: 'No T.38 session in this dialog.', style: 'dim' }]);
    this.laidOut = key;
    return this.lines;
  }
}
