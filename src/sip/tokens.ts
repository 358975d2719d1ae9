/** Byte-level helpers shared by the SIP parsers. */

/** RFC 3261 token characters: alphanumerics and -.!%*_+`'~ */
const TOKEN = new Uint8Array(256);
for (let c = 0x30; c <= 0x39; c++) TOKEN[c] = 1;
for (let c = 0x41; c <= 0x5a; c++) TOKEN[c] = 1;
for (let c = 0x61; c <= 0x7a; c++) TOKEN[c] = 1;
for (const ch of "-.!%*_+`'~") TOKEN[ch.charCodeAt(0)] = 1;

export function isTokenByte(b: number): boolean {
  return TOKEN[b] === 1;
}

/** Methods seen in almost every capture: returned as shared constants so 680k messages do not each own a copy. */
const COMMON_METHODS = [
  'INVITE', 'ACK', 'BYE', 'CANCEL', 'OPTIONS', 'REGISTER', 'PRACK', 'SUBSCRIBE', 'NOTIFY', 'PUBLISH', 'INFO',
  'REFER', 'MESSAGE', 'UPDATE',
];
const METHOD_CODES = COMMON_METHODS.map((m) => Buffer.from(m, 'latin1'));

/**
 * Reason phrases of almost every response (RFC 3261's own), shared the same way: a response's
 * phrase is read for every one stored, and a shared string is already hashed for the string table.
 */
const COMMON_PHRASES = [
  'OK', 'Trying', 'Ringing', 'Session Progress', 'Unauthorized', 'Proxy Authentication Required', 'Request Terminated',
  'Busy Here', 'Not Found', 'Forbidden', 'Temporarily Unavailable', 'Request Timeout', 'Service Unavailable',
  'Server Internal Error', 'Decline', 'Busy Everywhere', 'Not Acceptable Here', 'Call/Transaction Does Not Exist',
  'Moved Temporarily', 'Call Is Being Forwarded', 'Accepted', 'Bad Request', 'Method Not Allowed', 'Not Implemented',
];
const PHRASE_CODES = COMMON_PHRASES.map((p) => Buffer.from(p, 'latin1'));

/** Which of `strings` (ASCII, their bytes in `codes`) buf[a, b) holds, undefined for none. */
function sharedAt(strings: readonly string[], codes: readonly Buffer[], buf: Buffer, a: number, b: number): string | undefined {
  const len = b - a;
  for (let k = 0; k < codes.length; k++) {
    const code = codes[k];
    if (code.length !== len || code[0] !== buf[a]) continue;
    let i = 1;
    while (i < len && code[i] === buf[a + i]) i++;
    if (i === len) return strings[k];
  }
  return undefined;
}

/** The method token in buf[a, b) as a string, shared for the common methods. */
export function methodAt(buf: Buffer, a: number, b: number): string {
  return sharedAt(COMMON_METHODS, METHOD_CODES, buf, a, b) ?? buf.toString('latin1', a, b);
}

/** The reason phrase in buf[a, b) (UTF-8) as a string, shared for the common phrases. */
export function phraseAt(buf: Buffer, a: number, b: number): string {
  return sharedAt(COMMON_PHRASES, PHRASE_CODES, buf, a, b) ?? buf.toString('utf8', a, b);
}

/** Whether buf[a, b) equals lower (an all-lowercase ASCII name) case-insensitively. */
export function equalsLower(buf: Buffer, a: number, b: number, lower: string): boolean {
  if (b - a !== lower.length) return false;
  for (let i = 0; i < lower.length; i++) {
    if ((buf[a + i] | 0x20) !== lower.charCodeAt(i)) return false;
  }
  return true;
}

/** Whether buf, from offset a, starts with lower (all-lowercase ASCII) case-insensitively. */
export function startsWithLower(buf: Buffer, a: number, lower: string): boolean {
  return a + lower.length <= buf.length && equalsLower(buf, a, a + lower.length, lower);
}

/** Horspool shift tables (by folded char & 0xff) of the needles indexOfLower is asked for: a constant or two. */
const SHIFTS = new Map<string, Uint8Array>();

/** The needle asked for last and its table: a caller asks for the same constant over and over (every Via). */
let lastNeedle = '';
let lastShifts: Uint8Array = new Uint8Array(0);

function shiftsOf(lower: string): Uint8Array {
  if (lower === lastNeedle) return lastShifts;
  let shifts = SHIFTS.get(lower);
  if (shifts === undefined) {
    shifts = new Uint8Array(256).fill(Math.min(lower.length, 255));
    for (let i = 0; i < lower.length - 1; i++) shifts[lower.charCodeAt(i) & 0xff] = Math.min(lower.length - 1 - i, 255);
    SHIFTS.set(lower, shifts);
  }
  lastNeedle = lower;
  lastShifts = shifts;
  return shifts;
}

/**
 * Where lower (all-lowercase ASCII) first occurs in buf[a, b) case-insensitively, -1 when it does not.
 * Horspool: a window whose last char is not in the needle moves on by the whole needle (every Via
 * is searched for "received", most have none).
 */
export function indexOfLower(buf: Buffer, a: number, b: number, lower: string): number {
  const m = lower.length;
  if (m === 0) return -1;
  const shifts = shiftsOf(lower);
  const last = lower.charCodeAt(m - 1);
  for (let i = a; i + m <= b;) {
    const c = buf[i + m - 1] | 0x20;
    if (c === last && equalsLower(buf, i, i + m, lower)) return i;
    i += shifts[c & 0xff];
  }
  return -1;
}

/**
 * The buffer asked about last, the memory it lies in and a DataView of all of it: a reader's chunk
 * holds payload after payload, and a parser asks about one payload many times (buf.buffer is a
 * call of its own: comparing the buffer first is cheaper).
 */
let asked: Buffer | undefined;
let viewed: ArrayBufferLike | undefined;
let view: DataView<ArrayBufferLike> = new DataView(new ArrayBuffer(0));

/**
 * A DataView of the whole memory buf lies in (index it from buf.byteOffset): reused while the
 * buffers asked about share their memory, so word-at-a-time reads of a payload build no view for it.
 */
export function memoryView(buf: Buffer): DataView<ArrayBufferLike> {
  if (buf !== asked) {
    asked = buf;
    if (viewed !== buf.buffer) {
      viewed = buf.buffer;
      view = new DataView(buf.buffer);
    }
  }
  return view;
}

export function isWsp(c: number): boolean {
  return c === 0x20 || c === 0x09;
}

/** V8 keeps strings shorter than this flat: slices and concatenations of them are copies already. */
const FLAT_BELOW = 13;

/**
 * s as one flat string of its own, for strings kept for the life of a dialog: a slice keeps its
 * whole parent (the header line it came from) alive, a concatenation every part it was made of.
 */
export function flatCopy(s: string): string {
  return s.length < FLAT_BELOW ? s : Buffer.from(s, 'utf8').toString('utf8');
}
