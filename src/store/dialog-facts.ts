/**
 * What filters ask about a dialog beyond its summary, gathered while messages arrive so that a filter
 * over a million dialogs never re-parses a message. Kept lean, because it is held for every dialog:
 * one int of header-presence bits per dialog in a typed array, and a short string only for the
 * dialogs that carry identity headers or headers outside MASKED_HEADERS.
 */
import type { DialogId } from '../model/ids.js';
import { MASKED_HEADERS, type HeaderNames } from '../sip/message.js';

/** The identity headers whose URI users a dialog keeps. */
export type IdentityKind = 'diversion' | 'pai' | 'ppi';

/** Which IP addresses of a dialog's messages an address test looks at. */
export type AddressSide = 'src' | 'dst' | 'any';

/** Tests raw[start, end) (a URI user as written), so callers can test without slicing. */
export type RangeTest = (raw: string, start: number, end: number) => boolean;

/** Read by filters: the store and any stand-in for it (UI tests). A dialog that is gone has no facts. */
export interface DialogFactsView {
  /** OR of the messages' HeaderNames.mask (bit i: MASKED_HEADERS[i] present in some message). */
  headerMask(id: DialogId): number;
  /** Whether a header outside MASKED_HEADERS with this headerNameKey().hash is in some message. */
  hasOtherHeader(id: DialogId, hash: number): boolean;
  /** Whether some URI user of this identity header, in any message, passes test. */
  identityMatches(id: DialogId, kind: IdentityKind, test: RangeTest): boolean;
  /**
   * A dialog predicate: whether some message's source / destination IP passes `test`. The test runs
   * once per distinct address, not per message.
   */
  addressMatcher(test: (ip: string) => boolean, side: AddressSide): (id: DialogId) => boolean;
}

/**
 * The rarer facts of a dialog (identity users, other header names) as one flat string of lines,
 * each a kind letter and a value: about 30 bytes for a typical dialog with a P-Asserted-Identity,
 * where objects and arrays would cost several times that across a whole capture.
 */
const KIND_LETTER: Record<IdentityKind | 'header', string> = { diversion: 'D', pai: 'A', ppi: 'P', header: 'H' };

/** Mask bit of an identity header → its kind. */
const IDENTITY_KINDS: Record<number, IdentityKind> = {
  [MASKED_HEADERS.indexOf('Diversion')]: 'diversion',
  [MASKED_HEADERS.indexOf('P-Asserted-Identity')]: 'pai',
  [MASKED_HEADERS.indexOf('P-Preferred-Identity')]: 'ppi',
};

/** Whether buf[at - n, at) spells a URI scheme name before the colon at `at`. */
function schemeBefore(buf: Buffer, at: number, lower: string, from: number): boolean {
  const a = at - lower.length;
  if (a < from) return false;
  for (let i = 0; i < lower.length; i++) if ((buf[a + i] | 0x20) !== lower.charCodeAt(i)) return false;
  const before = a === from ? 0x3c : buf[a - 1];
  return before === 0x3c || before === 0x20 || before === 0x2c || before === 0x09;
}

/** "@", ";", ">", "?", ",", whitespace and line ends close a URI user. */
function endsUser(c: number): boolean {
  return c === 0x40 || c === 0x3b || c === 0x3e || c === 0x3f || c === 0x2c || c <= 0x20;
}

/**
 * The URI users in an identity header value buf[from, to) (a list of name-addrs): the user of each
 * sip:/sips: URI (the host when it has none) and the number of each tel: URI. Read straight from
 * the bytes into fresh strings, since they are kept for the life of the dialog; quoted display
 * names are skipped.
 */
function identityUsers(buf: Buffer, from: number, to: number): string[] {
  const users: string[] = [];
  let quoted = false;
  for (let i = from; i < to; i++) {
    const c = buf[i];
    if (c === 0x22) quoted = !quoted;
    if (quoted || c !== 0x3a) continue;
    const tel = schemeBefore(buf, i, 'tel', from);
    if (!tel && !schemeBefore(buf, i, 'sip', from) && !schemeBefore(buf, i, 'sips', from)) continue;
    let e = i + 1;
    while (e < to && !endsUser(buf[e])) e++;
    if (e > i + 1) users.push(buf.toString('utf8', i + 1, e));
    i = e;
  }
  return users;
}

/**
 * Distinct facts (header names outside MASKED_HEADERS, identity users) a dialog keeps: header
 * filters see the first ones of a dialog; the rest are counted (skip "dialog-facts-over-limit").
 */
export const MAX_FACT_LINES = 256;

function headerLine(hash: number): string {
  return `H${(hash >>> 0).toString(16)}\n`;
}

/** Per-dialog facts indexed like the store's dialog array (rotation compacts both alike). */
export class DialogFactsTable {
  private mask = new Int32Array(1024);
  private extras: (string | undefined)[] = [];

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

  /**
   * Adds what scanSip recorded about one message of the dialog at array position pos. A dialog
   * keeps at most MAX_FACT_LINES distinct facts, so a message (or a dialog) carrying hostile
   * numbers of header names costs linear time; returns false when facts were left out.
   */
  note(pos: number, buf: Buffer, names: HeaderNames): boolean {
    this.mask[pos] |= names.mask;
    if (names.others.length === 0 && names.identities.length === 0) return true;
    const before = this.extras[pos] ?? '';
    let x = before;
    let lines = 0;
    for (let at = x.indexOf('\n'); at >= 0; at = x.indexOf('\n', at + 1)) lines++;
    let complete = true;
    const add = (line: string): void => {
      if (x.includes(line)) return;
      if (lines >= MAX_FACT_LINES) {
        complete = false;
        return;
      }
      x += line;
      lines++;
    };
    for (const h of names.others) {
      add(headerLine(h));
      if (!complete) break;
    }
    const ids = names.identities;
    for (let k = 0; k < ids.length && complete; k += 3) {
      const letter = KIND_LETTER[IDENTITY_KINDS[ids[k]]];
      for (const user of identityUsers(buf, ids[k + 1], ids[k + 2])) add(`${letter}${user}\n`);
    }
    // A flat copy: a chain of concatenations costs several objects per dialog, for every dialog kept.
    if (x !== before) this.extras[pos] = Buffer.from(x, 'utf8').toString('utf8');
    return complete;
  }

  headerMask(pos: number): number {
    return this.mask[pos];
  }

  hasOtherHeader(pos: number, hash: number): boolean {
    return this.extras[pos]?.includes(headerLine(hash)) ?? false;
  }

  identityMatches(pos: number, kind: IdentityKind, test: RangeTest): boolean {
    const x = this.extras[pos];
    if (x === undefined) return false;
    const letter = KIND_LETTER[kind].charCodeAt(0);
    for (let at = 0; at < x.length;) {
      const end = x.indexOf('\n', at);
      if (x.charCodeAt(at) === letter && test(x, at + 1, end)) return true;
      at = end + 1;
    }
    return false;
  }

  /** Forgets positions before `head` and renumbers the rest from 0. */
  compact(head: number, count: number): void {
    this.mask.copyWithin(0, head, head + count);
    this.extras = this.extras.slice(head, head + count);
  }
}
