/** name-addr / addr-spec values (From, To, Contact, P-Asserted-Identity, …) and SIP/tel URIs. */

export interface NameAddr {
  /** Display name: unquoted and unescaped when it is a quoted-string, as written otherwise. */
  display: string;
  /** The URI without angle brackets. */
  uri: string;
  /** Header parameters (after the URI), names lower-cased; valueless parameters map to ''. */
  params: Record<string, string>;
}

export interface Uri {
  /** Lower-cased scheme ("sip", "sips", "tel", …), '' when there is none. */
  scheme: string;
  /** User part of sip:/sips: URIs (without password), the number of tel: URIs, '' otherwise. */
  user: string;
  host: string;
  /** 0 when absent. */
  port: number;
  /** URI parameters, names lower-cased. */
  params: Record<string, string>;
}

/** Unquotes a quoted-string body, resolving backslash escapes. */
function unquote(s: string, from: number): { text: string; end: number } {
  let text = '';
  let i = from;
  for (; i < s.length; i++) {
    const ch = s[i];
    if (ch === '\\' && i + 1 < s.length) text += s[++i];
    else if (ch === '"') return { text, end: i + 1 };
    else text += ch;
  }
  return { text, end: i };
}

/** Parses ;name=value pairs; quoted values keep their content. */
export function parseParams(s: string): Record<string, string> {
  const params: Record<string, string> = {};
  for (const piece of s.split(';')) {
    const eq = piece.indexOf('=');
    const name = (eq < 0 ? piece : piece.slice(0, eq)).trim().toLowerCase();
    if (name === '') continue;
    let value = eq < 0 ? '' : piece.slice(eq + 1).trim();
    if (value.length >= 2 && value.startsWith('"') && value.endsWith('"')) value = value.slice(1, -1);
    params[name] = value;
  }
  return params;
}

/** What a caller that reads no parameters gets for them (`params` false): one shared empty record. */
const NOT_READ: Record<string, string> = Object.freeze({}) as Record<string, string>;

/**
 * Parses `"Display" <uri>;params`, `Display <uri>;params` or a bare `uri;params` (where, per
 * RFC 3261 §20, the semicolon parameters belong to the header, not to the URI). With `params`
 * false the parameters are not read (every dialog opened reads From and To for their URIs alone).
 */
export function parseNameAddr(value: string, params = true): NameAddr {
  const v = value.trim();
  let display = '';
  let rest = 0;
  if (v.startsWith('"')) {
    const q = unquote(v, 1);
    display = q.text;
    rest = q.end;
  }
  const lt = v.indexOf('<', rest);
  if (lt >= 0) {
    if (rest === 0) display = v.slice(0, lt).trim();
    const gt = v.indexOf('>', lt + 1);
    const uriEnd = gt < 0 ? v.length : gt;
    const after = gt < 0 ? '' : v.slice(gt + 1);
    const semi = after.indexOf(';');
    return { display, uri: v.slice(lt + 1, uriEnd).trim(), params: !params ? NOT_READ : semi < 0 ? {} : parseParams(after.slice(semi + 1)) };
  }
  const spec = v.slice(rest).trim();
  const semi = spec.indexOf(';');
  return {
    display,
    uri: semi < 0 ? spec : spec.slice(0, semi),
    params: !params ? NOT_READ : semi < 0 ? {} : parseParams(spec.slice(semi + 1)),
  };
}

/** Parses a URI well enough for lists and filters: scheme, user, host, port, parameters (unless `params` is false). */
export function parseUri(uri: string, params = true): Uri {
  const colon = uri.indexOf(':');
  const scheme = colon < 0 ? '' : uri.slice(0, colon).toLowerCase();
  const rest = colon < 0 ? uri : uri.slice(colon + 1);
  const semi = rest.search(/[;?]/);
  const main = semi < 0 ? rest : rest.slice(0, semi);
  const read = !params ? NOT_READ : semi < 0 || rest[semi] !== ';' ? {} : parseParams(rest.slice(semi + 1).split('?')[0]);
  if (scheme === 'tel') return { scheme, user: main, host: '', port: 0, params: read };
  if (scheme !== 'sip' && scheme !== 'sips') return { scheme, user: '', host: main, port: 0, params: read };
  const at = main.lastIndexOf('@');
  const userinfo = at < 0 ? '' : main.slice(0, at);
  const hostport = at < 0 ? main : main.slice(at + 1);
  const pw = userinfo.indexOf(':');
  const user = pw < 0 ? userinfo : userinfo.slice(0, pw);
  const { host, port } = splitHostPort(hostport);
  return { scheme, user, host, port, params: read };
}

function splitHostPort(hp: string): { host: string; port: number } {
  if (hp.startsWith('[')) {
    const close = hp.indexOf(']');
    const host = close < 0 ? hp : hp.slice(0, close + 1);
    const port = close >= 0 && hp[close + 1] === ':' ? Number(hp.slice(close + 2)) : 0;
    return { host, port: Number.isInteger(port) ? port : 0 };
  }
  const c = hp.lastIndexOf(':');
  if (c < 0) return { host: hp, port: 0 };
  const port = Number(hp.slice(c + 1));
  return { host: hp.slice(0, c), port: Number.isInteger(port) ? port : 0 };
}

/** The user part of the URI in a name-addr value, as the call list shows it. */
export function uriUser(value: string): string {
  return parseUri(parseNameAddr(value).uri).user;
}
