import assert from 'node:assert/strict';
import type { DialogId, MessageId } from '../../src/model/ids.js';
import type { Dialog } from '../../src/model/sip.js';
import type { StoreView } from '../../src/model/store-view.js';

/** Ids from plain numbers, for tests that know them (arrival numbers). */
export const dialogId = (n: number): DialogId => n as DialogId;
export const messageId = (n: number): MessageId => n as MessageId;

/** The n-th dialog held (0 = oldest held); fails the test when the store holds fewer. */
export function held(store: StoreView, n: number): Dialog {
  const d = store.dialog((store.firstId + n) as DialogId);
  assert.ok(d, `no dialog ${n} among the ${store.dialogCount()} held`);
  return d;
}
