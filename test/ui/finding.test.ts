import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseRc } from '../../src/config/rc.js';
import { findAll } from '../../src/ui/present/search.js';
import { FakeStore } from './fake-store.js';
import { fakeTui, KEYS, offlineStatus, settle } from './fake-terminal.js';
import { waitFor } from '../support/ports.js';

const KEY = { ...KEYS, tab: '\t', f5: '\x1b[15~', f7: '\x1b[18~', f9: '\x1b[20~' } as const;

/** The Idx column of the list rows on screen (header rows and footer excluded). */
function indices(rows: string[]): number[] {
  return rows.slice(3, -1).map((r) => /^\[.\] (\d+) /.exec(r)?.[1]).filter((x) => x !== undefined).map(Number);
}

test('search highlights where the text is in a cell; n and N go to the next and previous matching row', async () => {
  assert.deepEqual(findAll('From 1017 to 1017', '1017', false), [{ x: 5, text: '1017' }, { x: 13, text: '1017' }]);
  assert.deepEqual(findAll('山田 Bob', 'bob', false), [{ x: 5, text: 'Bob' }]);
  assert.deepEqual(findAll('anything', '', false), []);
  const t = fakeTui(new FakeStore(30_000));
  t.input.write('/2017');
  await settle();
  t.input.write(KEY.enter);
  await settle();
  // Any shown cell counts: To 2017 at row 17, From 2017 at row 1017, Idx 2017 at row 2016, … both at row 28017.
  let rows = t.session.screenText();
  assert.match(rows[1]!, /Search: 2017/);
  assert.ok(rows.some((r) => /^\[ \] 18 +INVITE +1017 +2017 /.test(r)));
  t.input.write('n');
  await settle();
  rows = t.session.screenText();
  assert.ok(rows.some((r) => /^\[ \] 1018 +INVITE +2017 /.test(r)), rows.join('\n'));
  t.input.write('NN');
  await settle();
  assert.ok(t.session.screenText().some((r) => /^\[ \] 28018 /.test(r)), 'N wraps to the last match');
  await t.session.close();
});

test('the filter form narrows the list live, Escape restores the filter it opened with, Enter keeps it', async () => {
  const t = fakeTui(new FakeStore(200), 100, 30);
  t.input.write('f');
  await settle();
  t.input.write('1017');
  await settle();
  let rows = t.session.screenText();
  assert.ok(rows.some((r) => r.includes('Display filter')));
  assert.match(rows[0]!, /\[filtered 1\/200\]/);
  assert.match(rows[1]!, /Filter: from "1017"/);
  t.input.write(KEY.escape);
  await waitFor('the list unfiltered', () => !/filtered/.test(t.session.screenText()[0]!));
  t.input.write('f' + KEY.tab + '2' + KEY.tab.repeat(4) + KEY.down + KEY.space);
  await settle();
  t.input.write(KEY.enter);
  await settle();
  rows = t.session.screenText();
  assert.match(rows[1]!, /Filter: to "2" and method="INVITE"/);
  assert.match(rows[0]!, /\[filtered 200\/200\]/);
  await t.session.close();
});

test('F9 keeps the matching dialogs after the filter is cleared; F5 clears everything', async () => {
  const store = new FakeStore(50);
  const t = fakeTui(store);
  t.input.write(':srcnum 1001 or srcnum 1002' + KEY.enter);
  await settle();
  t.input.write(KEY.f9 + ':' + '\x7f'.repeat(30) + KEY.enter);
  await settle();
  let rows = t.session.screenText();
  assert.match(rows[0]!, /Dialogs: 50 \[filtered 2\/50\]/);
  assert.deepEqual(indices(rows), [2, 3]);
  t.input.write(KEY.f5);
  await settle();
  rows = t.session.screenText();
  assert.match(rows[0]!, /Dialogs: 0 /);
  store.grow(2);
  await waitFor('the two new dialogs', () => indices(t.session.screenText()).length === 2);
  assert.deepEqual(indices(t.session.screenText()), [51, 52]);
  await t.session.close();
});

test('F5 during a live capture asks first', async () => {
  const store = new FakeStore(5);
  const t = fakeTui(store, 80, 24, { live: true }, offlineStatus(store, { mode: 'Online', done: false, input: 'eth0' }));
  t.input.write('X');
  await settle();
  assert.ok(t.session.screenText().some((r) => r.includes('Clear all dialogs? [y/n]')));
  t.input.write('n');
  await settle();
  assert.equal(store.dialogCount(), 5);
  t.input.write('Xy');
  await settle();
  assert.equal(store.dialogCount(), 0);
  await t.session.close();
});

test('> picks the next column to sort by, z reverses; the title shows the order', async () => {
  const t = fakeTui(new FakeStore(40), 100, 30);
  t.input.write('z');
  await settle();
  let rows = t.session.screenText();
  assert.match(rows[2]!, /Id▼/);
  // The cursor stays on dialog 1, now the last row.
  assert.equal(indices(rows).at(-1), 1);
  t.input.write('g');
  await settle();
  rows = t.session.screenText();
  assert.deepEqual(indices(rows).slice(0, 3), [40, 39, 38]);
  t.input.write('>>');
  await settle();
  rows = t.session.screenText();
  assert.match(rows[2]!, /SIP From▼/);
  const froms = rows.slice(3, 8).map((r) => /INVITE +(\d+)/.exec(r)![1]!);
  assert.deepEqual(froms, [...froms].sort().reverse());
  await t.session.close();
});

test('the column chooser adds, removes and reorders; the list follows', async () => {
  const t = fakeTui(new FakeStore(5), 120, 30);
  t.input.write('t');
  await settle();
  // Method (second) moves down one place, then Call State is hidden and Call-ID added (Findings, shown
  // from 130 columns, stays chosen between them).
  t.input.write('jJ');
  await settle();
  let rows = t.session.screenText();
  assert.match(rows[2]!, /\[\*\] SIP From/);
  assert.match(rows[3]!, /\[\*\] Method/);
  t.input.write('jjjjj ');
  await settle();
  t.input.write('jjjjj ');
  await settle();
  t.input.write('q');
  await settle();
  rows = t.session.screenText();
  assert.match(rows[2]!, /Idx SIP From +Method +SIP To +Msgs +Source +Destination +Call-ID/);
  assert.doesNotMatch(rows[2]!, /Call State/);
  await t.session.close();
});

test('the settings screen changes the list at once and saves an rc file that reads back', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'sipscope-settings-'));
  const rcFile = join(dir, 'sub', 'rc');
  const t = fakeTui(new FakeStore(5), 100, 30, { rcFile, bindings: [{ scope: 'list', action: 'settings', keys: ['S-o'], origin: 'x:1' }] });
  t.input.write('O');
  await settle();
  let rows = t.session.screenText();
  assert.match(rows[0]!, /Settings/);
  assert.match(rows.join('\n'), /Sort order +asc/);
  t.input.write('jjj' + KEY.enter);
  await settle();
  assert.match(t.session.screenText().join('\n'), /Sort order +desc/);
  t.input.write('j' + KEY.enter);
  await settle();
  t.input.write('\x7f'.repeat(80) + 'index,callId' + KEY.enter + 's');
  await settle();
  rows = t.session.screenText();
  assert.ok(rows.some((r) => r.includes(`Saved to ${rcFile}`)));
  const saved = parseRc(readFileSync(rcFile, 'utf8'), rcFile);
  assert.deepEqual(saved.warnings, []);
  assert.equal(saved.settings.sortDescending, true);
  assert.deepEqual(saved.settings.columns.map((c) => c.id), ['index', 'callId']);
  assert.deepEqual(saved.bindings.map((b) => `${b.scope}.${b.action} ${b.keys.join(',')}`), ['list.settings S-o']);
  t.input.write('q');
  await settle();
  assert.match(t.session.screenText()[2]!, /Id▼ +Call-ID/);
  rmSync(dir, { recursive: true, force: true });
  await t.session.close();
});

test('in a flow / searches the messages\' text; n and N walk the matching messages', async () => {
  const t = fakeTui(new FakeStore(3), 140, 40);
  t.input.write(KEY.enter);
  await settle();
  t.input.write('/cseq: 2' + KEY.enter);
  await settle();
  let screen = t.session.screenText().join('\n');
  assert.match(screen, /│BYE sip:2000@fake\.example SIP\/2\.0/);
  t.input.write('n');
  await settle();
  screen = t.session.screenText().join('\n');
  assert.match(screen, /│SIP\/2\.0 200 OK[\s\S]*CSeq: 2 BYE/);
  t.input.write('n');
  await settle();
  assert.match(t.session.screenText().join('\n'), /│BYE sip:/, 'wraps to the first match');
  t.input.write('N');
  await settle();
  assert.match(t.session.screenText().join('\n'), /│SIP\/2\.0 200 OK/);
  await t.session.close();
});
