/**
 * What filters ask about a dialog beyond its summary, gathered while messages arrive so that a filter
 * over a million dialogs never re-parses a message. Kept lean, because it is held for every dialog:
 * one int of header-presence bits per dialog in a typed array, and an extras object only for the
 * dialogs that carry identity headers or headers outside MASKED_HEADERS.
 */
import { splitHeaderList } from '../sip/headers.js';
import { MASKED_HEADERS, type HeaderNames } from '../sip/message.js';
import { parseNameAddr, parseUri } from '../sip/uri.js';

/** The rarer facts of a dialog. */
export interface DialogExtras {
  /** URI users (as written) of these headers in any message of the dialog, each once. */
  diversion: readonly string[];
  pai: readonly string[];
  ppi: readonly string[];
  /** Distinct HeaderNames.others hashes (headers without a presence bit) of all messages. */
  otherHeaders: readonly number[];
}

/** Which IP addresses of a dialog's messages an address test looks at. */
export type AddressSide = 'src' | 'dst' | 'any';

/** Read by filters: the store and any stand-in for it (UI tests). Positions as in StoreView.dialog(i). */
export interface DialogFactsView {
  /** OR of the messages' HeaderNames.mask (bit i: MASKED_HEADERS[i] present in some message). */
  headerMask(position: number): number;
  dialogExtras(position: number): DialogExtras | undefined;
  /**
   * A dialog predicate: whether some message's source / destination IP passes `test`. The test runs
   * once per distinct address, not per message.
   */
  addressMatcher(test: (ip: string) => boolean, side: AddressSide): (position: number) => boolean;
}

const NONE: readonly never[] = Object.freeze([]);

/** Mask bit of an identity header → the extras list its users go to. */
const IDENTITY_KEYS: Record<number, 'diversion' | 'pai' | 'ppi'> = {
  [MASKED_HEADERS.indexOf('Diversion')]: 'diversion',
  [MASKED_HEADERS.indexOf('P-Asserted-Identity')]: 'pai',
  [MASKED_HEADERS.indexOf('P-Preferred-Identity')]: 'ppi',
};

function withEntry<T>(list: readonly T[], value: T): readonly T[] {
  return list.includes(value) ? list : [...list, value];
}

/** Per-dialog facts indexed like the store's dialog array (rotation compacts both alike). */
export class DialogFactsTable {
  private mask = new Int32Array(1024);
  private extras: (DialogExtras | undefined)[] = [];

  /** Starts the facts of the dialog at array position pos (always the next one). */
  open(pos: number): void {
    if (pos >= this.mask.length) {
      const wider = new Int32Array(this.mask.length * 2);
      wider.set(this.mask);
      this.mask = wider;
    }
    this.mask[pos] = 0;
    this.extras[pos] = undefined;
  }

  /** Adds what scanSip recorded about one message of the dialog at array position pos. */
  note(pos: number, buf: Buffer, names: HeaderNames): void {
    this.mask[pos] |= names.mask;
    if (names.others.length === 0 && names.identities.length === 0) return;
    const x = (this.extras[pos] ??= { diversion: NONE, pai: NONE, ppi: NONE, otherHeaders: NONE });
    for (const h of names.others) x.otherHeaders = withEntry(x.otherHeaders, h);
    const ids = names.identities;
    for (let k = 0; k < ids.length; k += 3) {
      const key = IDENTITY_KEYS[ids[k]];
      for (const value of splitHeaderList(buf.toString('utf8', ids[k + 1], ids[k + 2]))) {
        const uri = parseUri(parseNameAddr(value).uri);
        const user = uri.user !== '' ? uri.user : uri.host;
        if (user !== '') x[key] = withEntry(x[key], user);
      }
    }
  }

  headerMask(pos: number): number {
    return this.mask[pos];
  }

  dialogExtras(pos: number): DialogExtras | undefined {
    return this.extras[pos];
  }

  /** Forgets positions before `head` and renumbers the rest from 0. */
  compact(head: number, count: number): void {
    this.mask.copyWithin(0, head, head + count);
    this.extras = this.extras.slice(head);
  }
}
