import type { FaxSession } from '../media/fax-session.js';
import type { DialogId, MessageId } from '../model/ids.js';
import type { DtmfEvent, RtpStreamInfo } from '../model/media.js';
import type { FlowMessage, SyntheticKind } from '../layout/flow-message.js';
import { streamFlowMessages } from '../layout/flow-media.js';
import { faxFlowMessages } from './flow-fax.js';
import { logFlowMessages } from '../layout/flow-log.js';
import type { HepLog } from '../store/hep-logs.js';

/** Where the ladder's rows that are not SIP messages come from (any may be missing: no media plane, no fax). */
export interface FlowSources {
  fax?: { sessions(id: DialogId): readonly FaxSession[] } | undefined;
  streams?(id: DialogId): RtpStreamInfo[];
  infoDtmf?(id: DialogId): readonly DtmfEvent[];
  /** Log lines HEP agents sent for the dialog (type 100). */
  logs?(id: DialogId): readonly HepLog[];
}

/** Which kinds of rows the ladder shows besides the SIP messages. */
export interface SyntheticOptions {
  kinds: ReadonlySet<SyntheticKind>;
  /** Fax rows include the T.38 indicators (CED, V.21 preamble, training). */
  faxIndicators: boolean;
}

/** The terminal's and the exports' default: every kind, no indicators. */
export const ALL_ROWS: SyntheticOptions = { kinds: new Set<SyntheticKind>(['fax', 'log', 'rtp', 'dtmf']), faxIndicators: false };
const WITHOUT_MEDIA: SyntheticOptions = { kinds: new Set<SyntheticKind>(['fax', 'log']), faxIndicators: false };

/** The rows the cf.media setting asks for: fax and HEP logs always, RTP and DTMF when on. */
export function rowsFor(media: boolean): SyntheticOptions {
  return media ? ALL_ROWS : WITHOUT_MEDIA;
}

/** One kind of row: what builds it and how much it has grown (a live capture adds packets; the ladder rebuilds then). */
interface RowSource {
  kinds: readonly SyntheticKind[];
  rows(src: FlowSources, id: DialogId, anchor: MessageId, opts: SyntheticOptions): FlowMessage[];
  size(src: FlowSources, id: DialogId): number;
}

const SOURCES: readonly RowSource[] = [
  {
    kinds: ['fax'],
    rows: (src, id, anchor, opts) => faxFlowMessages(src.fax?.sessions(id) ?? [], id, anchor, { indicators: opts.faxIndicators }),
    size: (src, id) => (src.fax?.sessions(id) ?? []).reduce((n, s) => n + s.packets, 0),
  },
  {
    kinds: ['rtp', 'dtmf'],
    rows: (src, id, anchor, opts) => streamFlowMessages(src.streams?.(id) ?? [], id, anchor)
      .filter((m) => opts.kinds.has(m.synthetic!.kind)),
    size: (src, id) => (src.streams?.(id) ?? []).reduce((n, s) => n + s.packets + s.dtmf.length, 0),
  },
  {
    kinds: ['log'],
    rows: (src, id, anchor) => logFlowMessages(src.logs?.(id) ?? [], id, anchor),
    size: (src, id) => src.logs?.(id).length ?? 0,
  },
];

function wanted(source: RowSource, opts: SyntheticOptions): boolean {
  return source.kinds.some((k) => opts.kinds.has(k));
}

/** The rows of dialog `id` that are not SIP messages; `anchor` is its first message. */
export function syntheticRows(src: FlowSources, id: DialogId, anchor: MessageId, opts: SyntheticOptions): FlowMessage[] {
  return SOURCES.filter((s) => wanted(s, opts)).flatMap((s) => s.rows(src, id, anchor, opts));
}

/** How far those rows have grown: when it changes, they are built again. */
export function syntheticSize(src: FlowSources, ids: readonly DialogId[], opts: SyntheticOptions): number {
  let n = 0;
  for (const s of SOURCES) if (wanted(s, opts)) for (const id of ids) n += s.size(src, id);
  return n;
}
