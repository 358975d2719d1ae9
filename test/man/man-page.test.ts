// sipscope.1 documents what the program does: its generated blocks match the keymap and the
// settings table, every option of --help is in it, it renders without warnings, and --help points to it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { FIELDS, NUMERIC_FIELDS } from '../../src/store/filter-parse.js';
import { DEFAULT_KEYMAP } from '../../src/ui/keymap.js';
import { REPO, runCli } from '../support/cli.js';
import { regenerate } from './man-sections.js';

const PAGE = `${REPO}/sipscope.1`;
const page = readFileSync(PAGE, 'utf8');

function rendered(): string {
  return execFileSync('man', ['-l', PAGE], { env: { ...process.env, MANWIDTH: '200', MAN_KEEP_FORMATTING: '', LANG: 'C.UTF-8' }, encoding: 'utf8' });
}

test('the KEYS and settings blocks are what npm run man generates from the tables', () => {
  assert.equal(regenerate(page), page, 'sipscope.1 is stale: run npm run man');
});

test('every keymap action appears in the rendered page', { skip: whyNoMan() }, () => {
  const text = rendered();
  for (const [scope, bindings] of Object.entries(DEFAULT_KEYMAP)) {
    for (const b of bindings) assert.ok(text.includes(`(${scope}.${b.action})`), `${scope}.${b.action} is documented`);
  }
});

test('every --help option, every filter field, the exit codes and the SSH recipe are in the page', async () => {
  const help = await runCli(['--help']);
  assert.equal(help.code, 0);
  assert.match(help.stdout, /man sipscope/, '--help points to the man page');
  const longs = [...help.stdout.matchAll(/--([a-z][a-z-]*)/g)].map((m) => m[1]!);
  assert.ok(longs.length > 15);
  for (const o of longs) assert.ok(page.includes(`\\-\\-${o.replace(/-/g, '\\-')}`), `--${o} is documented`);
  const filters = page.slice(page.indexOf('.SH FILTER EXPRESSIONS'), page.indexOf('.SH FILES')).replace(/\\f[BIRP]/g, ' ');
  for (const f of [...FIELDS, ...NUMERIC_FIELDS]) assert.match(filters, new RegExp(`\\b${f}\\b`), `filter field ${f} is documented`);
  for (const code of ['0', '2', '70']) assert.match(page, new RegExp(`^\\.B ${code}$`, 'm'));
  for (const section of ['OPTIONS', 'KEYS', 'FILTER EXPRESSIONS', 'FILES', 'EXIT STATUS', 'HEADLESS OUTPUT', 'EXAMPLES']) {
    assert.match(page, new RegExp(`^\\.SH ${section}$`, 'm'));
  }
});

test('the page renders without troff warnings and shows the SSH recipe as typed', { skip: whyNoMan() }, () => {
  const warnings = spawnSync('groff', ['-man', '-ww', '-z', PAGE], { encoding: 'utf8' });
  assert.equal(warnings.stderr, '');
  assert.ok(rendered().includes('ssh host "tcpdump -i any -U -w - port 5060" | sipscope -I -'));
});

function whyNoMan(): string | false {
  const missing = ['man', 'groff'].filter((t) => spawnSync('sh', ['-c', `command -v ${t}`]).status !== 0);
  if (missing.length === 0) return false;
  if (process.env.CI) throw new Error(`CI needs ${missing.join(', ')} (man-db, groff) for the man page test`);
  return `needs ${missing.join(', ')}`;
}
