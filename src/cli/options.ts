import yargs from 'yargs';
import { InputError } from '../model/errors.js';
import { DEFAULT_HEP_RATE, type ColumnId, type Settings } from '../config/settings.js';
import type { SortSpec } from '../store/query.js';
import type { Rotation } from '../sink/capture-output.js';
import type { DiagnoseThresholds } from '../model/finding.js';

/** Everything the command line decides, in domain terms. */
export interface Options {
  /** Capture files, or '-' for a pcap stream on stdin. Empty: live capture on `device`. */
  inputs: string[];
  device: string;
  /** BPF filter for live capture (trailing words that read as a filter). */
  bpf: string;
  /** sngrep match expression: dialogs whose first message payload matches. */
  match: string;
  matchIgnoreCase: boolean;
  matchInvert: boolean;
  output: string;
  pcapng: boolean;
  headless: boolean;
  json: boolean;
  /** With -N: the triage table (findings and response codes across all dialogs). */
  report: boolean;
  /** false with --no-diagnose: no rule runs, no dialog has findings. */
  diagnose: boolean;
  quiet: boolean;
  invitesOnly: boolean;
  limit: number;
  rotate: boolean;
  rtp: boolean;
  bufferBytes: number;
  tzsp: string;
  ascii: boolean;
  /** Filter expression (srcnum, dstnum, has, ip …) applied to the list and to headless output. */
  filter: string;
  /** -f FILE: the rc file to read instead of the default one; -F: read none; -D: print the settings. */
  rcFile: string;
  noRc: boolean;
  dumpSettings: boolean;
  /** TLS: SSLKEYLOGFILE to decrypt with, RSA server keys (-k), and whether pcapng output leaves the secrets out. */
  keylog: string;
  keys: string[];
  stripSecrets: boolean;
  /** Capture locally with libpcap: -d was given, or there is no other input. */
  captureLocal: boolean;
  /** -L: HEP listeners, 'udp:ADDR:PORT' / 'tcp:ADDR:PORT'. */
  hepListen: string[];
  /** -H: forward every stored SIP message as HEPv3 to this 'udp:ADDR:PORT' / 'tcp:ADDR:PORT', '' for none. */
  hepSend: string;
  /** --hep-id: capture agent ID sent with -H. */
  hepId: number;
  /** --hep-password: auth key sent with -H and required from agents with -L ('' for none). */
  hepPassword: string;
  /** --hep-rate: messages a second -H sends at most when reading a file (0: as fast as it is read). */
  hepRate: number;
  /** --flow OUT: write the ladder of the matching dialogs (format from the extension), '' for none. */
  flow: string;
  /** --anonymize: exports (--flow, -T, --csv, --json) show consistent stand-ins for numbers, users, hosts and addresses. */
  anonymize: boolean;
  /** --json messages: one line per SIP message instead of per dialog. */
  jsonMessages: boolean;
  /** --csv OUT: the call list (visible columns, sort) as CSV; -T/--text FILE: the dialogs as sngrep's text (-N or the TUI); '' for none. */
  csv: string;
  text: string;
  /** -O rotation (--rotate-size, --rotate-time, --rotate-files), undefined without. */
  rotation: Rotation | undefined;
  /** The call list's columns and sort, from the rc file (CSV export). */
  listColumns: ColumnId[];
  listSort: SortSpec;
  /** The diagnosis rules' thresholds (rc file diag.* keys). */
  diag: DiagnoseThresholds;
  /** What --flow draws besides the messages, from the rc file: SDP on the arrows (cf.sdpinfo), RTP and DTMF rows (cf.media). */
  flowView: Settings['flow'];
}

/** Options the rc file may set; the command line wins when it gives them. */
type FromSettings =
  | 'device' | 'bufferBytes' | 'rtp' | 'limit' | 'rotate' | 'ascii' | 'hepListen' | 'hepSend' | 'hepId' | 'hepPassword' | 'hepRate'
  | 'listColumns' | 'listSort' | 'diag' | 'flowView';
export type CommandLine = Omit<Options, FromSettings | 'captureLocal'> & Partial<Pick<Options, FromSettings>>;

/** Fills what the command line left open from the rc file's settings. */
export function withSettings(cl: CommandLine, s: Settings): Options {
  return {
    ...cl,
    device: cl.device ?? (s.capture.device || 'any'),
    bufferBytes: cl.bufferBytes ?? Math.round(s.capture.bufferMiB * 1024 * 1024),
    rtp: cl.rtp ?? s.capture.rtp,
    limit: cl.limit ?? s.limit,
    rotate: cl.rotate ?? s.rotate,
    ascii: cl.ascii ?? s.ascii,
    bpf: cl.bpf || s.capture.bpf,
    captureLocal: cl.device !== undefined || (cl.inputs.length === 0 && cl.tzsp === '' && (cl.hepListen ?? []).length === 0 && s.hep.listen === ''),
    hepListen: cl.hepListen ?? (s.hep.listen === '' ? [] : [s.hep.listen]),
    hepSend: cl.hepSend ?? s.hep.send,
    hepId: cl.hepId ?? s.hep.id,
    hepPassword: cl.hepPassword ?? s.hep.password,
    hepRate: cl.hepRate ?? s.hep.rate,
    listColumns: s.columns.map((c) => c.id),
    listSort: { key: s.sortKey, descending: s.sortDescending },
    diag: cl.diag ?? s.diag,
    flowView: { ...s.flow },
  };
}

/** First words of a BPF expression: trailing words starting with one of these are the capture filter. */
const BPF_WORDS = new Set([
  'port', 'portrange', 'host', 'net', 'src', 'dst', 'udp', 'tcp', 'sctp', 'ip', 'ip6', 'ether', 'vlan',
  'not', 'proto', 'arp', 'icmp', 'icmp6', 'less', 'greater', 'gateway', 'broadcast', 'multicast', 'mpls', '(', '!',
]);

/** Splits trailing words into sngrep's `[<match expression>] [<bpf filter>]`. */
export function splitPositionals(words: string[]): { match: string; bpf: string } {
  if (words.length === 0) return { match: '', bpf: '' };
  const first = words[0]!.toLowerCase();
  const firstIsBpf = BPF_WORDS.has(first) || first.startsWith('(');
  return firstIsBpf
    ? { match: '', bpf: words.join(' ') }
    : { match: words[0]!, bpf: words.slice(1).join(' ') };
}

/** A numeric option given as text, so an error can quote what the user typed (yargs would make 'abc' NaN). */
function numberOption(raw: string | string[] | undefined, flag: string, expects: string, valid: (n: number) => boolean): number | undefined {
  if (raw === undefined) return undefined;
  const text = [raw].flat().at(-1)!;
  const n = text.trim() === '' ? NaN : Number(text);
  if (!valid(n)) throw new InputError(`${flag} expects ${expects}; got '${text}'`);
  return n;
}

/** A number with a unit suffix from `units` ("100M", "1h"); `flag` and `expects` word the error. */
function unitOption(raw: string | string[] | undefined, flag: string, expects: string, units: Record<string, number>): number | undefined {
  if (raw === undefined) return undefined;
  const text = [raw].flat().at(-1)!;
  const m = /^\s*(\d+(?:\.\d+)?)\s*([a-zA-Z]*)\s*$/.exec(text);
  const unit = m === null ? undefined : units[m[2]!.toLowerCase()];
  const n = m === null || unit === undefined ? NaN : Number(m[1]) * unit;
  if (!(n > 0) || !Number.isFinite(n)) throw new InputError(`${flag} expects ${expects}; got '${text}'`);
  return n;
}

const SIZE_UNITS = { '': 1, k: 1024, kb: 1024, m: 1024 ** 2, mb: 1024 ** 2, g: 1024 ** 3, gb: 1024 ** 3 };
const TIME_UNITS = { '': 1, s: 1, m: 60, min: 60, h: 3600, d: 86400 };

function rotationOf(parsed: { O?: string; 'rotate-size'?: string; 'rotate-time'?: string; 'rotate-files'?: string }): Rotation | undefined {
  const size = unitOption(parsed['rotate-size'], '--rotate-size', 'a file size, e.g. 100M (k, M, G)', SIZE_UNITS);
  const secs = unitOption(parsed['rotate-time'], '--rotate-time', 'a duration, e.g. 1h (s, m, h, d)', TIME_UNITS);
  const files = numberOption(parsed['rotate-files'], '--rotate-files', 'a file count: a whole number from 1 up, e.g. --rotate-files 24', (n) => Number.isInteger(n) && n > 0);
  if (size === undefined && secs === undefined && files === undefined) return undefined;
  if (parsed.O === undefined) throw new InputError('--rotate-size, --rotate-time and --rotate-files need -O FILE');
  if (size === undefined && secs === undefined) throw new InputError('--rotate-files needs --rotate-size or --rotate-time');
  return { sizeBytes: Math.round(size ?? 0), intervalNs: BigInt(Math.round((secs ?? 0) * 1e9)), files: files ?? 0 };
}

export function parseOptions(argv: string[]): CommandLine {
  const parsed = yargs(argv)
    .scriptName('sipscope')
    .usage('$0 [options] [<match expression>] [<bpf filter>]\n\nFull-screen SIP analyzer for capture files, pcap streams and live capture.')
    .parserConfiguration({ 'parse-positional-numbers': false })
    .option('I', { alias: 'input', type: 'string', describe: 'read a pcap/pcapng file (gzip ok); - reads a pcap stream on stdin' })
    .option('d', { alias: 'device', type: 'string', describe: 'capture on this interface (default any)' })
    .option('O', { alias: 'output', type: 'string', describe: 'write every captured packet to this pcap file while running' })
    .option('pcapng', { type: 'boolean', default: false, describe: 'write -O as pcapng' })
    .option('rotate-size', { type: 'string', describe: 'with -O: start the next file (FILE.1.pcap, FILE.2.pcap …) past this size, e.g. 100M' })
    .option('rotate-time', { type: 'string', describe: 'with -O: start the next file when the current one is this old (wall time live, capture time for files), e.g. 1h' })
    .option('rotate-files', { type: 'string', describe: 'with --rotate-size/--rotate-time: keep only the last N files' })
    .option('N', { alias: 'no-interface', type: 'boolean', default: false, describe: 'headless: no TUI, print the dialog count (or --json)' })
    .option('json', { type: 'string', describe: 'with -N: one JSON line per dialog, then a summary line; --json messages: one per SIP message' })
    .option('anonymize', { type: 'boolean', default: false, describe: 'exports (--flow, -T, --csv, --json, TUI saves) replace numbers, users, hosts and IPs with consistent stand-ins (not with -O)' })
    .option('csv', { type: 'string', describe: 'with -N: write the filtered, sorted call list (visible columns) to OUT as CSV' })
    .option('T', { alias: 'text', type: 'string', describe: 'write the matching dialogs to FILE as text (as sngrep -T): with -N at the end, with the TUI when it quits' })
    .option('report', { type: 'boolean', default: false, describe: 'with -N: print the triage table (findings and response codes across all dialogs)' })
    .option('diagnose', { type: 'boolean', default: true, describe: 'run the diagnosis rules; --no-diagnose: none (no findings in the list, the flow, --json or --report), a faster load of a huge capture' })
    .option('q', { alias: 'quiet', type: 'boolean', default: false, describe: 'with -N: print nothing' })
    .option('c', { alias: 'calls', type: 'boolean', default: false, describe: 'only keep dialogs that start with INVITE' })
    .option('l', { alias: 'limit', type: 'string', describe: 'keep at most N dialogs' })
    .option('R', { alias: 'rotate', type: 'boolean', describe: 'with -l: drop the oldest dialog instead of ignoring new ones' })
    .option('r', { alias: 'rtp', type: 'boolean', describe: 'also keep RTP packets' })
    .option('B', { alias: 'buffer', type: 'string', describe: 'libpcap buffer size in MiB (default 32)' })
    .option('m', { alias: 'match', type: 'string', describe: 'match expression (same as the first trailing word)' })
    .option('i', { alias: 'ignore-case', type: 'boolean', default: false, describe: 'match expression ignores case' })
    .option('v', { alias: 'invert', type: 'boolean', default: false, describe: 'invert the match expression' })
    .option('tzsp', { type: 'string', describe: 'receive TZSP frames on udp:ADDR:PORT (default port 37008)' })
    .option('L', { alias: 'hep-listen', type: 'string', describe: 'collect HEP v1-v3 from agents on udp:ADDR:PORT or tcp:ADDR:PORT (repeatable)' })
    .option('H', { alias: 'hep-send', type: 'string', describe: 'forward every SIP message as HEPv3 to udp:ADDR:PORT or tcp:ADDR:PORT' })
    .option('hep-id', { type: 'string', describe: 'capture agent ID sent with -H (default 2002)' })
    .option('hep-password', { type: 'string', describe: 'HEP auth key: sent with -H, required from agents with -L' })
    .option('hep-rate', { type: 'string', describe: `messages/s -H sends at most from a file (default ${DEFAULT_HEP_RATE}; 0: unpaced)` })
    .option('ascii', { type: 'boolean', describe: 'ASCII line drawing instead of UTF-8' })
    .option('filter', { type: 'string', describe: "filter expression, e.g. 'dstnum=5660066 and has diversion' (see the help screen)" })
    .option('flow', { type: 'string', describe: 'with -N: write the call flow of the matching dialogs to OUT (.txt, .md, .svg, .html)' })
    .option('f', { alias: 'config', type: 'string', describe: 'read settings from this rc file' })
    .option('F', { alias: 'no-config', type: 'boolean', default: false, describe: 'read no rc file' })
    .option('keylog', { type: 'string', describe: 'decrypt TLS with this SSLKEYLOGFILE (re-read as it grows)' })
    .option('k', { alias: 'key', type: 'string', describe: 'decrypt TLS with RSA key exchange using this server private key (PEM; repeatable)' })
    .option('strip-secrets', { type: 'boolean', default: false, describe: 'pcapng -O output without a Decryption Secrets Block' })
    .option('D', { alias: 'dump-config', type: 'boolean', default: false, describe: 'print the effective settings and key bindings, then exit' })
    .epilog('Keys, filter language, rc file, exit codes and examples: man sipscope')
    .version()
    .alias('V', 'version')
    .help()
    .alias('h', 'help')
    .strictOptions()
    .wrap(Math.min(100, process.stdout.columns || 80))
    .fail((msg, err) => {
      throw new InputError(err ? err.message : msg);
    })
    .parseSync();

  const positionals = parsed._.map(String);
  // --json takes an optional mode; any other word after it was a trailing word (match or BPF filter).
  const json = parsed.json;
  if (json !== undefined && json !== '' && json !== 'messages') positionals.unshift(json);
  // With -m the trailing words can only be the capture filter.
  const split = parsed.m === undefined ? splitPositionals(positionals) : { match: parsed.m, bpf: positionals.join(' ') };
  const limit = numberOption(parsed.l, '-l', 'a dialog count: a whole number from 1 up, e.g. -l 5000', (n) => Number.isInteger(n) && n > 0);
  const bufferMiB = numberOption(parsed.B, '-B', 'a buffer size in MiB greater than 0, e.g. -B 16', (n) => n > 0);
  const hepId = numberOption(parsed['hep-id'], '--hep-id', 'a capture agent ID: a whole number from 0 to 4294967295', (n) => Number.isInteger(n) && n >= 0 && n <= 0xffffffff);
  const hepRate = numberOption(parsed['hep-rate'], '--hep-rate', 'messages a second: a whole number from 0 (unpaced) up, e.g. --hep-rate 10000', (n) => Number.isInteger(n) && n >= 0);
  if (parsed.H !== undefined && Array.isArray(parsed.H)) throw new InputError('one -H target at a time');
  // -O writes every packet as captured (RTP voice and all): nothing there can be anonymised honestly.
  if (parsed.anonymize && parsed.O !== undefined) {
    throw new InputError('--anonymize does not apply to -O, which writes every packet as captured; save anonymised dialogs from the TUI (F2) or with -N and -T, --flow, --csv or --json');
  }
  return {
    inputs: parsed.I === undefined ? [] : [parsed.I].flat(),
    device: parsed.d,
    bpf: split.bpf,
    match: split.match,
    matchIgnoreCase: parsed.i,
    matchInvert: parsed.v,
    output: parsed.O ?? '',
    pcapng: parsed.pcapng,
    headless: parsed.N,
    json: json !== undefined,
    jsonMessages: json === 'messages',
    csv: parsed.csv ?? '',
    anonymize: parsed.anonymize,
    text: parsed.T ?? '',
    report: parsed.report,
    diagnose: parsed.diagnose,
    quiet: parsed.q,
    invitesOnly: parsed.c,
    limit,
    rotate: parsed.R,
    rtp: parsed.r,
    bufferBytes: bufferMiB === undefined ? undefined : Math.round(bufferMiB * 1024 * 1024),
    tzsp: parsed.tzsp ?? '',
    ascii: parsed.ascii,
    filter: parsed.filter ?? '',
    rcFile: parsed.f ?? '',
    noRc: parsed.F,
    dumpSettings: parsed.D,
    keylog: parsed.keylog ?? '',
    // Repeated -k gives an array; not `array: true`, which would swallow the trailing BPF words.
    keys: parsed.k === undefined ? [] : [parsed.k].flat(),
    stripSecrets: parsed['strip-secrets'],
    hepListen: parsed.L === undefined ? undefined : [parsed.L].flat(),
    hepSend: parsed.H,
    hepId,
    hepPassword: parsed['hep-password'],
    hepRate,
    flow: parsed.flow ?? '',
    rotation: rotationOf(parsed),
  };
}
