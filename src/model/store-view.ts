import type { SkipReason } from './skip.js';
import type { DialogId, MessageId } from './ids.js';
import type { MessageView } from './message-view.js';
import type { Dialog, SipMessage } from './sip.js';

export interface StoreStats {
  frames: number;
  messages: number;
  dialogs: number;
  /** Reason key → count of dropped frames or payloads. */
  skipped: Partial<Record<SkipReason, number>>;
  /** A bounded sample of the packet values behind skips (unknown link types, ethertypes, …), per reason. */
  skipDetails?: Partial<Record<SkipReason, string[]>>;
}

/** Where one captured frame of a message lies, so a save can write it as it was captured. */
export interface FrameLocation {
  ts: bigint;
  linktype: number;
  caplen: number;
  origLen: number;
  /** In the capture file (else in the store's spool), at `offset`. */
  inFile: boolean;
  offset: number;
}

/**
 * What the UI and sinks read. The store is append-only while a capture runs, except that rotation
 * (-l N -R) and F5 drop dialogs from the front: the dialogs held always have the ids
 * firstId … firstId + dialogCount() - 1, and asking for any other id answers undefined ("gone").
 */
export interface StoreView {
  /** Bumps on every change, so a screen knows whether to redraw. */
  readonly version: number;
  /** How many dialogs are held now. */
  dialogCount(): number;
  /** Id of the oldest dialog held (the next id to be opened when none is held). */
  readonly firstId: DialogId;
  /** The dialog, or undefined when it is gone (rotation, F5) or not yet opened. */
  dialog(id: DialogId): Dialog | undefined;
  messageCount(): number;
  /** Messages are never dropped: every id below messageCount() answers, whatever happened to its dialog. */
  message(id: MessageId): SipMessage;
  /** The raw bytes of a message (read from the file or the spool on demand). */
  messageBytes(id: MessageId): Buffer;
  /**
   * The frames a message came in, in arrival order: one for most, every segment or fragment of a
   * reassembled one; [] when they are not known (HEP, decrypted TLS, a reassembly too scattered).
   */
  messageFrames(id: MessageId): FrameLocation[];
  /** A frame's captured bytes. */
  frameBytes(frame: FrameLocation): Buffer;
  /** What a screen or an exporter draws of a message: start line, headers, body parts (SDP summary), lines with roles. */
  messageView(id: MessageId): MessageView;
  stats(): StoreStats;
  /** Called (synchronously) after each change; returns an unsubscribe function. */
  subscribe(fn: () => void): () => void;
}
