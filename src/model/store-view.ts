import type { SkipReason } from './skip.js';
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

/** What the UI and sinks read. The store is append-only while a capture runs. */
export interface StoreView {
  /** Bumps on every change, so a screen knows whether to redraw. */
  readonly version: number;
  dialogCount(): number;
  dialog(i: number): Dialog;
  messageCount(): number;
  message(i: number): SipMessage;
  /** The raw bytes of a message (read from the file or the spool on demand). */
  messageBytes(i: number): Buffer;
  stats(): StoreStats;
  /** Called (synchronously) after each change; returns an unsubscribe function. */
  subscribe(fn: () => void): () => void;
}
