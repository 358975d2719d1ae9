/**
 * Settings with their defaults, and the table of `set KEY VALUE` keys that both the rc-file reader
 * and the -D dump use, so every readable key is dumped and every dumped line reads back.
 */
import { COLUMN_IDS, DEFAULT_COLUMNS, type ColumnId } from '../model/columns.js';
import { DEFAULT_THRESHOLDS, type DiagnoseThresholds } from '../model/finding.js';
import { SDP_MODES, type SdpMode } from '../model/flow.js';

/**
 * -H from a file: messages a second at most. A file is read far faster than a collector stores
 * (Kamailio's sipcapture with one worker writing a database); over UDP what it cannot take is lost.
 */
export const DEFAULT_HEP_RATE = 1000;

export { COLUMN_IDS, type ColumnId } from '../model/columns.js';

export type ColorDepth = 'auto' | '8' | '16' | '256' | 'truecolor';

/** One call-list column; width 0 lets the layout decide. */
export interface ColumnSetting {
  id: ColumnId;
  width: number;
}

export interface Settings {
  color: boolean;
  colorDepth: ColorDepth;
  theme: string;
  /** ASCII line drawing instead of UTF-8. */
  ascii: boolean;
  /** Call-list columns in display order. */
  columns: ColumnSetting[];
  sortKey: ColumnId;
  sortDescending: boolean;
  /** Maximum dialogs held (-l), 0 for no limit; rotate drops the oldest instead of ignoring new ones. */
  limit: number;
  rotate: boolean;
  /** Default directory of the save dialog. */
  savePath: string;
  /** q/Esc on the call list ask "Quit sipscope? [y/n]" first (sngrep's exit prompt). */
  exitPrompt: boolean;
  /** Syntax colours in the call flow's message pane and the raw view (C toggles them). */
  syntax: boolean;
  capture: { device: string; bufferMiB: number; rtp: boolean; bpf: string };
  /** HEP listener ("udp:ADDR:PORT") and forwarding target, agent id and password. */
  hep: { listen: string; send: string; id: number; password: string; rate: number };
  /** Thresholds of the diagnosis rules (slow-setup, media-quality, late-media). */
  diag: DiagnoseThresholds;
  /**
   * The call-flow ladder: what arrows carrying SDP say (sngrep's cf.sdpinfo), RTP and DTMF rows
   * (cf.media), and whether the message pane wraps long lines (as sngrep's) or cuts and scrolls them.
   */
  flow: { sdp: SdpMode; media: boolean; wrap: boolean };
  /**
   * Names for addresses, from the rc file's `alias ADDRESS NAME` lines (sngrep's): ADDRESS is an ip
   * (every port) or an ip:port. Shown instead of the address while displayAlias is on (a toggles).
   */
  aliases: Alias[];
  displayAlias: boolean;
  /** What colours the flow's arrows (sngrep's colormode; c cycles it in the list and the flow). */
  colorMode: ColorMode;
}

/** sngrep's colour modes, in the order c steps through them: by request/response, by CSeq, by Call-ID (dialog). */
export const COLOR_MODES = ['request', 'cseq', 'callid'] as const;
export type ColorMode = (typeof COLOR_MODES)[number];

export interface Alias {
  /** "10.0.0.1", "10.0.0.1:5060", "2001:db8::1" or "[2001:db8::1]:5060", as addresses are written elsewhere. */
  address: string;
  name: string;
}

/** The rc file names at most this many addresses; lines past it are warnings. */
export const MAX_ALIASES = 4096;

const IPV4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;

function isIp(host: string): boolean {
  const v4 = IPV4.exec(host);
  if (v4 !== null) return v4.slice(1).every((o) => Number(o) <= 255);
  return (host.match(/:/g)?.length ?? 0) >= 2 && /^[0-9a-f:.]+$/i.test(host);
}

function isPort(p: string): boolean {
  return /^\d{1,5}$/.test(p) && Number(p) <= 65535;
}

/**
 * An alias as written after `alias` (address, then the name: the rest of the line), or why it
 * cannot be one. The address is kept as the list and the flow write it ("[v6]:port" for IPv6 with a port).
 */
export function parseAlias(address: string, name: string): Alias | string {
  if (name === '') return `expected 'alias ADDRESS NAME', no name for '${address}'`;
  const bracket = /^\[([^\]]+)\](?::(\d+))?$/.exec(address);
  if (bracket !== null) {
    const [, host = '', port] = bracket;
    if (!isIp(host) || (port !== undefined && !isPort(port))) return `'${address}' is not an address (ip or ip:port)`;
    return { address: port === undefined ? host : `[${host}]:${port}`, name };
  }
  if (isIp(address)) return { address, name };
  const colon = address.lastIndexOf(':');
  const host = address.slice(0, colon);
  if (colon > 0 && IPV4.test(host) && isIp(host) && isPort(address.slice(colon + 1))) return { address, name };
  return `'${address}' is not an address (ip or ip:port)`;
}

/** Address → name, what the list, the flow and the raw view look names up in. */
export function aliasMap(settings: Settings): ReadonlyMap<string, string> {
  return new Map(settings.aliases.map((a) => [a.address, a.name]));
}

/** The names in effect: undefined while displayalias is off or the rc file names no address. */
export function shownAliases(settings: Settings): ReadonlyMap<string, string> | undefined {
  return settings.displayAlias && settings.aliases.length > 0 ? aliasMap(settings) : undefined;
}

export function defaultSettings(): Settings {
  return {
    color: true,
    colorDepth: 'auto',
    theme: 'default',
    ascii: false,
    columns: DEFAULT_COLUMNS.map((id) => ({ id, width: 0 })),
    sortKey: 'index',
    sortDescending: false,
    limit: 0,
    rotate: false,
    savePath: '.',
    exitPrompt: true,
    syntax: true,
    capture: { device: 'any', bufferMiB: 32, rtp: false, bpf: '' },
    hep: { listen: '', send: '', id: 2002, password: '', rate: DEFAULT_HEP_RATE },
    diag: { ...DEFAULT_THRESHOLDS },
    flow: { sdp: 'off', media: true, wrap: true },
    aliases: [],
    displayAlias: false,
    colorMode: 'request',
  };
}

/** Reads a value into settings, or says why it cannot (the reader adds file and line). */
type Setter = (s: Settings, value: string) => string | undefined;

export interface SettingKey {
  key: string;
  /** sngreprc spellings accepted as well. */
  aliases?: readonly string[];
  description: string;
  get(s: Settings): string;
  set: Setter;
}

const ON = new Set(['on', 'yes', 'true', '1']);
const OFF = new Set(['off', 'no', 'false', '0']);

function flag(get: (s: Settings) => boolean, put: (s: Settings, v: boolean) => void): Pick<SettingKey, 'get' | 'set'> {
  return {
    get: (s) => (get(s) ? 'on' : 'off'),
    set: (s, v) => {
      const low = v.toLowerCase();
      if (!ON.has(low) && !OFF.has(low)) return `expected on or off, not '${v}'`;
      put(s, ON.has(low));
      return undefined;
    },
  };
}

function count(get: (s: Settings) => number, put: (s: Settings, v: number) => void, max = Number.MAX_SAFE_INTEGER): Pick<SettingKey, 'get' | 'set'> {
  return {
    get: (s) => String(get(s)),
    set: (s, v) => {
      if (!/^\d+$/.test(v) || Number(v) > max) return `expected a whole number up to ${max}, not '${v}'`;
      put(s, Number(v));
      return undefined;
    },
  };
}

function text(get: (s: Settings) => string, put: (s: Settings, v: string) => void): Pick<SettingKey, 'get' | 'set'> {
  return { get, set: (s, v) => void put(s, v) };
}

function oneOf<T extends string>(values: readonly T[], get: (s: Settings) => T, put: (s: Settings, v: T) => void): Pick<SettingKey, 'get' | 'set'> {
  return {
    get,
    set: (s, v) => {
      const found = values.find((x) => x.toLowerCase() === v.toLowerCase());
      if (found === undefined) return `expected one of ${values.join(', ')}, not '${v}'`;
      put(s, found);
      return undefined;
    },
  };
}

/** A non-negative decimal number, stored times `scale` (seconds written, milliseconds kept). */
function decimal(get: (s: Settings) => number, put: (s: Settings, v: number) => void, scale = 1): Pick<SettingKey, 'get' | 'set'> {
  return {
    get: (s) => String(get(s) / scale),
    set: (s, v) => {
      if (!/^\d+(\.\d+)?$/.test(v)) return `expected a number, not '${v}'`;
      put(s, Number(v) * scale);
      return undefined;
    },
  };
}

/** "index,method,from:30,to:30" ↔ columns. */
const columnList: Pick<SettingKey, 'get' | 'set'> = {
  get: (s) => s.columns.map((c) => (c.width > 0 ? `${c.id}:${c.width}` : c.id)).join(','),
  set: (s, v) => {
    const columns: ColumnSetting[] = [];
    for (const item of v.split(',').map((x) => x.trim()).filter((x) => x !== '')) {
      const [name = '', width = '0'] = item.split(':');
      const id = COLUMN_IDS.find((k) => k.toLowerCase() === name.toLowerCase());
      if (!id) return `unknown column '${name}' (${COLUMN_IDS.join(', ')})`;
      if (!/^\d+$/.test(width)) return `bad width '${width}' for column ${id}`;
      columns.push({ id, width: Number(width) });
    }
    if (columns.length === 0) return 'at least one column is needed';
    s.columns = columns;
    return undefined;
  },
};

export const SETTING_KEYS: readonly SettingKey[] = [
  { key: 'color', aliases: ['colors'], description: 'colours on or off', ...flag((s) => s.color, (s, v) => { s.color = v; }) },
  {
    key: 'color.depth', description: 'auto, 8, 16, 256 or truecolor',
    ...oneOf<ColorDepth>(['auto', '8', '16', '256', 'truecolor'], (s) => s.colorDepth, (s, v) => { s.colorDepth = v; }),
  },
  { key: 'theme', aliases: ['background'], description: 'colour theme name', ...text((s) => s.theme, (s, v) => { s.theme = v; }) },
  { key: 'ascii', description: 'ASCII line drawing', ...flag((s) => s.ascii, (s, v) => { s.ascii = v; }) },
  { key: 'cl.columns', description: 'call-list columns in order, ID or ID:WIDTH, comma separated', ...columnList },
  {
    key: 'cl.sortfield', description: 'column the list is sorted by',
    ...oneOf(COLUMN_IDS, (s) => s.sortKey, (s, v) => { s.sortKey = v; }),
  },
  {
    key: 'cl.sortorder', description: 'asc or desc',
    ...oneOf(['asc', 'desc'] as const, (s) => (s.sortDescending ? 'desc' : 'asc'), (s, v) => { s.sortDescending = v === 'desc'; }),
  },
  { key: 'cl.exitprompt', description: 'q and Esc on the call list ask before quitting', ...flag((s) => s.exitPrompt, (s, v) => { s.exitPrompt = v; }) },
  { key: 'syntax', description: 'syntax colours in the message pane and raw view', ...flag((s) => s.syntax, (s, v) => { s.syntax = v; }) },
  { key: 'capture.limit', description: 'maximum dialogs held, 0 for no limit', ...count((s) => s.limit, (s, v) => { s.limit = v; }) },
  { key: 'capture.rotate', description: 'drop the oldest dialog at the limit', ...flag((s) => s.rotate, (s, v) => { s.rotate = v; }) },
  { key: 'capture.device', description: 'live capture interface', ...text((s) => s.capture.device, (s, v) => { s.capture.device = v; }) },
  {
    key: 'capture.buffer', description: 'libpcap buffer in MiB',
    ...count((s) => s.capture.bufferMiB, (s, v) => { s.capture.bufferMiB = v; }, 4096),
  },
  { key: 'capture.rtp', description: 'keep RTP packets', ...flag((s) => s.capture.rtp, (s, v) => { s.capture.rtp = v; }) },
  { key: 'capture.bpf', description: 'default capture filter', ...text((s) => s.capture.bpf, (s, v) => { s.capture.bpf = v; }) },
  {
    key: 'savepath', aliases: ['sngrep.savepath'], description: 'directory the save dialog starts in',
    ...text((s) => s.savePath, (s, v) => { s.savePath = v; }),
  },
  { key: 'hep.listen', aliases: ['eep.listen'], description: 'HEP listener, udp:ADDR:PORT', ...text((s) => s.hep.listen, (s, v) => { s.hep.listen = v; }) },
  { key: 'hep.send', aliases: ['eep.send'], description: 'forward to HEP collector, udp:ADDR:PORT', ...text((s) => s.hep.send, (s, v) => { s.hep.send = v; }) },
  { key: 'hep.rate', description: 'HEP messages/s sent at most from a file, 0 unpaced', ...count((s) => s.hep.rate, (s, v) => { s.hep.rate = v; }) },
  { key: 'hep.id', aliases: ['eep.id'], description: 'HEP capture agent id', ...count((s) => s.hep.id, (s, v) => { s.hep.id = v; }, 0xffffffff) },
  {
    key: 'hep.password', aliases: ['eep.password'], description: 'HEP authentication key',
    ...text((s) => s.hep.password, (s, v) => { s.hep.password = v; }),
  },
  {
    key: 'cf.sdpinfo', description: 'SDP on call-flow arrows: off ("(SDP)"), first (address, port, codec of the first media) or full (every m= line)',
    ...oneOf(SDP_MODES, (s) => s.flow.sdp, (s, v) => { s.flow.sdp = v; }),
  },
  {
    key: 'cf.media', description: 'RTP streams (codec, packets, loss, MOS) and RFC 4733 key presses as rows of the call flow',
    ...flag((s) => s.flow.media, (s, v) => { s.flow.media = v; }),
  },
  {
    key: 'cf.wrap', description: 'the call flow\'s message pane wraps long lines, as sngrep\'s; off: they are cut at its edges, marked, and scroll sideways (W toggles, Tab gives the pane the keys)',
    ...flag((s) => s.flow.wrap, (s, v) => { s.flow.wrap = v; }),
  },
  {
    key: 'colormode', description: 'call-flow arrows coloured by request (request or response), cseq or callid (dialog); c cycles',
    ...oneOf(COLOR_MODES, (s) => s.colorMode, (s, v) => { s.colorMode = v; }),
  },
  {
    key: 'displayalias', aliases: ['sngrep.displayalias'],
    description: 'show the names of the rc file\'s alias lines instead of the addresses (call list Source/Destination, call flow hosts, raw view); a toggles',
    ...flag((s) => s.displayAlias, (s, v) => { s.displayAlias = v; }),
  },
  { key: 'diag.setup', description: 'slow-setup: post-dial delay threshold, seconds', ...decimal((s) => s.diag.setupMs, (s, v) => { s.diag.setupMs = v; }, 1000) },
  { key: 'diag.loss', description: 'media-quality: packet loss threshold, %', ...decimal((s) => s.diag.lossPct, (s, v) => { s.diag.lossPct = v; }) },
  { key: 'diag.jitter', description: 'media-quality: jitter threshold, ms', ...decimal((s) => s.diag.jitterMs, (s, v) => { s.diag.jitterMs = v; }) },
  { key: 'diag.mos', description: 'media-quality: MOS below this is poor', ...decimal((s) => s.diag.mos, (s, v) => { s.diag.mos = v; }) },
  {
    key: 'diag.latemedia', description: 'late-media: first RTP after the 200 OK later than this, seconds',
    ...decimal((s) => s.diag.lateMediaMs, (s, v) => { s.diag.lateMediaMs = v; }, 1000),
  },
];

/**
 * The alias lines as one editable text ("10.0.0.1 pbx; 10.0.0.2:5060 gw") for the settings screen;
 * the rc file keeps them as `alias` lines (not in SETTING_KEYS, so they are never a `set` line).
 */
export const ALIAS_LIST: SettingKey = {
  key: 'alias',
  description: 'ADDRESS NAME pairs separated by ;  (the rc file\'s alias lines; ADDRESS is an ip or ip:port)',
  get: (s) => s.aliases.map((a) => `${a.address} ${a.name}`).join('; '),
  set: (s, v) => {
    const list: Alias[] = [];
    for (const item of v.split(';').map((x) => x.trim()).filter((x) => x !== '')) {
      const space = item.search(/\s/);
      const a = parseAlias(space < 0 ? item : item.slice(0, space), space < 0 ? '' : item.slice(space).trim());
      if (typeof a === 'string') return a;
      list.push(a);
    }
    if (list.length > MAX_ALIASES) return `at most ${MAX_ALIASES} aliases`;
    s.aliases = list;
    return undefined;
  },
};

/** The key entry for a name as written in an rc file (case-insensitive, aliases accepted). */
export function settingKey(name: string): SettingKey | undefined {
  const low = name.toLowerCase();
  return SETTING_KEYS.find((k) => k.key === low || (k.aliases?.includes(low) ?? false));
}
