import type { KeyBinding } from '../config/rc.js';
import type { Settings } from '../config/settings.js';
import type { MediaStore } from '../media/media-store.js';
import type { FaxStore } from '../media/fax-store.js';
import type { CaptureStatus } from '../model/status.js';
import type { DialogId } from '../model/ids.js';
import type { DtmfEvent, RtpStreamInfo, StreamTimeline } from '../model/media.js';
import type { StoreView } from '../model/store-view.js';
import type { ColumnContext } from '../model/columns.js';
import type { DialogFactsView } from '../store/dialog-facts.js';
import type { DialogQuery, QuerySpec } from '../store/query.js';
import type { HepLog } from '../store/hep-logs.js';
import type { Canvas, Region } from './canvas.js';
import type { Action, Keymap, Scope } from './keymap.js';

/** What the UI reads from the store: the StoreView, query windows, the facts filters read, and the X-Call-ID links for the extended flow. */
export interface UiStore extends StoreView, DialogFactsView, ColumnContext {
  /** A live window over the held dialogs (store/query.ts). */
  query(spec?: QuerySpec): DialogQuery;
  /** Held dialogs linked to dialog `id` by X-Call-ID (either direction), `id` itself excluded. */
  relatedDialogs(id: DialogId): DialogId[];
  /** F5: forgets every dialog held (their ids answer "gone" from now on). */
  clear(): void;
  /** RTP streams of a dialog (none when the store has no media plane). */
  streams?(id: DialogId): RtpStreamInfo[];
  /** Keys its SIP INFOs carried, at their capture times. */
  infoDtmf?(id: DialogId): readonly DtmfEvent[];
  /** Jitter and loss over time of one of its streams. */
  streamTimeline?(id: DialogId, stream: number): StreamTimeline | undefined;
}

/** A key's fate, as sngrep's panels answer it. */
export type KeyResult =
  | 'handled'
  /** Fall back to the global actions. */
  | 'unhandled'
  /** Close this screen and hand the action to the screen below. */
  | 'propagate';

export interface MouseInput { kind: 'click' | 'wheelUp' | 'wheelDown'; x: number; y: number }

/** One full-screen panel: its own state, drawn into the region above the footer. */
export interface Screen {
  readonly scope: Scope;
  /** Drawn over the screen below it (a question box) instead of replacing it. */
  readonly overlay?: boolean;
  render(canvas: Canvas, region: Region): void;
  handleAction(action: Action, region: Region): KeyResult;
  handleMouse?(mouse: MouseInput, region: Region): KeyResult;
  /** Text inputs see every key before the keymap does. */
  handleText?(ch: string | undefined, key: string): KeyResult;
  /** What the footer calls an action while the screen gives it another meaning than the key table's (undefined: the table's). */
  footerLabel?(action: Action): string | undefined;
}

/** What screens may do besides drawing: read the store and status, open and close screens. */
export interface UiContext {
  readonly store: UiStore;
  /** Media kept with -r, saved along with the dialogs. */
  readonly media?: MediaStore;
  /** T.38 sessions and the switch to T.38, per dialog. */
  readonly fax?: FaxStore;
  /** Distinct response codes of a dialog as the diagnosis last saw them (the triage counts). */
  readonly responseCodes?: (id: DialogId) => readonly number[];
  /** Log lines HEP agents sent for a dialog (type 100), shown as rows of its call flow. */
  readonly logs?: (id: DialogId) => readonly HepLog[];
  status(): CaptureStatus;
  readonly ascii: boolean;
  /** --anonymize: saves replace numbers, users, hosts and addresses with stand-ins. */
  readonly anonymize?: boolean;
  readonly keymap: Keymap;
  /** A live capture runs (F5 and quit ask first). */
  readonly live: boolean;
  /** The settings in effect; screens change them and call settingsChanged(). */
  readonly settings: Settings;
  /** The rc file the settings screen saves to, with the key bindings it was read with. */
  readonly rcFile: string;
  readonly bindings: readonly KeyBinding[];
  /** Re-applies the look (colours, ASCII) after the settings changed. */
  settingsChanged(): void;
  push(screen: Screen): void;
  /** Closes the top screen. */
  pop(): void;
  requestRender(): void;
}
