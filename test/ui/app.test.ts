import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FakeStore } from './fake-store.js';
import { fakeTui, KEYS, offlineStatus, settle } from './fake-terminal.js';
import { waitFor } from '../support/ports.js';

const hostile = 'Evil\x1b]0;pwned\x07\x1b[2J\u009b31m';

test('the call list shows sngrep\'s columns and the footer; q asks, y restores the terminal and quits', async () => {
  const t = fakeTui(new FakeStore(30));
  await settle();
  const rows = t.session.screenText();
  assert.match(rows[0]!, /Mode: Offline {2}Dialogs: 30 {2}File: fake\.pcap/);
  assert.match(rows[2]!, /Idx Method +SIP From +SIP To +Msgs Source +Destination +Call State/);
  assert.match(rows[3]!, /^\[ \] 1 +INVITE +1000 +2000 +7 /);
  assert.match(rows[23]!, /^q Quit +Space Select +Enter Show .* F1 Help +$/);
  t.input.write('q');
  await settle();
  assert.ok(t.session.screenText().some((r) => r.includes('Quit sipscope? [y/n]')));
  assert.equal(t.quits.length, 0);
  t.input.write('y');
  await t.session.done;
  assert.equal(t.quits.length, 1);
  // Alternate screen left, cursor shown again.
  assert.ok(t.output.written.includes('\x1b[?1049l'));
  assert.ok(t.output.written.includes('\x1b[?25h'));
});

test('packet text cannot set the title or clear the screen', async () => {
  const t = fakeTui(new FakeStore(5, (i) => (i === 0 ? hostile : '')), 160, 40);
  await settle();
  assert.match(t.session.screenText()[3]!, /Evil·\]0;pwned··\[2J·31m/);
  t.input.write(KEYS.enter);
  await settle();
  assert.ok(t.session.screenText().some((r) => r.includes('From: "Evil·]0;pwned··[2J·31m"')), 'message pane shows placeholders');
  assert.ok(!t.output.written.includes('\x1b]0;'), 'no OSC title sequence');
  assert.ok(!t.output.written.includes('\x07'), 'no BEL');
  assert.ok(!t.output.written.includes('\u009b'), 'no C1 CSI');
  assert.ok(!/pwned\x07|\x1b\[2J\u009b/.test(t.output.written));
  await t.session.close();
});

test('Space selects, Enter opens the merged flow of the selection, Esc goes back', async () => {
  const t = fakeTui(new FakeStore(10), 160, 40);
  t.input.write(KEYS.space + KEYS.space + KEYS.enter);
  await settle();
  const flow = t.session.screenText();
  assert.match(flow[0]!, /Call flow {2}2 dialogs {2}\(14 messages\)/);
  assert.ok(flow.some((r) => r.includes('INVITE (SDP)')));
  t.input.write(KEYS.escape);
  // A lone ESC is recognised after a short wait.
  await waitFor('the list again', () => /Selected: 2/.test(t.session.screenText()[0]!));
  await t.session.close();
});

test('raw, help and compare screens open with their letter keys', async () => {
  const t = fakeTui(new FakeStore(3), 120, 30);
  t.input.write('r');
  await settle();
  assert.match(t.session.screenText()[0]!, /Raw {2}Call-ID: call-0@fake\.example/);
  assert.ok(t.session.screenText().some((r) => r.startsWith('INVITE sip:2000@fake.example SIP/2.0')));
  t.input.write('q?');
  await settle();
  assert.ok(t.session.screenText().some((r) => r.includes('Call list')));
  assert.ok(t.session.screenText().some((r) => /^ +\/ +Search the list/.test(r)));
  assert.ok(t.session.screenText().some((r) => /F3 Tab +Filter the list as you type/.test(r)));
  t.input.write('q' + KEYS.enter + ' ' + KEYS.down + ' ');
  await settle();
  assert.match(t.session.screenText()[0]!, /Compare messages/);
  await t.session.close();
});

test('the list grows under a live capture without moving the cursor; quitting asks first', async () => {
  const store = new FakeStore(10);
  const t = fakeTui(store, 80, 24, { live: true }, offlineStatus(store, { mode: 'Online', done: false, input: 'eth0' }));
  t.input.write(KEYS.down + KEYS.down);
  await settle();
  store.grow(100);
  // Store changes are drawn at most ~30 times a second.
  await waitFor('the grown list', () => /Dialogs: 110/.test(t.session.screenText()[0]!));
  t.input.write(KEYS.space);
  await settle();
  assert.match(t.session.screenText()[5]!, /^\[\*\] 3 /);
  t.input.write('q');
  await settle();
  assert.ok(t.session.screenText().some((r) => r.includes('Quit sipscope? [y/n]')));
  t.input.write('n');
  await settle();
  assert.equal(t.quits.length, 0);
  t.input.write('qy');
  await t.session.done;
  assert.equal(t.quits.length, 1);
});

test('mouse: a click puts the cursor on a row, the wheel scrolls', async () => {
  const t = fakeTui(new FakeStore(100));
  t.input.write('\x1b[<0;20;8M\x1b[<0;20;8m');
  await settle();
  t.input.write(KEYS.space);
  await settle();
  assert.match(t.session.screenText()[7]!, /^\[\*\] 5 /);
  t.input.write('\x1b[<65;20;8M');
  await settle();
  assert.match(t.session.screenText()[3]!, /^\[.\] 4 /);
  await t.session.close();
});

test('a resize redraws at the new size', async () => {
  const t = fakeTui(new FakeStore(100));
  await settle();
  t.output.resize(100, 30);
  // blessed debounces resize events.
  await waitFor('the new size', () => t.session.screenText().length === 30 && /^q Quit/.test(t.session.screenText()[29] ?? ''));
  assert.equal(t.session.screenText().length, 30);
  assert.equal(t.session.screenText()[0]!.length, 100);
  assert.match(t.session.screenText()[29]!, /^q Quit +Space Select/);
  await t.session.close();
});

test('an exception restores the terminal and is written to the log file', async () => {
  const log = join(tmpdir(), `sipscope-ui-test-${process.pid}.log`);
  rmSync(log, { force: true });
  const store = new FakeStore(5);
  store.dialog = () => { throw new Error('boom in dialog()'); };
  const t = fakeTui(store, 80, 24, { logFile: log });
  await assert.rejects(t.session.done, /boom/);
  assert.ok(t.output.written.includes('\x1b[?1049l'));
  assert.match(readFileSync(log, 'utf8'), /boom in dialog\(\)/);
  rmSync(log, { force: true });
});

test('the filter expression shows the matching count as it is typed, narrows the list and shows in the header; selection keeps store indices', async () => {
  const t = fakeTui(new FakeStore(200));
  t.input.write(':srcnum 1017');
  await settle();
  assert.match(t.session.screenText()[21]!, /^ 1 matching/);
  assert.match(t.session.screenText()[22]!, /Filter: srcnum 1017_/);
  assert.match(t.session.screenText()[23]!, /^Enter Apply {2}Esc Cancel/);
  t.input.write(KEYS.enter);
  await settle();
  const rows = t.session.screenText();
  assert.match(rows[0]!, /Dialogs: 200 \[filtered 1\/200\] /);
  assert.match(rows[1]!, /Filter: srcnum 1017/);
  assert.match(rows[3]!, /^\[ \] 18 +INVITE +1017 /);
  t.input.write(KEYS.space + ':');
  await settle();
  t.input.write('\x7f'.repeat(11) + KEYS.enter);
  await settle();
  assert.match(t.session.screenText()[0]!, /Dialogs: 200 {2}Selected: 1/);
  assert.match(t.session.screenText()[20]!, /^\[\*\] 18 /);
  await t.session.close();
});

test('a bad expression shows the error under a caret and keeps the prompt open', async () => {
  const t = fakeTui(new FakeStore(20));
  t.input.write(':state nowhere');
  await settle();
  const rows = t.session.screenText();
  assert.match(rows[21]!, /^ {9,}\^ unknown call state 'nowhere'/);
  t.input.write(KEYS.enter);
  await settle();
  assert.match(t.session.screenText()[22]!, /Filter: state nowhere_/);
  await t.session.close();
});

test('the header follows the status while a file loads, and loses the progress once it is read', async () => {
  const store = new FakeStore(3);
  let done = false;
  const t = fakeTui(store, 100, 24, {}, () => ({ ...offlineStatus(store)(), done, bytesRead: done ? 100 : 40, framesPerSecond: 5000 }));
  await settle();
  assert.match(t.session.screenText()[0]!, /Loading 40% 5,000 pkt\/s/);
  done = true;
  // The status is looked at a few times a second.
  await waitFor('the header without progress', () => !/Loading/.test(t.session.screenText()[0]!));
  await t.session.close();
});

test('tiny terminals do not break any screen', async () => {
  for (const [cols, rows] of [[1, 1], [10, 3], [40, 6]] as const) {
    const t = fakeTui(new FakeStore(20), cols, rows);
    t.input.write(KEYS.down + KEYS.enter + ' ' + KEYS.down + ' ');
    await settle();
    t.input.write('q' + 'r');
    await settle();
    t.input.write('q' + 'c' + 't' + '0' + 'q?');
    await settle();
    t.input.write('q/x' + KEYS.enter + 't');
    await settle();
    assert.equal(t.session.screenText().length, rows);
    await t.session.close();
  }
});

test('F-keys work as well as their letters', async () => {
  const t = fakeTui(new FakeStore(4), 120, 30);
  t.input.write(KEYS.f4);
  await settle();
  assert.match(t.session.screenText()[0]!, /Extended call flow {2}2 dialogs/);
  t.input.write('q' + KEYS.f6);
  await settle();
  assert.match(t.session.screenText()[0]!, /^ Raw /);
  t.input.write('q' + KEYS.f1);
  await settle();
  assert.match(t.session.screenText()[0]!, /^ Help /);
  await t.session.close();
});
