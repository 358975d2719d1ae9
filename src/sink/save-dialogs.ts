import { InputError } from '../model/errors.js';
import type { DialogId, MessageId } from '../model/ids.js';
import type { Dialog, SipMessage } from '../model/sip.js';
import type { FrameLocation, StoreView } from '../model/store-view.js';
import type { MediaPacket, MediaStore } from '../media/media-store.js';
import { linkName, rawConvertsTo } from './link-convert.js';
import { PcapWriter, type CaptureWriter, type WritableFrame } from './pcap-writer.js';
import { PcapngWriter } from './pcapng-writer.js';
import { synthFrame, SYNTH_LINKTYPE, type SynthMessage } from './synth-frame.js';
import type { Anonymizer } from './anonymize.js';
import { exportText } from './text-export.js';
import { writeTextFile } from './text-file.js';

export type SaveFormat = 'pcap' | 'pcapng' | 'txt';

export interface SaveResult {
  /** Dialogs written (those still held among the ones asked for). */
  dialogs: number;
  /** SIP messages written. */
  messages: number;
  /** Records in the file: the frames the messages came in (or packets made for them) plus kept media packets (for txt, the messages). */
  packets: number;
  /** Set when a pcap could not keep the captured link layer and holds raw IP: "raw IP: why", for the save dialog to say. */
  rawIp?: string;
}

type SipPayload = SipMessage & { payload: Buffer };

/**
 * One record to write, in time order: a frame a message came in (written as captured), a message
 * whose frames are not known (a packet is made for it), or a kept media packet.
 */
type Entry =
  | { ts: bigint; message: MessageId; frame: FrameLocation; media?: undefined }
  | { ts: bigint; message: MessageId; frame?: undefined; media?: undefined }
  | { ts: bigint; message: -1; frame?: undefined; media: MediaPacket };

/**
 * Writes the messages of some dialogs to a file, in time order (dialogs gone meanwhile are skipped):
 * - pcap, pcapng: the frames each message came in, as captured (every segment and fragment of a
 *   reassembled one, a frame shared by two messages once), and the kept media frames. A pcap has one
 *   link type: the one all frames share, else raw IP (frames converted, SIP packets made from the
 *   payloads; `rawIp` says why). A pcapng keeps one interface per link type. Messages whose frames
 *   are not known (HEP, decrypted TLS) and every message of an anonymised save get packets made
 *   from their payload and addresses (raw IP, running TCP sequence numbers); anonymised saves leave
 *   media out;
 * - txt: sngrep's text export, SIP only.
 * Throws InputError (one line) when the file cannot be written.
 */
export function saveDialogs(
  store: StoreView, ids: readonly DialogId[], path: string, format: SaveFormat, opts: { media?: MediaStore; anonymize?: Anonymizer } = {},
): SaveResult {
  const dialogs = ids.flatMap((id) => store.dialog(id) ?? []);
  const anon = opts.anonymize;
  const sip = (id: MessageId) => {
    const m = store.message(id);
    const payload = store.messageBytes(id);
    return anon === undefined ? { ...m, payload } : { ...m, src: anon.ip(m.src), dst: anon.ip(m.dst), payload: anon.message(payload) };
  };
  if (format === 'txt') return { dialogs: dialogs.length, ...saveText(store, dialogs, path, sip) };
  // Anonymised saves leave captured frames and media out: they carry the original addresses and the voice itself.
  const entries = collect(store, dialogs, anon ? undefined : opts.media, anon === undefined);
  const plan = format === 'pcap' ? pcapLinktype(store, entries) : { linktype: entries.find((e) => e.frame)?.frame?.linktype ?? SYNTH_LINKTYPE };
  const writer: CaptureWriter = format === 'pcap'
    ? PcapWriter.open(path, plan.linktype, { nanosecond: true })
    : PcapngWriter.open(path, plan.linktype);
  const seq = new Map<string, number>();
  const made = (m: SynthMessage, ts: bigint): WritableFrame => {
    const { data } = synthFrame(m, seq);
    return { ts, data, origLen: data.length, linktype: SYNTH_LINKTYPE };
  };
  let messages = 0;
  let last = -1;
  try {
    for (const e of entries) {
      if (e.media !== undefined) {
        writer.write(format === 'pcapng' || e.media.linktype === plan.linktype
          ? { ts: e.ts, data: opts.media!.frameBytes(e.media), origLen: e.media.origLen, linktype: e.media.linktype }
          : made({ ...e.media, transport: 'UDP', payload: opts.media!.payloadBytes(e.media) }, e.ts));
      } else {
        if (e.message !== last) messages++;
        last = e.message;
        const frame = e.frame && { ts: e.ts, data: store.frameBytes(e.frame), origLen: e.frame.origLen, linktype: e.frame.linktype };
        const before = writer instanceof PcapWriter ? writer.refused : 0;
        writer.write(frame ?? made(sip(e.message), e.ts));
        // A frame pcap cannot convert to raw IP (no IP in it): the message's packet is made instead.
        if (frame && writer instanceof PcapWriter && writer.refused > before) writer.write(made(sip(e.message), e.ts));
      }
      if (writer.error) throw new InputError(writer.error);
    }
  } finally {
    writer.close();
  }
  return { dialogs: dialogs.length, messages, packets: writer.packets, ...(plan.rawIp !== undefined && { rawIp: plan.rawIp }) };
}

/**
 * The dialogs' records ordered by time (ties keep arrival order): each message's frames (each frame
 * once: two messages in one segment share it), or the message alone when its frames are not known or
 * not wanted; then kept media.
 */
function collect(store: StoreView, dialogs: readonly Dialog[], media: MediaStore | undefined, frames: boolean): Entry[] {
  const entries: Entry[] = [];
  const seen = new Set<number>();
  const messages = dialogs.flatMap((d) => d.messages).sort((a, b) => a - b);
  for (const i of messages) {
    const list = frames ? store.messageFrames(i) : [];
    if (list.length === 0) entries.push({ ts: store.message(i).ts, message: i });
    for (const f of list) {
      // File and spool offsets are told apart by the low bit.
      const key = f.offset * 2 + (f.inFile ? 0 : 1);
      if (seen.has(key)) continue;
      seen.add(key);
      entries.push({ ts: f.ts, message: i, frame: f });
    }
  }
  if (media) {
    for (const d of dialogs) for (const packet of media.packets(d.id)) entries.push({ ts: packet.ts, message: -1, media: packet });
  }
  return entries.sort((a, b) => (a.ts < b.ts ? -1 : a.ts > b.ts ? 1 : 0));
}

/** The link type of a saved pcap: the one every captured frame shares, else raw IP and why. */
function pcapLinktype(store: StoreView, entries: readonly Entry[]): { linktype: number; rawIp?: string } {
  const linktypes = new Set<number>();
  const made = new Set<string>();
  for (const e of entries) {
    const lt = e.frame?.linktype ?? e.media?.linktype;
    if (lt !== undefined) linktypes.add(lt);
    else made.add(whyMade(store.message(e.message as MessageId)));
  }
  const only = linktypes.size === 1 ? [...linktypes][0]! : undefined;
  // Packets made for messages are raw IP, which Ethernet and Linux cooked files can hold too.
  if (only !== undefined && (made.size === 0 || rawConvertsTo(only))) return { linktype: only };
  if (linktypes.size === 0) return { linktype: SYNTH_LINKTYPE, rawIp: `raw IP: ${[...made].join(', ')}` };
  const names = [...new Set([...linktypes].map(linkName))];
  const why = linktypes.size > 1
    ? `frames of ${linktypes.size} link types (${names.join(', ')})`
    : `${[...made].join(', ')}, which ${names[0]} frames cannot hold`;
  return { linktype: SYNTH_LINKTYPE, rawIp: `raw IP: ${why}; pcapng keeps each` };
}

/** Why a message has no captured frames to save. */
function whyMade(m: SipMessage): string {
  if (m.node !== undefined && m.node !== '') return 'messages came over HEP';
  if (m.transport === 'TLS' || m.transport === 'WSS') return 'TLS messages are saved decrypted';
  return 'messages were anonymised or their frames are not kept';
}

function saveText(store: StoreView, dialogs: readonly Dialog[], path: string, sip: (id: MessageId) => SipPayload): Omit<SaveResult, 'dialogs'> {
  const timed = dialogs.flatMap((d) => d.messages).sort((a, b) => a - b).map((id) => ({ id, ts: store.message(id).ts }));
  // Ties keep arrival order (sort is stable).
  const ids = timed.sort((a, b) => (a.ts < b.ts ? -1 : a.ts > b.ts ? 1 : 0)).map((t) => t.id);
  // A generator, so a save of every dialog never holds all message bytes at once.
  const messages = function* () {
    for (const id of ids) {
      const m = sip(id);
      yield { ...m, bytes: m.payload };
    }
  };
  writeTextFile(path, (out) => exportText(messages(), out));
  return { messages: ids.length, packets: ids.length };
}
