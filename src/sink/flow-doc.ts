import type { DialogId } from '../model/ids.js';
import type { MessageView } from '../model/message-view.js';
import type { StoreView } from '../model/store-view.js';
import { flowMessageFrom, mergeFlows, type FlowMessage } from '../layout/flow-message.js';
import type { Anonymizer } from './anonymize.js';
import { printable } from './unsafe-text.js';

/** What every flow export draws: the merged ladder of some dialogs, as the TUI shows it. */
export interface FlowDoc {
  messages: readonly FlowMessage[];
  /** SDP/media summary of each message ("audio 10.0.0.1:4000 PCMU/8000"), '' for none. */
  notes: readonly string[];
  /** Zone of the times shown, minutes east of UTC (the zone of the first message, as the TUI does). */
  utcOffsetMinutes: number;
  /** The text of message i, control characters replaced (read on demand: only the HTML export needs it). */
  text(i: number): string;
}

/** "audio 10.0.0.1:4000 PCMU/8000 sendrecv" per SDP m= line, joined by "; ". */
export function sdpNote(view: MessageView): string {
  return view.parts.flatMap((p) => p.sdp ?? [])
    .map((s) => [s.media, `${s.address}:${s.port}`, s.codecs.slice(0, 3).join(','), s.direction].filter((x) => x !== '').join(' '))
    .join('; ');
}

/** The ladder of `ids` (dialogs gone meanwhile are left out) merged in time order, with response labels from their views. */
export function flowDoc(store: StoreView, ids: readonly DialogId[], extra: readonly FlowMessage[] = [], anon?: Anonymizer): FlowDoc {
  const perDialog = ids.flatMap((id) => {
    const d = store.dialog(id);
    return d === undefined ? [] : [d.messages.map((m) => flowMessageFrom(store.message(m), store.messageView(m).start))];
  });
  const merged = mergeFlows([...perDialog, [...extra]]);
  const messages = anon === undefined ? merged : merged.map((m) => ({ ...m, src: anon.address(m.src), dst: anon.address(m.dst), label: anon.text(m.label) }));
  const notes = merged.map((m) => {
    const note = m.synthetic || !m.hasSdp ? '' : sdpNote(store.messageView(m.id));
    return printable(anon === undefined ? note : anon.text(note), false);
  });
  return {
    messages,
    notes,
    utcOffsetMinutes: -new Date(Number(messages[0]?.ts ?? 0n) / 1e6).getTimezoneOffset(),
    text: (i) => {
      const m = messages[i];
      if (m === undefined || m.synthetic) return '';
      const bytes = store.messageBytes(m.id);
      return printable((anon === undefined ? bytes : anon.message(bytes)).toString('utf8'), true);
    },
  };
}
