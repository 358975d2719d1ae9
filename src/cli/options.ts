import yargs from 'yargs';
import { InputError } from '../model/errors.js';

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
  quiet: boolean;
  invitesOnly: boolean;
  limit: number;
  rotate: boolean;
  rtp: boolean;
  bufferBytes: number;
  tzsp: string;
  ascii: boolean;
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

export function parseOptions(argv: string[]): Options {
  const parsed = yargs(argv)
    .scriptName('sipscope')
    .usage('$0 [options] [<match expression>] [<bpf filter>]\n\nFull-screen SIP analyzer for capture files, pcap streams and live capture.')
    .parserConfiguration({ 'parse-positional-numbers': false })
    .option('I', { alias: 'input', type: 'string', describe: 'read a pcap/pcapng file (gzip ok); - reads a pcap stream on stdin' })
    .option('d', { alias: 'device', type: 'string', default: 'any', describe: 'capture on this interface' })
    .option('O', { alias: 'output', type: 'string', describe: 'write every captured packet to this pcap file while running' })
    .option('pcapng', { type: 'boolean', default: false, describe: 'write -O as pcapng' })
    .option('N', { alias: 'no-interface', type: 'boolean', default: false, describe: 'headless: no TUI, print the dialog count (or --json)' })
    .option('json', { type: 'boolean', default: false, describe: 'with -N: one JSON line per dialog, then a summary line' })
    .option('q', { alias: 'quiet', type: 'boolean', default: false, describe: 'with -N: print nothing' })
    .option('c', { alias: 'calls', type: 'boolean', default: false, describe: 'only keep dialogs that start with INVITE' })
    .option('l', { alias: 'limit', type: 'number', describe: 'keep at most N dialogs' })
    .option('R', { alias: 'rotate', type: 'boolean', default: false, describe: 'with -l: drop the oldest dialog instead of ignoring new ones' })
    .option('r', { alias: 'rtp', type: 'boolean', default: false, describe: 'also keep RTP packets' })
    .option('B', { alias: 'buffer', type: 'number', default: 2, describe: 'libpcap buffer size in MiB' })
    .option('m', { alias: 'match', type: 'string', describe: 'match expression (same as the first trailing word)' })
    .option('i', { alias: 'ignore-case', type: 'boolean', default: false, describe: 'match expression ignores case' })
    .option('v', { alias: 'invert', type: 'boolean', default: false, describe: 'invert the match expression' })
    .option('tzsp', { type: 'string', describe: 'receive TZSP frames on udp:ADDR:PORT (default port 37008)' })
    .option('ascii', { type: 'boolean', default: false, describe: 'ASCII line drawing instead of UTF-8' })
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
  // With -m the trailing words can only be the capture filter.
  const split = parsed.m === undefined ? splitPositionals(positionals) : { match: parsed.m, bpf: positionals.join(' ') };
  const limit = parsed.l;
  if (limit !== undefined && (!Number.isInteger(limit) || limit <= 0)) {
    throw new InputError(`-l takes a positive whole number, not ${String(limit)}`);
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
    json: parsed.json,
    quiet: parsed.q,
    invitesOnly: parsed.c,
    limit: limit ?? 0,
    rotate: parsed.R,
    rtp: parsed.r,
    bufferBytes: Math.round(parsed.B * 1024 * 1024),
    tzsp: parsed.tzsp ?? '',
    ascii: parsed.ascii,
  };
}
