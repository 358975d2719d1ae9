/**
 * One header's values read straight from a message's bytes: what headerValue / headerValues of
 * parseSipMessage(buf) answer, without the full parse (a latin1 copy of the message and an object
 * per header line, ~16 µs for an INVITE). The rules read a header or two of a few messages in each
 * of some 30k dialogs on big100k, so the parse was most of what a look at a diverted call cost.
 *
 * The lines are read as the parse reads them, byte for byte: the header block after the start line
 * up to the parse's blank line, a line that starts with a space or tab continuing the line before
 * it (whatever that line is), a line without a colon read as nothing. `buf` is a message the store
 * kept, so its start line was read (the parse reads headers from the first line break on).
 */
import { canonicalHeaderName, isMultiValue, sameHeader, splitHeaderList } from '../sip/headers.js';
import { valueText } from '../sip/message.js';
import { isWsp } from '../sip/tokens.js';

const CRLF_CRLF = Buffer.from('\r\n\r\n', 'latin1');
const LF_LF = Buffer.from('\n\n', 'latin1');
const LF = 0x0a;
const CR = 0x0d;
const COLON = 0x3a;

/** Value ranges (start, end pairs) of the header read last: scratch, as a rule reads one header at a time. */
const ranges: number[] = [];

function isSpace(c: number): boolean {
  return isWsp(c) || c === CR || c === LF;
}

function trimStart(buf: Buffer, a: number, b: number): number {
  while (a < b && isSpace(buf[a]!)) a++;
  return a;
}

function trimEnd(buf: Buffer, a: number, b: number): number {
  while (b > a && isSpace(buf[b - 1]!)) b--;
  return b;
}

/** Where the header lines that start at `from` end, as the parse finds the blank line (CRLF CRLF first, then LF LF). */
function headerEnd(buf: Buffer, from: number): number {
  if (from >= buf.length) return buf.length;
  if (buf[from] === LF || (buf[from] === CR && buf[from + 1] === LF)) return from;
  const crlf = buf.indexOf(CRLF_CRLF, from);
  if (crlf >= 0) return crlf + 2;
  const lflf = buf.indexOf(LF_LF, from);
  return lflf >= 0 ? lflf + 1 : buf.length;
}

function lower(c: number): number {
  return c >= 0x41 && c <= 0x5a ? c | 0x20 : c;
}

/** Whether the name at buf[a, b) is `canonical` (canonicalHeaderName's form, ASCII), as the parse's header index matches it. */
function named(buf: Buffer, a: number, b: number, canonical: string): boolean {
  const n = b - a;
  // Only a name of the same length, or a compact form, can canonicalize to it; most lines fail at the first letter.
  if (n !== 1 && (n !== canonical.length || lower(buf[a]!) !== lower(canonical.charCodeAt(0)))) return false;
  return sameHeader(canonical, canonicalHeaderName(buf.toString('latin1', a, b)));
}

/** The value ranges of the first `max` header lines named `canonical` into `ranges`; returns how many. */
function findRanges(buf: Buffer, canonical: string, max: number): number {
  ranges.length = 0;
  const first = buf.indexOf(LF);
  if (first < 0) return 0;
  const end = headerEnd(buf, first + 1);
  let n = 0;
  /** Some header line was read (a line starting with a space continues it), and whether it is one of ours. */
  let some = false;
  let ours = false;
  for (let p = first + 1; p < end;) {
    let e = buf.indexOf(LF, p);
    if (e < 0 || e > end) e = end;
    if (some && isWsp(buf[p]!)) {
      if (ours) ranges[ranges.length - 1] = trimEnd(buf, p, e);
    } else {
      let colon = p;
      while (colon < e && buf[colon] !== COLON) colon++;
      if (colon > p && colon < e) {
        if (n >= max) break;
        some = true;
        ours = named(buf, p, trimEnd(buf, p, colon), canonical);
        if (ours) {
          const vs = trimStart(buf, colon + 1, e);
          ranges.push(vs, trimEnd(buf, vs, e));
          n++;
        }
      }
    }
    p = e + 1;
  }
  return n;
}

/** headerValue(parseSipMessage(buf), name): the first value of the header, whole line, or undefined. */
export function headerValueIn(buf: Buffer, name: string): string | undefined {
  return findRanges(buf, canonicalHeaderName(name), 1) === 0 ? undefined : valueText(buf, ranges[0]!, ranges[1]!);
}

/** headerValues(parseSipMessage(buf), name): all values in order, list headers split at top-level commas. */
export function headerValuesIn(buf: Buffer, name: string): string[] {
  const canonical = canonicalHeaderName(name);
  const n = findRanges(buf, canonical, Infinity);
  const split = n > 0 && isMultiValue(canonical);
  const out: string[] = [];
  for (let k = 0; k < 2 * n; k += 2) {
    const text = valueText(buf, ranges[k]!, ranges[k + 1]!);
    if (split) out.push(...splitHeaderList(text));
    else out.push(text.trim());
  }
  return out;
}
