import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync, mkdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InputError } from '../../src/model/errors.js';
import { dumpSettings, loadSettings, parseRc, saveSettings } from '../../src/config/rc.js';
import { ALIAS_LIST, defaultSettings } from '../../src/config/settings.js';

const RC = `# my settings
set color off
set color.depth 256
set cl.columns index,method,from:30,to:30,state
set cl.sortfield time
set cl.sortorder desc
set capture.limit 20000
set capture.bpf "port 5060 or port 5080"
set sngrep.savepath /var/tmp
set eep.send udp:10.0.0.9:9060
bind list.open enter,l
bind filter f
`;

test('set lines, sngreprc aliases, quotes and bind lines', () => {
  const r = parseRc(RC, '/home/u/.sipscoperc');
  assert.deepEqual(r.warnings, []);
  const s = r.settings;
  assert.equal(s.color, false);
  assert.equal(s.colorDepth, '256');
  assert.deepEqual(s.columns.map((c) => `${c.id}:${c.width}`), ['index:0', 'method:0', 'from:30', 'to:30', 'state:0']);
  assert.equal(s.sortKey, 'time');
  assert.equal(s.sortDescending, true);
  assert.equal(s.limit, 20000);
  assert.equal(s.capture.bpf, 'port 5060 or port 5080');
  assert.equal(s.savePath, '/var/tmp');
  assert.equal(s.hep.send, 'udp:10.0.0.9:9060');
  assert.deepEqual(r.bindings, [
    { scope: 'list', action: 'open', keys: ['enter', 'l'], origin: '/home/u/.sipscoperc:11' },
    { scope: '', action: 'filter', keys: ['f'], origin: '/home/u/.sipscoperc:12' },
  ]);
});

test('bad lines are warnings naming file and line; good lines still apply', () => {
  const r = parseRc('set colour on\nset color maybe\nset capture.limit -5\nset cl.columns index,bogus\nfrobnicate\nbind open\nset\nset ascii on\n', 'rc');
  assert.deepEqual(r.warnings, [
    "rc:1: unknown setting 'colour'",
    "rc:2: color: expected on or off, not 'maybe'",
    "rc:3: capture.limit: expected a whole number up to 9007199254740991, not '-5'",
    "rc:4: cl.columns: unknown column 'bogus' (index, method, from, to, msgs, src, dst, state, date, time, duration, callId, xCallId, reason, userAgent, transport, node, fromUri, toUri, findings, streams, mos, loss, fax)",
    "rc:5: unknown command 'frobnicate' (expected set, bind or alias)",
    "rc:6: expected 'bind ACTION KEY'",
    "rc:7: expected 'set KEY VALUE'",
  ]);
  assert.equal(r.settings.ascii, true);
  assert.deepEqual(r.settings.columns, defaultSettings().columns);
});

test('the dump reads back to the same settings and bindings (-D, settings screen save)', () => {
  const r = parseRc(RC, 'rc');
  const dumped = dumpSettings(r.settings, r.bindings);
  assert.match(dumped, /^set capture\.bpf port 5060 or port 5080$/m);
  assert.match(dumped, /^bind list\.open enter,l$/m);
  const again = parseRc(dumped, 'dump');
  assert.deepEqual(again.warnings, []);
  assert.deepEqual(again.settings, r.settings);
  assert.deepEqual(again.bindings.map((b) => [b.scope, b.action, b.keys]), r.bindings.map((b) => [b.scope, b.action, b.keys]));
  const defaults = parseRc(dumpSettings(defaultSettings()), 'defaults');
  assert.deepEqual(defaults.warnings, []);
  assert.deepEqual(defaults.settings, defaultSettings());
});

test('which file: -f, ~/.sipscoperc, XDG, -F; unreadable -f is an InputError', () => {
  const home = mkdtempSync(join(tmpdir(), 'sipscope-rc-'));
  const xdg = join(home, 'xdg');
  mkdirSync(join(xdg, 'sipscope'), { recursive: true });
  writeFileSync(join(xdg, 'sipscope', 'config'), 'set theme xdg\n');
  const env = { HOME: home, XDG_CONFIG_HOME: xdg };
  assert.equal(loadSettings({ env }).settings.theme, 'xdg');
  writeFileSync(join(home, '.sipscoperc'), 'set theme home\nset nope 1\n');
  const home1 = loadSettings({ env });
  assert.equal(home1.settings.theme, 'home');
  assert.equal(home1.file, join(home, '.sipscoperc'));
  assert.deepEqual(home1.warnings, [`${join(home, '.sipscoperc')}:2: unknown setting 'nope'`]);
  assert.equal(loadSettings({ env, ignore: true }).settings.theme, 'default');
  const other = join(home, 'other.rc');
  writeFileSync(other, 'set theme other\n');
  assert.equal(loadSettings({ env, file: other }).settings.theme, 'other');
  assert.throws(() => loadSettings({ env, file: join(home, 'missing') }), (e: unknown) => e instanceof InputError && /cannot read rc file .*missing: no such file$/.test(e.message));
  assert.equal(loadSettings({ env: {} }).file, '');

  const saved = join(home, 'new', 'dir', 'config');
  saveSettings(saved, home1.settings);
  assert.equal(loadSettings({ env, file: saved }).settings.theme, 'home');
  assert.match(readFileSync(saved, 'utf8'), /^# sipscope settings\n/);
});

test('alias lines, sngrep\'s: an ip or an ip:port, the rest of the line the name; bad ones are warnings; the dump writes them back', () => {
  const r = parseRc([
    'alias 10.0.0.1 pbx', 'alias 10.0.0.2:5060 "gw one"', 'alias [2001:db8::1]:5060 v6', 'alias 2001:db8::2 v6b',
    'alias 10.0.0.300 bad', 'alias 10.0.0.3', 'alias 10.0.0.1 pbx2', 'set displayalias on',
  ].join('\n'), 'rc');
  assert.deepEqual(r.warnings, ["rc:5: '10.0.0.300' is not an address (ip or ip:port)", "rc:6: expected 'alias ADDRESS NAME', no name for '10.0.0.3'"]);
  assert.deepEqual(r.settings.aliases, [
    { address: '10.0.0.2:5060', name: 'gw one' }, { address: '[2001:db8::1]:5060', name: 'v6' },
    { address: '2001:db8::2', name: 'v6b' }, { address: '10.0.0.1', name: 'pbx2' },
  ]);
  assert.equal(r.settings.displayAlias, true);
  const dumped = dumpSettings(r.settings);
  assert.match(dumped, /^alias 10\.0\.0\.2:5060 gw one$/m);
  assert.deepEqual(parseRc(dumped, 'dump').settings, r.settings);
  // The settings screen edits them as one text.
  const s = defaultSettings();
  assert.equal(ALIAS_LIST.set(s, '10.0.0.9 a b; 10.0.0.8:5060 c'), undefined);
  assert.equal(ALIAS_LIST.get(s), '10.0.0.9 a b; 10.0.0.8:5060 c');
  assert.match(ALIAS_LIST.set(s, '10.0.0.9') ?? '', /no name/);
});
