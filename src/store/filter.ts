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
import type { ListIndexView, StringColumn } from './dialog-columns.js';
import { compileNetwork } from './filter-net.js';
import { StringVerdicts } from './string-verdicts.js';
import { numberMatcher } from './filter-number.js';
import { parseFilter, type Comparison, type FilterError, type FilterNode, type NumericField } from './filter-parse.js';
import type { ColumnContext } from '../model/columns.js';
import { SEVERITIES } from '../model/finding.js';
import { userAtHost } from './user-at-host.js';
import { worstStream } from './media-facts.js';

export type { FilterError } from './filter-parse.js';

/** The media of a dialog, for the media fields; a store without it has no streams. */
export type MediaFactsView = ColumnContext;

/** What a filter reads. The Store implements it, with the list index; stand-ins without one are read dialog by dialog. */
export type FilterableStore = StoreView & DialogFactsView & MediaFactsView & { readonly listIndex?: ListIndexView };

export interface DialogFilter {
  /** Whether dialog `id` passes (a dialog that is gone never does). */
  test(store: FilterableStore, id: DialogId): boolean;
  /** The expression, for the header line and `-D`. */
  readonly text: string;
  /**
   * Ids of the held dialogs in [from, to) that pass, ascending, all at once over the store's list
   * index; undefined when the store has none (filterDialogs then tests dialog by dialog).
   */
  select?(store: FilterableStore, from: number, to: number): Uint32Array | undefined;
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

/** A compiled expression bound to one store: whether the held dialog `id`, at list-index slot `slot`, passes. */
type Bound = (id: DialogId, slot: number) => boolean;

/**
 * A compiled expression, in two forms over a store: one dialog at a time (bind), or a run of held
 * dialogs at once over the list index (select), which filterDialogs uses. A term on a field the
 * index keeps (method, state, ua, src, dst) reads that column: its test runs once per distinct
 * string, then each dialog costs two typed-array reads, and `and`/`or` test their right side only
 * where the left leaves the answer open.
 */
interface Compiled {
  bind(store: FilterableStore, index: ListIndexView | undefined): Bound;
  /**
   * out[k] = 1 when active[k] = 1 and the held dialog first + k (at slot base + k) passes, else 0,
   * for k < n. `out` may be `active`.
   */
  select(store: FilterableStore, index: ListIndexView, run: Run, active: Uint8Array, out: Uint8Array): void;
}

/** A run of held dialogs: ids first + k at slots base + k, k < n. */
interface Run {
  first: number;
  base: number;
  n: number;
}

/** A term read from the dialog object. */
function onDialog(p: Predicate): Compiled {
  return {
    bind: (s) => (id) => p(s, s.dialog(id)!),
    select: (s, _index, { first, n }, active, out) => {
      for (let k = 0; k < n; k++) out[k] = active[k] === 1 && p(s, s.dialog((first + k) as DialogId)!) ? 1 : 0;
    },
  };
}

/** A term on one string of the dialog, kept by the list index as `column`; `pick` reads the same string from a dialog. */
function onColumn(column: StringColumn, pick: (d: Dialog) => string, test: (value: string) => boolean): Compiled {
  // The verdicts of the last index met, kept while a window grows.
  let verdicts: StringVerdicts | undefined;
  let verdictsOf: ListIndexView | undefined;
  const of = (index: ListIndexView): StringVerdicts => {
    if (verdictsOf !== index || verdicts === undefined) {
      verdictsOf = index;
      verdicts = new StringVerdicts((sid) => index.str(sid), test);
    }
    return verdicts;
  };
  return {
    bind: (s, index) => {
      if (index === undefined) return (id) => test(pick(s.dialog(id)!));
      const v = of(index);
      return (_id, slot) => v.passes(index.strings(column)[slot]!);
    },
    select: (_s, index, { base, n }, active, out) => {
      const col = index.strings(column);
      const v = of(index);
      let table = v.table;
      for (let k = 0; k < n; k++) {
        if (active[k] === 0) {
          out[k] = 0;
          continue;
        }
        const sid = col[base + k]!;
        let verdict = table[sid] ?? 0;
        if (verdict === 0) {
          verdict = v.passes(sid) ? 1 : 2;
          table = v.table;
        }
        out[k] = verdict === 1 ? 1 : 0;
      }
    },
  };
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

function stateTest(value: string, position: number): Compiled {
  const want = value.toUpperCase().replace(/[_-]/g, ' ');
  const state = STATES.find((st) => st === want);
  if (!state) throw new CompileFailure({ message: `unknown call state '${value}' (${STATES.join(', ').toLowerCase()})`, position });
  return onColumn('state', (d) => d.state, (st) => st === state);
}

function termTest(node: Extract<FilterNode, { kind: 'term' }>): Compiled {
  const p = termTestOf(node);
  return typeof p === 'function' ? onDialog(p) : p;
}

/** A term's test: on a column (Compiled) or on the dialog (Predicate). */
function termTestOf(node: Extract<FilterNode, { kind: 'term' }>): Predicate | Compiled {
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
      return onColumn('method', (d) => d.method, (m) => m === want);
    }
    case 'state': return stateTest(value, position);
    case 'callid': return (_s, d) => text(d.callId);
    case 'ua': return onColumn('userAgent', (d) => d.userAgent, text);
    case 'from': return (_s, d) => party(text, exact, d.fromUser, d.fromHost, d.fromDisplay);
    case 'to': return (_s, d) => party(text, exact, d.toUser, d.toHost, d.toDisplay);
    case 'src': return onColumn('src', (d) => d.src, text);
    case 'dst': return onColumn('dst', (d) => d.dst, text);
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

function compileNode(node: FilterNode): Compiled {
  switch (node.kind) {
    case 'and': {
      const l = compileNode(node.left), r = compileNode(node.right);
      return {
        bind: (s, index) => {
          const bl = l.bind(s, index), br = r.bind(s, index);
          return (id, slot) => bl(id, slot) && br(id, slot);
        },
        select: (s, index, run, active, out) => {
          l.select(s, index, run, active, out);
          r.select(s, index, run, out, out);
        },
      };
    }
    case 'or': {
      const l = compileNode(node.left), r = compileNode(node.right);
      return {
        bind: (s, index) => {
          const bl = l.bind(s, index), br = r.bind(s, index);
          return (id, slot) => bl(id, slot) || br(id, slot);
        },
        select: (s, index, run, active, out) => {
          const left = new Uint8Array(run.n);
          l.select(s, index, run, active, left);
          // The right side is asked only where the left failed.
          for (let k = 0; k < run.n; k++) out[k] = active[k]! & (left[k]! ^ 1);
          r.select(s, index, run, out, out);
          for (let k = 0; k < run.n; k++) out[k] = out[k]! | left[k]!;
        },
      };
    }
    case 'not': {
      const o = compileNode(node.operand);
      return {
        bind: (s, index) => {
          const bo = o.bind(s, index);
          return (id, slot) => !bo(id, slot);
        },
        select: (s, index, run, active, out) => {
          const inner = new Uint8Array(run.n);
          o.select(s, index, run, active, inner);
          for (let k = 0; k < run.n; k++) out[k] = active[k]! & (inner[k]! ^ 1);
        },
      };
    }
    case 'has': return onDialog(hasTest(node.header));
    case 'term': return termTest(node);
    case 'compare': return onDialog(compareTest(node.field, node.op, node.value));
  }
}

/** Compiles a filter expression (see FILTER_HELP), or says where it is wrong. An empty expression matches every dialog. */
export function compileFilter(expr: string): DialogFilter | FilterError {
  const text = expr.trim();
  if (text === '') return { test: () => true, text: '', select: heldIn };
  const tree = parseFilter(expr);
  if ('message' in tree) return tree;
  try {
    const compiled = compileNode(tree);
    // Bound to the last store it met: the verdicts of its column terms are kept for the next dialogs.
    let store: FilterableStore | undefined;
    let bound: (id: DialogId) => boolean = () => false;
    // Which dialogs of a run pass, reused: a live window filters new dialogs many times a second.
    let mask = new Uint8Array(0);
    /**
     * The last answer, while the store has not changed: the prompt counts the matches as the
     * expression is typed, and Enter applies the same expression to the same million dialogs.
     */
    let last: { store: FilterableStore; version: number; from: number; to: number; ids: Uint32Array } | undefined;
    return {
      test: (s, id) => {
        if (s !== store) {
          store = s;
          const index = s.listIndex;
          const b = compiled.bind(s, index);
          bound = index === undefined
            ? (i) => s.dialog(i) !== undefined && b(i, -1)
            : (i) => {
              const slot = index.slot(i);
              return slot >= 0 && b(i, slot);
            };
        }
        return bound(id);
      },
      select: (s, from, to) => {
        const index = s.listIndex;
        if (index === undefined) return undefined;
        const lo = Math.max(from, s.firstId);
        const n = Math.max(0, Math.min(to, s.firstId + s.dialogCount()) - lo);
        if (n === 0) return new Uint32Array(0);
        if (last !== undefined && last.store === s && last.version === s.version && last.from === lo && last.to === lo + n) return last.ids;
        if (mask.length < n) mask = new Uint8Array(n + (n >> 2));
        const out = mask.subarray(0, n);
        const run = { first: lo, base: index.slot(lo as DialogId), n };
        compiled.select(s, index, run, out.fill(1), out);
        let hits = 0;
        for (let k = 0; k < n; k++) hits += out[k]!;
        const ids = new Uint32Array(hits);
        for (let k = 0, at = 0; at < hits; k++) if (out[k] === 1) ids[at++] = lo + k;
        last = { store: s, version: s.version, from: lo, to: lo + n, ids };
        return ids;
      },
      text,
    };
  } catch (e) {
    if (e instanceof CompileFailure) return e.error;
    throw e;
  }
}

/** Ids of the held dialogs in [from, to): what the empty expression selects. */
function heldIn(store: FilterableStore, from: number, to: number): Uint32Array {
  const lo = Math.max(from, store.firstId);
  const ids = new Uint32Array(Math.max(0, Math.min(to, store.firstId + store.dialogCount()) - lo));
  for (let k = 0; k < ids.length; k++) ids[k] = lo + k;
  return ids;
}

/**
 * Ids of the held dialogs in [from, to) that pass, ascending (default: every dialog held). A live
 * window filters only the dialogs that arrived since it last looked and appends. The array may be
 * the filter's last answer, handed out again: read it, do not change it.
 */
export function filterDialogs(store: FilterableStore, filter: DialogFilter, from: number = store.firstId, to = store.firstId + store.dialogCount()): Uint32Array {
  const selected = filter.select?.(store, from, to);
  if (selected !== undefined) return selected;
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
