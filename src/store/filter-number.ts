/**
 * Telephone numbers as filters compare them. A value may be a bare number or a URI; both sides go
 * through the same rules, so "+1 (208) 621-2025", "tel:+1-208-621-2025" and
 * "sip:12086212025@carrier;user=phone" are all "12086212025":
 * - the sip:/sips:/tel: scheme, the host and any ;parameters are dropped (user part only);
 * - when the user part is a telephone number (digits, * and # with RFC 3966 visual separators
 *   "-.()" or spaces, optionally a leading "+"), the separators and the "+" are dropped;
 * - any other user part ("alice") is compared as written, ignoring case.
 *
 * The international prefix ("00", "011", …) is NOT removed: which digits form it depends on the
 * country of the equipment, and dropping "00" would break national numbers that start with it. So
 * "+4930…" and "004930…" differ; to find both, search `telnum 4930 or telnum 004930`.
 *
 * numberMatcher's test runs over a million dialogs per keystroke, so it works on the raw text in place.
 */

const SCHEMES = ['sip:', 'sips:', 'tel:'];

function isSeparator(c: number): boolean {
  return c === 0x2d || c === 0x2e || c === 0x28 || c === 0x29 || c === 0x20;
}

function isDialChar(c: number): boolean {
  return (c >= 0x30 && c <= 0x39) || c === 0x2a || c === 0x23;
}

/** Offset where the user part of raw[from, end) starts (after "<" and a scheme). */
function userStart(raw: string, from: number, end: number): number {
  const c0 = raw.charCodeAt(from);
  if (c0 === 0x2b || (c0 >= 0x30 && c0 <= 0x39)) return from;
  let a = from;
  while (a < end && (raw.charCodeAt(a) === 0x20 || raw.charCodeAt(a) === 0x3c)) a++;
  for (const scheme of SCHEMES) if (startsWithFolded(raw, a, end, scheme)) return a + scheme.length;
  return a;
}

function startsWithFolded(raw: string, a: number, end: number, lower: string): boolean {
  if (end - a < lower.length) return false;
  for (let i = 0; i < lower.length; i++) if (fold(raw.charCodeAt(a + i)) !== lower.charCodeAt(i)) return false;
  return true;
}

/** Offset where the user part starting at a ends (at "@", ";", "?", ">" or end). */
function userEnd(raw: string, a: number, end: number): number {
  let b = a;
  for (; b < end; b++) {
    const c = raw.charCodeAt(b);
    if (c === 0x40 || c === 0x3b || c === 0x3f || c === 0x3e) break;
  }
  while (b > a && raw.charCodeAt(b - 1) === 0x20) b--;
  return b;
}

/** Whether raw[a, b) is a telephone number: dial characters, separators, a leading "+". */
function isPhone(raw: string, a: number, b: number): boolean {
  let digits = 0;
  for (let i = a; i < b; i++) {
    const c = raw.charCodeAt(i);
    if (isDialChar(c)) digits++;
    else if (!(isSeparator(c) || (c === 0x2b && digits === 0))) return false;
  }
  return digits > 0;
}

/** The normal form of a number or of the user part of a URI, as described above. */
export function normalizeNumber(raw: string): string {
  const a = userStart(raw, 0, raw.length);
  const b = userEnd(raw, a, raw.length);
  if (!isPhone(raw, a, b)) return raw.slice(a, b).toLowerCase();
  let out = '';
  for (let i = a; i < b; i++) if (isDialChar(raw.charCodeAt(i))) out += raw[i];
  return out;
}

/** Lower-case ASCII letters for a case-insensitive compare of user names. */
function fold(c: number): number {
  return c >= 0x41 && c <= 0x5a ? c | 0x20 : c;
}

/** Whether raw[a, b) is the number `wanted` (all dial characters) or starts with it, in one pass. */
function dialMatches(raw: string, a: number, b: number, wanted: string, exact: boolean): boolean {
  let j = 0;
  let digits = 0;
  for (let i = a; i < b; i++) {
    const c = raw.charCodeAt(i);
    if (isDialChar(c)) {
      if (j === wanted.length) return !exact;
      if (c !== wanted.charCodeAt(j++)) return false;
      digits++;
    } else if (!isSeparator(c) && !(c === 0x2b && digits === 0)) {
      // Not a telephone number: compared as written, it starts with wanted only if all of wanted came before.
      return !exact && j === wanted.length && digits === i - a;
    }
  }
  return j === wanted.length;
}

/**
 * A test of whether the number in a raw value (a user part or a URI, or raw[start, end)) equals
 * `value` (exact) or starts with it, both taken as normalizeNumber describes. Built once per filter term; the test
 * runs per dialog without allocating.
 */
export function numberMatcher(value: string, exact: boolean): (raw: string, start?: number, end?: number) => boolean {
  const wanted = normalizeNumber(value);
  if (wanted === '') return exact ? (raw, start = 0, end = raw.length) => normalizeNumber(raw.slice(start, end)) === '' : () => true;
  if (isPhone(wanted, 0, wanted.length)) {
    return (raw, start = 0, end = raw.length) => {
      const a = userStart(raw, start, end);
      return dialMatches(raw, a, userEnd(raw, a, end), wanted, exact);
    };
  }
  return (raw, start = 0, end = raw.length) => {
    const a = userStart(raw, start, end);
    const b = userEnd(raw, a, end);
    if (exact ? b - a !== wanted.length : b - a < wanted.length) return false;
    return !isPhone(raw, a, b) && startsWithFolded(raw, a, b, wanted);
  };
}
