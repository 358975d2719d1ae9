/**
 * The parts of a From / To value a new dialog keeps (display name, URI user, host), read straight
 * from the message bytes: what parseNameAddr and parseUri (uri.ts) give for the same value, without
 * the value's string, its slices and their objects. Plain values only: one with a byte outside
 * printable ASCII (a line fold, UTF-8) or a backslash escape is left to the string parse.
 */

/** What readAddress fills in. */
export interface AddressParts {
  display: string;
  user: string;
  host: string;
}

/** A range buf[a, b) being narrowed; one, reused, since reads never nest. */
const r = { a: 0, b: 0 };

function isSpace(c: number): boolean {
  return c === 0x20 || c === 0x09;
}

/** Sets r to buf[a, b) without its leading and trailing blanks (String.prototype.trim on ASCII). */
function trimmed(buf: Buffer, a: number, b: number): void {
  while (a < b && isSpace(buf[a]!)) a++;
  while (b > a && isSpace(buf[b - 1]!)) b--;
  r.a = a;
  r.b = b;
}

function indexOf(buf: Buffer, c: number, a: number, b: number): number {
  for (let i = a; i < b; i++) if (buf[i] === c) return i;
  return -1;
}

function lastIndexOf(buf: Buffer, c: number, a: number, b: number): number {
  for (let i = b - 1; i >= a; i--) if (buf[i] === c) return i;
  return -1;
}

/** Whether buf[a, b) spells `lower` in any case. */
function spells(buf: Buffer, a: number, b: number, lower: string): boolean {
  if (b - a !== lower.length) return false;
  for (let i = 0; i < lower.length; i++) if ((buf[a + i]! | 0x20) !== lower.charCodeAt(i)) return false;
  return true;
}

/** Fills `out` from the From / To value buf[a, b); false, leaving it alone, when the value is not plain. */
export function readAddress(buf: Buffer, a: number, b: number, out: AddressParts): boolean {
  for (let i = a; i < b; i++) {
    const c = buf[i]!;
    if ((c < 0x20 && c !== 0x09) || c > 0x7e || c === 0x5c) return false;
  }
  trimmed(buf, a, b);
  const s = r.a;
  const e = r.b;
  // parseNameAddr: a quoted display name, then <uri> or a bare uri;params.
  let displayA = s;
  let displayB = s;
  let rest = s;
  if (s < e && buf[s] === 0x22) {
    const q = indexOf(buf, 0x22, s + 1, e);
    displayA = s + 1;
    displayB = q < 0 ? e : q;
    rest = q < 0 ? e : q + 1;
  }
  const lt = indexOf(buf, 0x3c, rest, e);
  if (lt >= 0) {
    if (rest === s) {
      trimmed(buf, s, lt);
      displayA = r.a;
      displayB = r.b;
    }
    const gt = indexOf(buf, 0x3e, lt + 1, e);
    trimmed(buf, lt + 1, gt < 0 ? e : gt);
  } else {
    trimmed(buf, rest, e);
    const semi = indexOf(buf, 0x3b, r.a, r.b);
    if (semi >= 0) r.b = semi;
  }
  const ua = r.a;
  const ub = r.b;
  // parseUri: scheme, then the part before any ;params or ?headers.
  const colon = indexOf(buf, 0x3a, ua, ub);
  const ma = colon < 0 ? ua : colon + 1;
  let mb = ub;
  for (let i = ma; i < ub; i++) {
    if (buf[i] === 0x3b || buf[i] === 0x3f) {
      mb = i;
      break;
    }
  }
  const userA = ma;
  let userB = ma;
  let hostA = ma;
  let hostB = mb;
  if (colon >= 0 && spells(buf, ua, colon, 'tel')) {
    userB = mb;
    hostB = ma;
  } else if (colon >= 0 && (spells(buf, ua, colon, 'sip') || spells(buf, ua, colon, 'sips'))) {
    const at = lastIndexOf(buf, 0x40, ma, mb);
    if (at >= 0) {
      const pw = indexOf(buf, 0x3a, ma, at);
      userB = pw < 0 ? at : pw;
      hostA = at + 1;
    }
    if (hostA < mb && buf[hostA] === 0x5b) {
      const close = indexOf(buf, 0x5d, hostA, mb);
      if (close >= 0) hostB = close + 1;
    } else {
      const c = lastIndexOf(buf, 0x3a, hostA, mb);
      if (c >= 0) hostB = c;
    }
  }
  out.display = buf.toString('latin1', displayA, displayB);
  out.user = buf.toString('latin1', userA, userB);
  out.host = buf.toString('latin1', hostA, hostB);
  return true;
}
