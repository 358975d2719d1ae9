import type { DialogId } from '../model/ids.js';
import type { SdpMode } from '../model/flow.js';
import type { MessageView } from '../model/message-view.js';
import type { StoreView } from '../model/store-view.js';
import { findingMarks, type FindingMarks } from '../layout/flow-findings.js';
import { labelInfoDtmf } from '../layout/flow-media.js';
import { flowMessageFrom, mergeFlows, type FlowMessage } from '../layout/flow-message.js';
import { flowSdp, newSdpState, sdpMediaOf } from '../layout/flow-sdp.js';
import type { Anonymizer } from './anonymize.js';
import { ALL_ROWS, syntheticRows, type FlowSources, type SyntheticOptions } from './flow-synthetic.js';
import { printable } from './unsafe-text.js';

/** What every flow export draws: the merged ladder of some dialogs, as the TUI shows it. */
export interface FlowDoc {
  /** SIP messages and the rows besides them (fax, RTP, DTMF), in time order. */
  messages: readonly FlowMessage[];
  /** SDP/media summary of each message ("audio 10.0.0.1:4000 PCMU/8000"), '' for none. */
  notes: readonly string[];
  /** What arrows carrying SDP say (the TUI's cf.sdpinfo). */
  sdpMode: SdpMode;
  /** Messages diagnosis findings point at (the texts anonymised with the rest). */
  findings: FindingMarks;
  /** Zone of the times shown, minutes east of UTC (the zone of the first message, as the TUI does). */
  utcOffsetMinutes: number;
  /** The text of message i (a HEP log row: its line), control characters replaced (read on demand: only the HTML export needs it). */
  text(i: number): string;
}

export interface FlowDocOptions {
  /** Where fax, RTP and DTMF rows come from; none without. */
  sources?: FlowSources;
  rows?: SyntheticOptions;
  sdpMode?: SdpMode;
  anon?: Anonymizer | undefined;
}

/** "audio 10.0.0.1:4000 PCMU/8000 sendrecv" per SDP m= line, joined by "; ". */
export function sdpNote(view: MessageView): string {
  return view.parts.flatMap((p) => p.sdp ?? [])
    .map((s) => [s.media, `${s.address}:${s.port}`, s.codecs.slice(0, 3).join(','), s.direction].filter((x) => x !== '').join(' '))
    .join('; ');
}

/** The messages of one dialog as the TUI loads them: response reasons, SDP with its hold state, INFO keys. */
function dialogRows(store: StoreView, id: DialogId, sources: FlowSources): FlowMessage[] {
  const d = store.dialog(id);
  if (d === undefined) return [];
  const state = newSdpState();
  const rows = d.messages.map((mid) => {
    const view = store.messageView(mid);
    const m = flowMessageFrom(store.message(mid), view.start);
    if (m.hasSdp) m.sdp = flowSdp(sdpMediaOf(view), state);
    return m;
  });
  labelInfoDtmf(rows, sources.infoDtmf?.(id) ?? []);
  const first = d.messages[0];
  return first === undefined ? rows : [...rows, ...syntheticRows(sources, id, first, ALL_ROWS)];
}

/** The ladder of `ids` (dialogs gone meanwhile are left out) merged in time order, with the rows the TUI shows beside the messages. */
export function flowDoc(store: StoreView, ids: readonly DialogId[], opts: FlowDocOptions = {}): FlowDoc {
  const { anon, sources = {} } = opts;
  const rowKinds = opts.rows ?? ALL_ROWS;
  const merged = mergeFlows(ids.map((id) => dialogRows(store, id, sources)))
    .filter((m) => m.synthetic === undefined || rowKinds.kinds.has(m.synthetic.kind));
  const messages = anon === undefined ? merged : merged.map((m) => anonymised(m, anon));
  const notes = merged.map((m) => {
    const note = m.synthetic || !m.hasSdp ? '' : sdpNote(store.messageView(m.id));
    return printable(anon === undefined ? note : anon.text(note), false);
  });
  const marks = findingMarks(ids.map((id) => store.dialog(id)));
  return {
    messages,
    notes,
    sdpMode: opts.sdpMode ?? 'off',
    findings: anon === undefined ? marks : new Map([...marks].map(([id, list]) => [id, list.map((f) => ({ ...f, text: anon.text(f.text) }))])),
    utcOffsetMinutes: -new Date(Number(messages[0]?.ts ?? 0n) / 1e6).getTimezoneOffset(),
    text: (i) => {
      const m = messages[i];
      if (m === undefined) return '';
      // A HEP log row's text is its line (anonymised with the rest); other rows built beside the messages have none.
      if (m.synthetic) return m.synthetic.kind === 'log' ? printable(m.label, true) : '';
      const bytes = store.messageBytes(m.id);
      return printable((anon === undefined ? bytes : anon.message(bytes)).toString('utf8'), true);
    },
  };
}

/** A row with its addresses and texts replaced by the anonymiser's stand-ins (SDP addresses too). */
function anonymised(m: FlowMessage, anon: Anonymizer): FlowMessage {
  const sdp = m.sdp && { ...m.sdp, media: m.sdp.media.map((x) => ({ ...x, address: anon.ip(x.address) })) };
  return { ...m, src: anon.address(m.src), dst: anon.address(m.dst), label: anon.text(m.label), ...(sdp && { sdp }) };
}
