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

/** Offset where the user part of raw starts (after "<" and a scheme). */
function userStart(raw: string): number {
  const c0 = raw.charCodeAt(0);
  if (c0 === 0x2b || (c0 >= 0x30 && c0 <= 0x39)) return 0;
  let a = 0;
  while (a < raw.length && (raw.charCodeAt(a) === 0x20 || raw.charCodeAt(a) === 0x3c)) a++;
  for (const scheme of SCHEMES) if (startsWithFolded(raw, a, scheme)) return a + scheme.length;
  return a;
}

function startsWithFolded(raw: string, a: number, lower: string): boolean {
  if (raw.length - a < lower.length) return false;
  for (let i = 0; i < lower.length; i++) if (fold(raw.charCodeAt(a + i)) !== lower.charCodeAt(i)) return false;
  return true;
}

/** Offset where the user part starting at a ends (at "@", ";", "?" or ">"). */
function userEnd(raw: string, a: number): number {
  let b = a;
  for (; b < raw.length; b++) {
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
  const a = userStart(raw);
  const b = userEnd(raw, a);
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
 * A test of whether the number in a raw value (a user part or a URI) equals `value` (exact) or
 * starts with it, both taken as normalizeNumber describes. Built once per filter term; the test
 * runs per dialog without allocating.
 */
export function numberMatcher(value: string, exact: boolean): (raw: string) => boolean {
  const wanted = normalizeNumber(value);
  if (wanted === '') return exact ? (raw) => normalizeNumber(raw) === '' : () => true;
  if (isPhone(wanted, 0, wanted.length)) {
    return (raw) => {
      const a = userStart(raw);
      return dialMatches(raw, a, userEnd(raw, a), wanted, exact);
    };
  }
  return (raw) => {
    const a = userStart(raw);
    const b = userEnd(raw, a);
    if (exact ? b - a !== wanted.length : b - a < wanted.length) return false;
    return !isPhone(raw, a, b) && startsWithFolded(raw, a, wanted);
  };
}
