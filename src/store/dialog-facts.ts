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
const LINE_H = KIND_LETTER.header.charCodeAt(0);

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

/** Where nextUser looks on from, and the URI user it found last: buf[start, end). */
interface UserCursor {
  at: number;
  quoted: boolean;
  start: number;
  end: number;
}

/**
 * Moves `c` to the next URI user of an identity header value buf[from, to) (a list of name-addrs):
 * the user of a sip:/sips: URI (the host when it has none) or the number of a tel: URI; false when
 * none is left. Quoted display names are skipped.
 */
function nextUser(buf: Buffer, from: number, to: number, c: UserCursor): boolean {
  for (let i = c.at; i < to; i++) {
    const ch = buf[i];
    if (ch === 0x22) c.quoted = !c.quoted;
    if (c.quoted || ch !== 0x3a) continue;
    if (!schemeBefore(buf, i, 'tel', from) && !schemeBefore(buf, i, 'sip', from) && !schemeBefore(buf, i, 'sips', from)) continue;
    let e = i + 1;
    while (e < to && !endsUser(buf[e])) e++;
    if (e > i + 1) {
      c.start = i + 1;
      c.end = e;
      c.at = e + 1;
      return true;
    }
    i = e;
  }
  c.at = to;
  return false;
}

/** One cursor for every walk: walks never nest. */
const cursor: UserCursor = { at: 0, quoted: false, start: 0, end: 0 };

function usersFrom(from: number): UserCursor {
  cursor.at = from;
  cursor.quoted = false;
  return cursor;
}

/** The URI users of an identity header value buf[from, to), as fresh strings: they are kept for the life of the dialog. */
function identityUsers(buf: Buffer, from: number, to: number): string[] {
  const users: string[] = [];
  for (const c = usersFrom(from); nextUser(buf, from, to, c);) users.push(buf.toString('utf8', c.start, c.end));
  return users;
}

const HEX_DIGITS = [...'0123456789abcdef'].map((d) => d.charCodeAt(0));
/** headerLine's hex digits, spelt as bytes by hexOf. */
const hex = new Uint8Array(8);

/** Spells (hash >>> 0).toString(16) into `hex`; returns its length. */
function hexOf(hash: number): number {
  let n = 1;
  for (let v = hash >>> 0; v >= 16; v >>>= 4) n++;
  for (let k = n - 1, v = hash >>> 0; k >= 0; k--, v >>>= 4) hex[k] = HEX_DIGITS[v & 15]!;
  return n;
}

/**
 * Whether x.includes(`${letter}${text}\n`) for the text the ASCII bytes src[a, b) spell, without
 * making that string; false when a byte is not ASCII (the caller then makes it).
 */
function holds(x: string, letter: number, src: Uint8Array, a: number, b: number): boolean {
  const n = b - a;
  for (let j = a; j < b; j++) if (src[j]! >= 0x80) return false;
  for (let p = 0; p + n + 1 < x.length; p++) {
    if (x.charCodeAt(p) !== letter || x.charCodeAt(p + n + 1) !== 0x0a) continue;
    let j = 0;
    while (j < n && x.charCodeAt(p + 1 + j) === src[a + j]) j++;
    if (j === n) return true;
  }
  return false;
}

/**
 * Distinct facts (header names outside MASKED_HEADERS, identity users) a dialog keeps: header
 * filters see the first ones of a dialog; the rest are counted (skip "dialog-facts-over-limit").
 */
export const MAX_FACT_LINES = 256;

function headerLine(hash: number): string {
  return `H${(hash >>> 0).toString(16)}\n`;
}

/** Whether facts `x` hold every line note() would add for a message's names. */
function known(x: string, buf: Buffer, names: HeaderNames): boolean {
  for (const h of names.others) if (!holds(x, LINE_H, hex, 0, hexOf(h))) return false;
  const ids = names.identities;
  for (let k = 0; k < ids.length; k += 3) {
    const letter = KIND_LETTER[IDENTITY_KINDS[ids[k]]].charCodeAt(0);
    for (const c = usersFrom(ids[k + 1]); nextUser(buf, ids[k + 1], ids[k + 2], c);) if (!holds(x, letter, buf, c.start, c.end)) return false;
  }
  return true;
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
    // Most messages repeat what their dialog's earlier ones said: that is found without making a string.
    if (known(before, buf, names)) return true;
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
