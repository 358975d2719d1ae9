/**
 * The one filter engine behind `--filter`, the TUI filter prompt, the display-filter form and the
 * headless output. An expression compiles once into a predicate over dialog ids; the predicate
 * reads the dialog summary and the facts gathered at ingest (dialog-facts.ts), never the messages,
 * except for `payload`, which reads message bytes (the slow path, as in sngrep).
 *
 *   const f = compileFilter('dstnum=5660066 and has diversion');
 *   if (isFilterError(f)) showError(f.message, f.position);
 *   else window = store.query({ filter: f });            // the matching dialogs, live (query.ts)
 *
 * FILTER_HELP documents the language for help screens and --help.
 */
import type { DialogId } from '../model/ids.js';
import type { Dialog } from '../model/sip.js';
import type { StoreView } from '../model/store-view.js';
import { canonicalHeaderName } from '../sip/headers.js';
import { headerNameKey } from '../sip/message.js';
import type { DialogFactsView, IdentityKind } from './dialog-facts.js';
import { compileNetwork } from './filter-net.js';
import { numberMatcher } from './filter-number.js';
import { parseFilter, type Comparison, type FilterError, type FilterNode, type NumericField } from './filter-parse.js';
import type { ColumnContext } from '../model/columns.js';
import { SEVERITIES } from '../model/finding.js';
import { userAtHost } from './user-at-host.js';
import { worstStream } from './media-facts.js';

export type { FilterError } from './filter-parse.js';

/** The media of a dialog, for the media fields; a store without it has no streams. */
export type MediaFactsView = ColumnContext;

/** What a filter reads. The Store implements it. */
export type FilterableStore = StoreView & DialogFactsView & MediaFactsView;

export interface DialogFilter {
  /** Whether dialog `id` passes (a dialog that is gone never does). */
  test(store: FilterableStore, id: DialogId): boolean;
  /** The expression, for the header line and `-D`. */
  readonly text: string;
}

export const FILTER_HELP = `Filter expressions
  dstnum 4930        number starts with 4930        dstnum=4930123   number is exactly 4930123
  srcnum N           From user                      dstnum N         To user or Request-URI user
  telnum N           srcnum or dstnum               diversion N      user of any Diversion URI
  pai N              any P-Asserted-Identity user   ppi N            any P-Preferred-Identity user
  has HEADER         a message carries the header (has diversion, has pai, has x-call-id)
  ip NET             any message from or to NET (address or CIDR, IPv4 or IPv6); srcip / dstip one side
  method M           dialog method (INVITE, REGISTER, …)
  state S            call state: "call setup", "in call", cancelled, rejected, busy, diverted, completed
  callid T  ua T  from T  to T  src T  dst T  payload T  node T
                     contains T, any case (from/to: user, host or display name; src/dst: first ip:port;
                     ua: User-Agent/Server of the first message; payload: bytes of any message;
                     node: any HEP agent (capture ID, node name or address) that saw the dialog);
                     with = the whole value must equal T (payload: same as contains)
  codec C            an RTP stream's codec contains C (codec=PCMA: is PCMA), any case
  finding F          a finding's code contains F (finding=no-ack: is no-ack); severity S: a finding is S
                     (error, warning, info)
  response N         a response starting with N was seen (response 4: any 4xx; response=486: a 486)
  streams=N  mos<N  loss>N  jitter>N     (operators = < > <= >=) number of RTP streams; worst
                     stream's MOS, loss % and max jitter (ms); a dialog without streams has no MOS/loss/jitter
  Combine with and, or, not (or !) and parentheses; quote values with spaces: state "in call".
  Numbers: sip:/sips:/tel: scheme, host, parameters, a leading + and the separators - . ( ) and
  space are ignored ("+1 (208) 621-2025" is 12086212025). The 00/011 international prefix is
  kept: write "telnum 4930 or telnum 004930" to find both forms.`;

/** From/To: the URI user, its host (so `from example.org` finds a domain), user@host, or (contains only) the display name. */
function party(text: (field: string) => boolean, exact: boolean, user: string, host: string, display: string): boolean {
  return text(user) || text(host) || text(userAtHost(user, host)) || (!exact && text(display));
}

export function isFilterError(f: DialogFilter | FilterError): f is FilterError {
  return 'message' in f;
}

type Predicate = (store: FilterableStore, d: Dialog) => boolean;

const STATES = ['CALL SETUP', 'IN CALL', 'CANCELLED', 'REJECTED', 'BUSY', 'DIVERTED', 'COMPLETED'];
/** Short names people type for headers in `has`. */
const HEADER_ALIASES: Readonly<Record<string, string>> = {
  pai: 'P-Asserted-Identity', ppi: 'P-Preferred-Identity', rpid: 'Remote-Party-ID', ua: 'User-Agent',
};

class CompileFailure extends Error {
  constructor(readonly error: FilterError) {
    super(error.message);
  }
}

function textTest(exact: boolean, value: string): (field: string) => boolean {
  const want = value.toLowerCase();
  return exact ? (f) => f.length === want.length && f.toLowerCase() === want : (f) => f.toLowerCase().includes(want);
}

function numberTest(value: string, exact: boolean, pick: (d: Dialog) => string, pick2?: (d: Dialog) => string): Predicate {
  const matches = numberMatcher(value, exact);
  return pick2 ? (_s, d) => matches(pick(d)) || matches(pick2(d)) : (_s, d) => matches(pick(d));
}

function identityTest(kind: IdentityKind, value: string, exact: boolean): Predicate {
  const matches = numberMatcher(value, exact);
  return (s, d) => s.identityMatches(d.id, kind, matches);
}

/** ip / srcip / dstip: the store's address matcher, made once per store the filter meets. */
function addressTest(test: (ip: string) => boolean, side: 'src' | 'dst' | 'any'): Predicate {
  let seen: FilterableStore | undefined;
  let matcher: (id: DialogId) => boolean = () => false;
  return (s, d) => {
    if (s !== seen) {
      seen = s;
      matcher = s.addressMatcher(test, side);
    }
    return matcher(d.id);
  };
}

function hasTest(name: string): Predicate {
  const { bit, hash } = headerNameKey(canonicalHeaderName(HEADER_ALIASES[name.toLowerCase()] ?? name));
  if (bit >= 0) {
    const flag = 1 << bit;
    return (s, d) => (s.headerMask(d.id) & flag) !== 0;
  }
  return (s, d) => s.hasOtherHeader(d.id, hash);
}

function payloadTest(value: string): Predicate {
  const want = value.toLowerCase();
  return (s, d) => d.messages.some((m) => s.messageBytes(m).toString('latin1').toLowerCase().includes(want));
}

const COMPARE: Record<Comparison, (a: number, b: number) => boolean> = {
  '=': (a, b) => a === b, '<': (a, b) => a < b, '>': (a, b) => a > b, '<=': (a, b) => a <= b, '>=': (a, b) => a >= b,
};

function compareTest(field: NumericField, op: Comparison, value: number): Predicate {
  const cmp = COMPARE[op];
  if (field === 'streams') return (s, d) => cmp(s.streamCount?.(d.id) ?? 0, value);
  return (s, d) => {
    if ((s.streamCount?.(d.id) ?? 0) === 0) return false;
    const w = worstStream(field, s.streams?.(d.id) ?? []);
    return w !== undefined && cmp(w, value);
  };
}

function codecTest(text: (field: string) => boolean): Predicate {
  return (s, d) => (s.streamCount?.(d.id) ?? 0) > 0 && (s.streams?.(d.id) ?? []).some((st) => st.codecs.some(text));
}

function responseTest(value: string, exact: boolean, position: number): Predicate {
  if (!/^[1-6]\d{0,2}$/.test(value)) throw new CompileFailure({ message: `response wants a status code (486) or its first digits (4): '${value}'`, position });
  const want = Number(value);
  // `response 4` is 400…499, `response 48` 480…489.
  const scale = 10 ** (3 - value.length);
  return (s, d) => d.messages.some((m) => {
    const status = s.message(m).status;
    return status !== 0 && (exact ? status === want : Math.floor(status / scale) === want);
  });
}

function stateTest(value: string, position: number): Predicate {
  const want = value.toUpperCase().replace(/[_-]/g, ' ');
  const state = STATES.find((st) => st === want);
  if (!state) throw new CompileFailure({ message: `unknown call state '${value}' (${STATES.join(', ').toLowerCase()})`, position });
  return (_s, d) => d.state === state;
}

function termTest(node: Extract<FilterNode, { kind: 'term' }>): Predicate {
  const { value, exact, position } = node;
  const text = textTest(exact, value);
  switch (node.field) {
    case 'srcnum': return numberTest(value, exact, (d) => d.fromUser);
    case 'dstnum': return numberTest(value, exact, (d) => d.toUser, (d) => d.ruri);
    case 'telnum': return numberTest(value, exact, (d) => d.fromUser, (d) => d.toUser);
    case 'diversion':
    case 'pai':
    case 'ppi': return identityTest(node.field, value, exact);
    case 'ip':
    case 'srcip':
    case 'dstip': {
      const net = compileNetwork(value);
      if (typeof net === 'string') throw new CompileFailure({ message: net, position });
      return addressTest(net, node.field === 'ip' ? 'any' : node.field === 'srcip' ? 'src' : 'dst');
    }
    case 'method': {
      const want = value.toUpperCase();
      return (_s, d) => d.method === want;
    }
    case 'state': return stateTest(value, position);
    case 'callid': return (_s, d) => text(d.callId);
    case 'ua': return (_s, d) => text(d.userAgent);
    case 'from': return (_s, d) => party(text, exact, d.fromUser, d.fromHost, d.fromDisplay);
    case 'to': return (_s, d) => party(text, exact, d.toUser, d.toHost, d.toDisplay);
    case 'src': return (_s, d) => text(d.src);
    case 'dst': return (_s, d) => text(d.dst);
    case 'payload': return payloadTest(value);
    case 'codec': return codecTest(text);
    case 'node': return (_s, d) => d.nodes?.some(text) ?? false;
    case 'finding': return (_s, d) => d.findings?.some((f) => text(f.code)) ?? false;
    case 'response': return responseTest(value, exact, position);
    case 'severity': {
      const want = SEVERITIES.find((s) => s === value.toLowerCase());
      if (!want) throw new CompileFailure({ message: `unknown severity '${value}' (${SEVERITIES.join(', ')})`, position });
      return (_s, d) => d.findings?.some((f) => f.severity === want) ?? false;
    }
  }
}

function compileNode(node: FilterNode): Predicate {
  switch (node.kind) {
    case 'and': {
      const l = compileNode(node.left), r = compileNode(node.right);
      return (s, d) => l(s, d) && r(s, d);
    }
    case 'or': {
      const l = compileNode(node.left), r = compileNode(node.right);
      return (s, d) => l(s, d) || r(s, d);
    }
    case 'not': {
      const o = compileNode(node.operand);
      return (s, d) => !o(s, d);
    }
    case 'has': return hasTest(node.header);
    case 'term': return termTest(node);
    case 'compare': return compareTest(node.field, node.op, node.value);
  }
}

/** Compiles a filter expression (see FILTER_HELP), or says where it is wrong. An empty expression matches every dialog. */
export function compileFilter(expr: string): DialogFilter | FilterError {
  const text = expr.trim();
  if (text === '') return { test: () => true, text: '' };
  const tree = parseFilter(expr);
  if ('message' in tree) return tree;
  try {
    const predicate = compileNode(tree);
    return {
      test: (s, id) => {
        const d = s.dialog(id);
        return d !== undefined && predicate(s, d);
      },
      text,
    };
  } catch (e) {
    if (e instanceof CompileFailure) return e.error;
    throw e;
  }
}

/**
 * Ids of the held dialogs in [from, to) that pass, ascending (default: every dialog held). A live
 * window filters only the dialogs that arrived since it last looked and appends.
 */
export function filterDialogs(store: FilterableStore, filter: DialogFilter, from: number = store.firstId, to = store.firstId + store.dialogCount()): Uint32Array {
  const lo = Math.max(from, store.firstId);
  const out = new Uint32Array(Math.max(0, to - lo));
  let n = 0;
  for (let id = lo; id < to; id++) if (filter.test(store, id as DialogId)) out[n++] = id;
  return out.slice(0, n);
}

/** The display-filter form (sngrep's F7): each filled field narrows the list. */
export interface DisplayFilterFields {
  from?: string;
  to?: string;
  src?: string;
  dst?: string;
  payload?: string;
  /** Checked methods; none checked means any method. */
  methods?: readonly string[];
}

function quote(value: string): string {
  return `"${value.replace(/["\\]/g, '\\$&')}"`;
}

/** The form as a filter expression (its text is what the header shows); fields are "contains", any case. */
export function displayFilter(fields: DisplayFilterFields): DialogFilter {
  const parts: string[] = [];
  for (const key of ['from', 'to', 'src', 'dst', 'payload'] as const) {
    const v = fields[key]?.trim();
    if (v) parts.push(`${key} ${quote(v)}`);
  }
  const methods = fields.methods ?? [];
  if (methods.length > 0) {
    const any = methods.map((m) => `method=${quote(m)}`).join(' or ');
    parts.push(methods.length > 1 && parts.length > 0 ? `(${any})` : any);
  }
  const compiled = compileFilter(parts.join(' and '));
  // Every value is quoted, so the expression is always well formed.
  if (isFilterError(compiled)) throw new Error(`display filter: ${compiled.message}`);
  return compiled;
}
