/**
 * The rc file: sngreprc-like lines, read once at start.
 *
 *   # comment
 *   set KEY VALUE            (see SETTING_KEYS; the value is the rest of the line, quotes optional)
 *   bind [SCOPE.]ACTION KEY[,KEY…]   rebind a key (SCOPE and ACTION as in ui/keymap.ts, keys as blessed
 *                            names such as f7, C-f, S-g, enter)
 *   alias ADDRESS NAME       sngrep's: NAME stands for ADDRESS (an ip, or an ip:port) while
 *                            displayalias is on (a toggles it)
 *
 * Which file: `-f FILE`; otherwise ~/.sipscoperc, else $XDG_CONFIG_HOME/sipscope/config
 * (XDG_CONFIG_HOME defaults to ~/.config); `-F` reads none. A bad line is a warning naming the
 * file and line, never an error.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { InputError } from '../model/errors.js';
import { defaultSettings, MAX_ALIASES, parseAlias, SETTING_KEYS, settingKey, type Settings } from './settings.js';

/** One `bind` line; the UI applies it to its keymap (and warns about actions it does not know). */
export interface KeyBinding {
  /** Keymap scope ('list', 'flow', …), or '' for whichever scope has the action. */
  scope: string;
  action: string;
  keys: string[];
  /** Where it came from, "FILE:LINE", for the UI's warnings. */
  origin: string;
}

export interface LoadedSettings {
  settings: Settings;
  bindings: KeyBinding[];
  /** "FILE:LINE: what is wrong", one per bad line. */
  warnings: string[];
  /** The file read, '' when none. */
  file: string;
}

function unquote(v: string): string {
  return v.length >= 2 && ((v.startsWith('"') && v.endsWith('"')) || (v.startsWith("'") && v.endsWith("'"))) ? v.slice(1, -1) : v;
}

/** Applies rc text to a copy of `base` (defaults when omitted). `file` names it in warnings. */
export function parseRc(text: string, file: string, base: Settings = defaultSettings()): LoadedSettings {
  const settings = structuredClone(base);
  const bindings: KeyBinding[] = [];
  const warnings: string[] = [];
  text.split(/\r?\n/).forEach((raw, n) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    const where = `${file}:${n + 1}`;
    const [command = '', name = ''] = line.split(/\s+/);
    const value = unquote(line.slice(line.indexOf(name, command.length) + name.length).trim());
    switch (command.toLowerCase()) {
      case 'set': {
        const key = settingKey(name);
        if (name === '') warnings.push(`${where}: expected 'set KEY VALUE'`);
        else if (!key) warnings.push(`${where}: unknown setting '${name}'`);
        else {
          const problem = key.set(settings, value);
          if (problem) warnings.push(`${where}: ${key.key}: ${problem}`);
        }
        return;
      }
      case 'bind': {
        if (name === '' || value === '') {
          warnings.push(`${where}: expected 'bind ACTION KEY'`);
          return;
        }
        const dot = name.indexOf('.');
        bindings.push({
          scope: dot < 0 ? '' : name.slice(0, dot),
          action: dot < 0 ? name : name.slice(dot + 1),
          keys: value.split(/[\s,]+/).filter((k) => k !== ''),
          origin: where,
        });
        return;
      }
      case 'alias': {
        const alias = parseAlias(name, value);
        if (typeof alias === 'string') warnings.push(`${where}: ${alias}`);
        else if (settings.aliases.length >= MAX_ALIASES) warnings.push(`${where}: more than ${MAX_ALIASES} aliases, this one is ignored`);
        else settings.aliases = [...settings.aliases.filter((a) => a.address !== alias.address), alias];
        return;
      }
      default:
        warnings.push(`${where}: unknown command '${command}' (expected set, bind or alias)`);
    }
  });
  return { settings, bindings, warnings, file };
}

/** The rc file to read when no -f is given: the first that exists, '' when none does. */
export function defaultRcFile(env: NodeJS.ProcessEnv, exists: (path: string) => boolean): string {
  const home = env.HOME ?? '';
  const xdg = env.XDG_CONFIG_HOME || (home ? join(home, '.config') : '');
  const candidates = [home ? join(home, '.sipscoperc') : '', xdg ? join(xdg, 'sipscope', 'config') : ''];
  return candidates.find((p) => p !== '' && exists(p)) ?? '';
}

function readable(path: string): boolean {
  try {
    readFileSync(path);
    return true;
  } catch {
    return false;
  }
}

/**
 * The effective settings: defaults, then the rc file. An unreadable `-f FILE` is an InputError
 * (the user named it); a missing default file is simply not there.
 */
export function loadSettings(opts: { file?: string; ignore?: boolean; env: NodeJS.ProcessEnv }): LoadedSettings {
  if (opts.ignore) return { settings: defaultSettings(), bindings: [], warnings: [], file: '' };
  const file = opts.file ?? defaultRcFile(opts.env, readable);
  if (file === '') return { settings: defaultSettings(), bindings: [], warnings: [], file: '' };
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    const reason = fileProblem(e);
    if (opts.file !== undefined) throw new InputError(`cannot read rc file ${file}: ${reason}`);
    return { settings: defaultSettings(), bindings: [], warnings: [`${file}: cannot read: ${reason}`], file: '' };
  }
  return parseRc(text, file);
}

/** Why a file could not be read or written, in words rather than errno names. */
function fileProblem(e: unknown): string {
  const code = (e as NodeJS.ErrnoException).code ?? '';
  return FILE_PROBLEMS[code] ?? (e as Error).message;
}
const FILE_PROBLEMS: Record<string, string> = {
  ENOENT: 'no such file',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EISDIR: 'is a directory',
  ENOTDIR: 'a part of the path is not a directory',
  ENOSPC: 'no space left on the device',
  EROFS: 'read-only file system',
};

function quoteIfNeeded(v: string): string {
  return v === '' || /^\s|\s$/.test(v) ? `"${v}"` : v;
}

/** Every setting as a `set` line, then the bindings: what -D prints, and what saveSettings writes (it reads back). */
export function dumpSettings(settings: Settings, bindings: readonly KeyBinding[] = []): string {
  const lines = SETTING_KEYS.map((k) => `set ${k.key} ${quoteIfNeeded(k.get(settings))}`);
  for (const a of settings.aliases) lines.push(`alias ${a.address} ${a.name}`);
  for (const b of bindings) lines.push(`bind ${b.scope ? `${b.scope}.` : ''}${b.action} ${b.keys.join(',')}`);
  return lines.join('\n') + '\n';
}

/** Writes the settings (and bindings) to path, creating its directory; errors are InputErrors naming the file. */
export function saveSettings(path: string, settings: Settings, bindings: readonly KeyBinding[] = []): void {
  try {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, `# sipscope settings\n${dumpSettings(settings, bindings)}`);
  } catch (e) {
    throw new InputError(`cannot write rc file ${path}: ${fileProblem(e)}`);
  }
}
