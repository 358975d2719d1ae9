/**
 * Header names: compact forms and case-insensitive canonical spellings, so screens and filters can
 * ask for "Call-ID" whatever the wire used ("i", "call-id", "CALL-ID").
 */

/** Compact forms of RFC 3261 §7.3.3 and of the extensions that define one (3265, 3515, 3841, 3892, 4028, 4474). */
const COMPACT: Readonly<Record<string, string>> = {
  a: 'Accept-Contact',
  b: 'Referred-By',
  c: 'Content-Type',
  d: 'Request-Disposition',
  e: 'Content-Encoding',
  f: 'From',
  i: 'Call-ID',
  j: 'Reject-Contact',
  k: 'Supported',
  l: 'Content-Length',
  m: 'Contact',
  n: 'Identity-Info',
  o: 'Event',
  r: 'Refer-To',
  s: 'Subject',
  t: 'To',
  u: 'Allow-Events',
  v: 'Via',
  x: 'Session-Expires',
  y: 'Identity',
};

/** Long names whose conventional spelling is not plain Title-Case of the wire form. */
const KNOWN = [
  'Accept', 'Accept-Encoding', 'Accept-Language', 'Alert-Info', 'Allow', 'Authentication-Info', 'Authorization',
  'Call-ID', 'Call-Info', 'Content-Disposition', 'Content-Language', 'CSeq', 'Date', 'Diversion', 'Error-Info',
  'Expires', 'History-Info', 'In-Reply-To', 'Max-Forwards', 'Min-Expires', 'Min-SE', 'MIME-Version', 'Organization',
  'P-Asserted-Identity', 'P-Preferred-Identity', 'P-Access-Network-Info', 'P-Charging-Vector', 'P-Called-Party-ID',
  'P-Associated-URI', 'Path', 'Priority', 'Privacy', 'Proxy-Authenticate', 'Proxy-Authorization', 'Proxy-Require',
  'RAck', 'Reason', 'Record-Route', 'Replaces', 'Reply-To', 'Require', 'Retry-After', 'Route', 'RSeq',
  'Security-Client', 'Security-Server', 'Security-Verify', 'Server', 'Service-Route', 'Subscription-State',
  'Timestamp', 'Unsupported', 'User-Agent', 'Warning', 'WWW-Authenticate', 'X-Call-ID', 'X-CID',
  ...Object.values(COMPACT),
];

const CANONICAL = new Map<string, string>([
  ...KNOWN.map((n): [string, string] => [n.toLowerCase(), n]),
  ...Object.entries(COMPACT),
]);

/** Names as usually written map to themselves, so the common case needs no lower-casing. */
const AS_WRITTEN = new Map<string, string>([...KNOWN.map((n): [string, string] => [n, n]), ...Object.entries(COMPACT)]);

/** Canonical long form of a header name; unknown names come back unchanged. */
export function canonicalHeaderName(name: string): string {
  return AS_WRITTEN.get(name) ?? CANONICAL.get(name.toLowerCase()) ?? name;
}

/** Whether two header names are the same, given that `canonical` went through canonicalHeaderName. */
export function sameHeader(canonical: string, name: string): boolean {
  return name === canonical || (name.length === canonical.length && name.toLowerCase() === canonical.toLowerCase());
}

/**
 * Headers whose grammar is a comma-separated list (RFC 3261 §7.3.1 allows folding them into one
 * line). Authorization-style headers are absent on purpose: their commas separate parameters.
 */
const MULTI_VALUE = new Set([
  'Accept', 'Accept-Contact', 'Accept-Encoding', 'Accept-Language', 'Alert-Info', 'Allow', 'Allow-Events',
  'Call-Info', 'Contact', 'Content-Encoding', 'Content-Language', 'Diversion', 'Error-Info', 'History-Info',
  'In-Reply-To', 'P-Asserted-Identity', 'P-Associated-URI', 'P-Preferred-Identity', 'Path', 'Proxy-Require',
  'Reason', 'Record-Route', 'Reject-Contact', 'Require', 'Route', 'Security-Client', 'Security-Server',
  'Security-Verify', 'Service-Route', 'Supported', 'Unsupported', 'Via', 'Warning',
].map((n) => n.toLowerCase()));

/** Whether values of this (canonical) header may be split at top-level commas. */
export function isMultiValue(canonicalName: string): boolean {
  return MULTI_VALUE.has(canonicalName.toLowerCase());
}

/** Splits a header value at commas that are outside quotes and angle brackets; parts are trimmed. */
export function splitHeaderList(value: string): string[] {
  const parts: string[] = [];
  let quoted = false;
  let angle = false;
  let start = 0;
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (quoted) {
      if (c === 0x5c) i++; // backslash escapes the next character inside a quoted-string
      else if (c === 0x22) quoted = false;
    } else if (c === 0x22) quoted = true;
    else if (c === 0x3c) angle = true;
    else if (c === 0x3e) angle = false;
    else if (c === 0x2c && !angle) {
      pushTrimmed(parts, value.slice(start, i));
      start = i + 1;
    }
  }
  pushTrimmed(parts, value.slice(start));
  return parts;
}

function pushTrimmed(parts: string[], s: string): void {
  const t = s.trim();
  if (t !== '') parts.push(t);
}
