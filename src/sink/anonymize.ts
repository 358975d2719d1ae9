import { isIPv6 } from 'node:net';
import type { Dialog } from '../model/sip.js';
/**
 * --anonymize: consistent stand-ins for what identifies people and networks in an export. The
 * same original always gets the same stand-in (one Anonymizer per export), so dialogs, Call-IDs
 * and addresses still match up: IPv4 addresses become 10.x.y.z (IPv6 fd00::N, in text too), phone
 * numbers digits of the same length, other SIP users userN, host names hostN.invalid. Numbers are
 * identities only where they name a party (URI user parts, display names, credentials, the SDP
 * origin, fax station IDs); elsewhere a number is replaced only when it is one of those (6 digits or
 * more, outside the numeric headers), so CSeq, ports, session IDs and lengths keep their values. Message text is
 * rewritten with Content-Length fixed to the new body; saved frames are built afresh, so their
 * IP/UDP/TCP checksums are right.
 */
// No lookbehind on digits: a Via branch may glue an address to hex ("…fc8192.168.1.2").
const IPV4 = /(?<!\.)\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}(?![\w]|\.\d)/g;
/** user part of a sip:/sips:/tel: URI. */
const URI_USER = /\b(sips?:|tel:)([^@;>:\s?]+)(?=[@;>\s?]|$)/gi;
/** Who else names a user: digest credentials, the SDP origin. */
const CREDENTIAL = /\b(username=")([^"]*)(?=")/gi;
const SDP_ORIGIN = /^(o=)(\S+)/gm;
/** Unquoted display names of the headers that name a party. */
const BARE_DISPLAY = /^((?:From|To|f|t|Contact|m|P-Asserted-Identity|P-Preferred-Identity|Remote-Party-ID|Diversion|Referred-By|Refer-To|r)[ \t]*:[ \t]*)([^"<\r\n]*?[^\s"<])(?=[ \t]*<)/gim;
/** Quoted display names before a URI. */
const DISPLAY = /"([^"\r\n]*)"(?=\s*<)/g;
/** Domain names (at least two labels, an alphabetic top label), not touching an address. */
const HOSTNAME = /(?<![\w.-])((?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+[a-z]{2,})(?![\w-])/gi;
/** IPv6 candidates (isIPv6 decides): hex groups and colons, maybe a dotted IPv4 tail, not inside a longer token. */
const IPV6 = /(?<![\w:.])(?:[0-9a-f]{0,4}:){2,7}(?:[0-9a-f]{1,4}|\d{1,3}(?:\.\d{1,3}){3})?(?![\w:.])/gi;
/** Runs of 6 or more digits (5 would take RTP ports), optionally with a leading +: replaced when they are a known party's number. */
const NUMBER = /(?<![\w.:=])\+?\d{6,}(?![\w.])/g;
/** Header lines whose numbers are counters, lengths and times, never a party. */
const NUMERIC_HEADER = /^(?:CSeq|Content-Length|l|Max-Forwards|Expires|Min-Expires|Session-Expires|x|Min-SE|RSeq|RAck|Retry-After|Timestamp)[ \t]*:/i;

/** An IPv6 address in its one written form (RFC 5952), so 2001:DB8:0::1 and 2001:db8::1 get one stand-in. */
function canonicalIp6(ip: string): string {
  try {
    return new URL(`http://[${ip}]/`).hostname.slice(1, -1);
  } catch {
    return ip.toLowerCase();
  }
}

export class Anonymizer {
  private readonly ips = new Map<string, string>();
  private readonly users = new Map<string, string>();
  private readonly hosts = new Map<string, string>();
  private readonly numbers = new Map<string, string>();

  /** An address as the export shows it: IPv4 dotted, IPv6 as written. */
  ip(address: string): string {
    const ip = address.includes(':') ? canonicalIp6(address) : address;
    let v = this.ips.get(ip);
    if (v === undefined) {
      const n = this.ips.size + 1;
      v = ip.includes(':') ? `fd00::${n.toString(16)}` : `10.${(n >> 16) & 255}.${(n >> 8) & 255}.${n & 255}`;
      this.ips.set(ip, v);
    }
    return v;
  }

  /** A fax station ID (T.30 TSI/CSI, "+49 30 1234"): its digits as the same number elsewhere gets, spacing kept. */
  station(id: string): string {
    const digits = id.replace(/\D/g, '');
    if (digits === '') return id === '' ? '' : this.user(id);
    const stand = this.number(digits).replace(/\D/g, '');
    let k = 0;
    return id.replace(/\d/g, () => stand[k++] ?? '9');
  }

  /** A phone number: the same length, digits from a counter, '+' kept, so dial plans still read. */
  number(n: string): string {
    let v = this.numbers.get(n);
    if (v === undefined) {
      const digits = n.replace(/^\+/, '');
      const serial = String(this.numbers.size + 1);
      const body = ('9'.repeat(Math.max(0, digits.length - serial.length)) + serial).slice(-digits.length);
      v = (n.startsWith('+') ? '+' : '') + body;
      this.numbers.set(n, v);
    }
    return v;
  }

  user(u: string): string {
    if (/^\+?\d+$/.test(u)) return this.number(u);
    let v = this.users.get(u);
    if (v === undefined) {
      v = `user${this.users.size + 1}`;
      this.users.set(u, v);
    }
    return v;
  }

  host(h: string): string {
    const key = h.toLowerCase();
    let v = this.hosts.get(key);
    if (v === undefined) {
      v = `host${this.hosts.size + 1}.invalid`;
      this.hosts.set(key, v);
    }
    return v;
  }

  /** `ip:port` / `[ip6]:port` with the address replaced. */
  address(a: string): string {
    const m = /^\[(.*)\]:(\d+)$/.exec(a) ?? /^(.*):(\d+)$/.exec(a);
    if (m === null) return this.ip(a);
    const ip = this.ip(m[1]!);
    return ip.includes(':') ? `[${ip}]:${m[2]}` : `${ip}:${m[2]}`;
  }

  /** Free text (a header, a label, an SDP line): every address, user, name, host and number replaced. */
  text(s: string): string {
    return s
      .replace(IPV4, (whole) => (whole.split('.').every((p) => Number(p) <= 255) ? this.ip(whole) : whole))
      .replace(URI_USER, (_m, scheme: string, user: string) => `${scheme}${this.user(user)}`)
      .replace(CREDENTIAL, (_m, key: string, user: string) => `${key}${this.user(user)}`)
      .replace(SDP_ORIGIN, (_m, key: string, user: string) => `${key}${user === '-' ? user : this.user(user)}`)
      .replace(BARE_DISPLAY, (_m, head: string, name: string) => `${head}${this.user(name)}`)
      .replace(DISPLAY, (_m, name: string) => `"${name === '' ? '' : this.user(name)}"`)
      .replace(IPV6, (c) => (/[0-9a-f]/i.test(c) && isIPv6(c) ? this.ip(c) : c))
      .replace(HOSTNAME, (h) => (h.endsWith('.invalid') ? h : this.host(h)))
      .replace(/^.*$/gm, (line) => (NUMERIC_HEADER.test(line) ? line : line.replace(NUMBER, (n) => this.knownNumber(n))));
  }

  /** A number as a party's stand-in when it is one already seen as a party's number (with or without its +), else as it is. */
  private knownNumber(n: string): string {
    if (this.numbers.has(n)) return this.number(n);
    const plain = n.replace(/^\+/, '');
    if (this.numbers.has(plain)) return (n.startsWith('+') ? '+' : '') + this.number(plain);
    if (this.numbers.has(`+${plain}`)) return this.number(`+${plain}`).slice(n.startsWith('+') ? 0 : 1);
    return n;
  }

  /** A SIP message: headers and body rewritten, Content-Length set to the new body's length. */
  message(bytes: Buffer): Buffer {
    const raw = bytes.toString('latin1');
    const end = raw.indexOf('\r\n\r\n');
    if (end < 0) return Buffer.from(this.text(raw), 'latin1');
    const body = this.text(raw.slice(end + 4));
    const head = this.text(raw.slice(0, end)).replace(/^(Content-Length|l)([ \t]*:[ \t]*)\d+/im, (_m, name: string, sep: string) => `${name}${sep}${Buffer.byteLength(body, 'latin1')}`);
    return Buffer.from(`${head}\r\n\r\n${body}`, 'latin1');
  }
}

/** A dialog as an anonymised export shows it (list columns, JSON lines). */
export function anonymizeDialog(d: Dialog, a: Anonymizer): Dialog {
  return {
    ...d,
    // Getters of the store's dialog, which a spread does not copy.
    messages: d.messages,
    messageCount: d.messageCount,
    method: d.method,
    transport: d.transport,
    start: d.start,
    end: d.end,
    state: d.state,
    userAgent: d.userAgent,
    reason: d.reason,
    callId: a.text(d.callId),
    fromUser: d.fromUser === '' ? '' : a.user(d.fromUser),
    toUser: d.toUser === '' ? '' : a.user(d.toUser),
    fromHost: a.text(d.fromHost),
    toHost: a.text(d.toHost),
    fromDisplay: d.fromDisplay === '' ? '' : a.user(d.fromDisplay),
    toDisplay: d.toDisplay === '' ? '' : a.user(d.toDisplay),
    ruri: a.text(d.ruri),
    src: a.address(d.src),
    dst: a.address(d.dst),
    xCallId: a.text(d.xCallId),
    // A node without a name or capture ID is the agent's address.
    nodes: d.nodes?.map((n) => a.text(n)),
  };
}
