import type { DialogId } from '../../model/ids.js';
import type { RtpStreamInfo, StreamTimeline } from '../../model/media.js';
import type { Region } from '../canvas.js';
import type { KeyResult, Screen, UiContext } from '../context.js';
import type { Action } from '../keymap.js';
import type { StyledLine } from '../../layout/styled.js';
import { STREAM_SORTS, streamLines, type StreamSort } from '../present/streams.js';
import { TextScreen } from './text-screen.js';

/** The RTP streams of the dialogs on the call flow: a table sortable by loss, jitter and MOS, then each stream's details. */
export class StreamsScreen extends TextScreen implements Screen {
  readonly scope = 'streams';
  private sort: StreamSort = 'start';
  private reverse = false;
  private lines: StyledLine[] = [];
  /** Width, order and packet counts the lines were laid out for: a live capture adds packets. */
  private laidOut = '';

  constructor(private readonly ctx: UiContext, private readonly dialogs: readonly DialogId[]) {
    super();
  }

  private streams(): RtpStreamInfo[] {
    return this.dialogs.flatMap((id) => this.ctx.store.streams?.(id) ?? []);
  }

  protected title(): string {
    const n = this.streams().length;
    const one = this.dialogs.length === 1 ? this.ctx.store.dialog(this.dialogs[0]!)?.callId ?? '' : `${this.dialogs.length} dialogs`;
    // The count and order first: a long Call-ID is what the width cuts.
    return `RTP streams  (${n} stream${n === 1 ? '' : 's'}, sorted by ${this.sort}${this.reverse ? ', reversed' : ''})  ${one}`;
  }

  protected layout(width: number): StyledLine[] {
    const streams = this.streams();
    const key = `${width}/${this.sort}/${this.reverse}/${streams.map((s) => s.packets).join(',')}`;
    if (key === this.laidOut) return this.lines;
    const timelines = new Map<number, StreamTimeline>();
    for (const s of streams) {
      const t = this.ctx.store.streamTimeline?.(s.dialog, s.id);
      if (t) timelines.set(s.id, t);
    }
    // Times in the zone of the capture's own day, as the call flow shows them.
    const offset = streams.length ? -new Date(Number(streams[0]!.start) / 1e6).getTimezoneOffset() : 0;
    this.lines = streamLines(streams, timelines, this.sort, this.reverse, width, this.ctx.ascii, offset);
    this.laidOut = key;
    return this.lines;
  }

  override handleAction(action: Action, region: Region): KeyResult {
    if (action === 'sortNext' || action === 'sortPrev') {
      const step = action === 'sortNext' ? 1 : STREAM_SORTS.length - 1;
      this.sort = STREAM_SORTS[(STREAM_SORTS.indexOf(this.sort) + step) % STREAM_SORTS.length]!;
      return 'handled';
    }
    if (action === 'sortReverse') {
      this.reverse = !this.reverse;
      return 'handled';
    }
    return super.handleAction(action, region);
  }
}
