import { InputError } from '../model/errors.js';
import type { DialogId, MessageId } from '../model/ids.js';
import type { Dialog, SipMessage } from '../model/sip.js';
import type { StoreView } from '../model/store-view.js';
import type { MediaPacket, MediaStore } from '../media/media-store.js';
import { PcapWriter, type CaptureWriter } from './pcap-writer.js';
import { PcapngWriter } from './pcapng-writer.js';
import { synthFrame, SYNTH_LINKTYPE } from './synth-frame.js';
import type { Anonymizer } from './anonymize.js';
import { exportText } from './text-export.js';
import { writeTextFile } from './text-file.js';

export type SaveFormat = 'pcap' | 'pcapng' | 'txt';

export interface SaveResult {
  /** Dialogs written (those still held among the ones asked for). */
  dialogs: number;
  /** SIP messages written. */
  messages: number;
  /** Records in the file: SIP messages plus kept media packets (for txt, the messages). */
  packets: number;
}

type SipPayload = SipMessage & { payload: Buffer };

/** One record to write: a SIP message or a kept media packet. */
type Entry = { ts: bigint; message: MessageId; media?: undefined } | { ts: bigint; message: -1; media: MediaPacket };

/**
 * Writes the messages of some dialogs to a file, in time order (dialogs gone meanwhile are skipped):
 * - pcap: every record LINKTYPE_RAW (pcap has one link type per file), SIP and media alike
 *   synthesized from their payload and addresses;
 * - pcapng: SIP synthesized as LINKTYPE_RAW, kept media as the frames captured;
 * - txt: sngrep's text export, SIP only.
 * A TCP flow gets running sequence numbers. Throws InputError (one line) when the file cannot be written.
 */
export function saveDialogs(
  store: StoreView, ids: readonly DialogId[], path: string, format: SaveFormat, opts: { media?: MediaStore; anonymize?: Anonymizer } = {},
): SaveResult {
  const dialogs = ids.flatMap((id) => store.dialog(id) ?? []);
  // Anonymised saves leave media out: its frames carry the original addresses and the voice itself.
  const entries = collect(store, dialogs, format === 'txt' || opts.anonymize ? undefined : opts.media);
  const anon = opts.anonymize;
  const sip = (id: MessageId) => {
    const m = store.message(id);
    const payload = store.messageBytes(id);
    return anon === undefined ? { ...m, payload } : { ...m, src: anon.ip(m.src), dst: anon.ip(m.dst), payload: anon.message(payload) };
  };
  if (format === 'txt') return { dialogs: dialogs.length, ...saveText(entries, path, sip) };
  const writer: CaptureWriter = format === 'pcap'
    ? PcapWriter.open(path, SYNTH_LINKTYPE, { nanosecond: true })
    : PcapngWriter.open(path, SYNTH_LINKTYPE);
  const seq = new Map<string, number>();
  let messages = 0;
  try {
    for (const e of entries) {
      if (e.media === undefined) {
        const { data } = synthFrame(sip(e.message), seq);
        writer.write({ ts: e.ts, data, origLen: data.length, linktype: SYNTH_LINKTYPE });
        messages++;
      } else if (format === 'pcapng') {
        writer.write({ ts: e.ts, data: opts.media!.frameBytes(e.media), origLen: e.media.origLen, linktype: e.media.linktype });
      } else {
        const { data } = synthFrame({ ...e.media, transport: 'UDP', payload: opts.media!.payloadBytes(e.media) });
        writer.write({ ts: e.ts, data, origLen: data.length, linktype: SYNTH_LINKTYPE });
      }
      if (writer.error) throw new InputError(writer.error);
    }
  } finally {
    writer.close();
  }
  return { dialogs: dialogs.length, messages, packets: writer.packets };
}

/** The dialogs' messages and kept media, ordered by time (ties keep arrival order). */
function collect(store: StoreView, dialogs: readonly Dialog[], media: MediaStore | undefined): Entry[] {
  const entries: Entry[] = [];
  const messages = dialogs.flatMap((d) => d.messages).sort((a, b) => a - b);
  for (const i of messages) entries.push({ ts: store.message(i).ts, message: i });
  if (media) {
    for (const d of dialogs) for (const packet of media.packets(d.id)) entries.push({ ts: packet.ts, message: -1, media: packet });
  }
  return entries.sort((a, b) => (a.ts < b.ts ? -1 : a.ts > b.ts ? 1 : 0));
}

function saveText(entries: Entry[], path: string, sip: (id: MessageId) => SipPayload): Omit<SaveResult, 'dialogs'> {
  // A generator, so a save of every dialog never holds all message bytes at once.
  const messages = function* () {
    for (const e of entries) {
      if (e.media !== undefined) continue;
      const m = sip(e.message);
      yield { ...m, bytes: m.payload };
    }
  };
  writeTextFile(path, (out) => exportText(messages(), out));
  return { messages: entries.length, packets: entries.length };
}
