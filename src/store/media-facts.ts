/** What the list, its sort and the filters read of a dialog's media: streams and the fax verdict, and their worst figures. */
import type { ColumnContext } from '../model/columns.js';
import type { DialogId } from '../model/ids.js';
import type { RtpStreamInfo } from '../model/media.js';

export type StreamFigure = 'mos' | 'loss' | 'jitter';

/** The worst figure over a dialog's streams: lowest MOS, highest loss %, highest max jitter; undefined without one. */
export function worstStream(field: StreamFigure, streams: readonly RtpStreamInfo[]): number | undefined {
  let w: number | undefined;
  for (const st of streams) {
    const v = field === 'mos' ? st.mos : field === 'loss' ? st.lossPct : st.maxJitterMs;
    if (v === null) continue;
    if (w === undefined || (field === 'mos' ? v < w : v > w)) w = v;
  }
  return w;
}

/** A dialog's streams, read only when it has some (most dialogs of a big capture have none, and asking is cheap). */
export function streamsOf(ctx: ColumnContext, id: DialogId): readonly RtpStreamInfo[] {
  return (ctx.streamCount?.(id) ?? 0) > 0 ? ctx.streams?.(id) ?? [] : [];
}
