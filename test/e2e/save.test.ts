// The save dialog (F2 / s) through the real binary: choose dialogs, format and path, save, and
// read the file back with sipscope's own reader.
import { held } from '../support/ids.js';
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadCapture } from '../media/support.js';
import { PcapngWriter } from '../../src/sink/pcapng-writer.js';
import { openFile } from '../../src/source/file-source.js';
import { matchSnapshot, PCAPS, PtyScreen } from './pty-screen.js';
import { parseXml } from '../support/xml.js';

const KEY = { down: '\x1b[B', right: '\x1b[C', enter: '\r', escape: '\x1b', f2: '\x1bOQ', tab: '\t', clear: '\x15' } as const;
const LIST_READY = /Dialogs: \d+(?![^\n]*Loading)[\s\S]*q Quit/;

const dir = mkdtempSync(join(tmpdir(), 'sipscope-save-e2e-'));
const running: PtyScreen[] = [];
after(() => {
  for (const s of running) s.kill();
  rmSync(dir, { recursive: true, force: true });
});

function open(cols: number, rows: number): PtyScreen {
  const s = new PtyScreen(['-I', `${PCAPS}sngrep/aaa.pcap`], cols, rows);
  running.push(s);
  return s;
}

/** Replaces the path field (focused when the dialog opens) with `path`. */
function typePath(s: PtyScreen, path: string): void {
  s.write(KEY.clear + path);
}

for (const [cols, rows] of [[80, 24], [160, 40]] as const) {
  test(`save dialog at ${cols}x${rows}: the selected dialog to pcap, read back by sipscope`, async () => {
    const s = open(cols, rows);
    await s.settle(LIST_READY);
    s.write(KEY.down + ' ');
    await s.settle(/Selected: 1/);
    s.write(KEY.f2);
    await s.settle(/Save dialogs/);
    typePath(s, 'example.pcap');
    matchSnapshot(`save-${cols}x${rows}-aaa`, await s.settle(/example\.pcap_/));

    const out = join(dir, `selected-${cols}.pcap`);
    typePath(s, out);
    s.write(KEY.enter);
    await s.settle(/Saved 1 dialog \(18 messages, 18 packets\)/);
    s.write(KEY.enter);
    await s.settle(/^(?![\s\S]*Save dialogs)/);

    const { store } = await loadCapture(out);
    assert.equal(store.dialogCount(), 1);
    assert.equal(held(store, 0).callId, '105090259-446faf7a@192.168.1.2');
    assert.equal(held(store, 0).messages.length, 18);
    s.write('qy');
    assert.equal(await s.exited(), 0);
  });
}

test('save dialog: all dialogs as pcapng, asks before overwriting, shows write errors inside', async () => {
  const s = open(160, 40);
  await s.settle(LIST_READY);
  const out = join(dir, 'all.pcap');
  s.write('s');
  await s.settle(/Save dialogs/);
  // Without a selection the choices are displayed and all; Tab to them, Right picks "all".
  assert.doesNotMatch(s.text(), /selected \(/);
  typePath(s, out);
  s.write(KEY.tab + KEY.right + KEY.tab + KEY.right);
  await s.settle(/\(\*\) all[\s\S]*\(\*\) pcapng/);
  assert.match(s.text(), /all\.pcapng/, 'switching format changes the extension');
  s.write(KEY.enter);
  await s.settle(/Saved 6 dialogs \(81 messages, 81 packets\)/);
  s.write(KEY.enter);
  await s.settle(/^(?![\s\S]*Save dialogs)/);

  const back = await loadCapture(`${out}ng`);
  assert.equal(back.store.dialogCount(), 6);
  assert.equal(back.store.messageCount(), 81);

  // Same file again: a question first; "n" keeps the dialog open, "y" writes. The typed extension picks the format.
  s.write('s');
  await s.settle(/Save dialogs/);
  typePath(s, `${out}ng`);
  s.write(KEY.enter);
  await s.settle(/exists\. Overwrite it\? \[y\/n\]/);
  s.write('n');
  await s.settle(/^(?![\s\S]*Overwrite)[\s\S]*Save dialogs/);
  s.write(KEY.enter);
  await s.settle(/Overwrite it\?/);
  s.write('y');
  await s.settle(/\(\*\) pcapng[\s\S]*Saved 6 dialogs/);
  s.write(KEY.enter);
  await s.settle(/^(?![\s\S]*Save dialogs)/);

  s.write('s');
  await s.settle(/Save dialogs/);
  typePath(s, join(dir, 'missing', 'x.pcap'));
  s.write(KEY.enter);
  await s.settle(/cannot write \S+x\.pcap: no such file or\s[\s\S]*directory/);
  assert.match(s.text(), /Save dialogs/, 'the dialog stays open');
  s.write(KEY.escape);
  await s.settle(/^(?![\s\S]*Save dialogs)/);
  s.write('qy');
  assert.equal(await s.exited(), 0);
});

test('save dialog in a call flow writes the flow as SVG, HTML or Mermaid; in the list as CSV', async () => {
  const s = open(100, 30);
  await s.settle(LIST_READY);
  s.write(KEY.down + KEY.enter);
  await s.settle(/INVITE/);
  for (const ext of ['svg', 'html', 'md']) {
    // S saves in the flow; F2 and s are sngrep's SDP info and compress there.
    s.write('S');
    await s.settle(/Save dialogs[\s\S]*\( \) svg/);
    const out = join(dir, `flow.${ext}`);
    typePath(s, out);
    s.write(KEY.enter);
    await s.settle(/Saved the flow \(18 messages\)/);
    s.write(KEY.enter);
    await s.settle(/^(?![\s\S]*Save dialogs)/);
    const text = readFileSync(out, 'utf8');
    assert.ok(text.includes('INVITE') && text.includes('192.168.1.2'), ext);
    if (ext === 'svg') parseXml(text);
  }
  s.write(KEY.escape);
  await s.settle(LIST_READY);
  s.write(KEY.f2);
  await s.settle(/Save dialogs[\s\S]*\( \) csv/);
  const csv = join(dir, 'list.csv');
  typePath(s, csv);
  s.write(KEY.right + KEY.right);
  s.write(KEY.tab + KEY.right + KEY.right + KEY.tab + KEY.enter);
  await s.settle(/Saved 6 dialogs as CSV/);
  assert.equal(readFileSync(csv, 'utf8').trim().split('\r\n').length, 7);
  s.write(KEY.enter + 'qy');
  assert.equal(await s.exited(), 0);
});

test('save dialog: frames of two link types saved as pcap say they became raw IP', async () => {
  // Ethernet and Linux cooked frames in one pcapng, as a capture on "any" plus a tunnel gives.
  const mixed = join(dir, 'mixed.pcapng');
  const w = PcapngWriter.open(mixed, 1);
  for (const name of ['sngrep/aaa.pcap', 'sngrep/ipv6frag.pcap']) {
    const source = openFile(`${PCAPS}${name}`);
    await source.start({ frame: (f) => w.write(f) });
    source.stop();
  }
  w.close();
  const s = new PtyScreen(['-I', mixed], 120, 30);
  running.push(s);
  await s.settle(LIST_READY);
  s.write('s');
  await s.settle(/Save dialogs/);
  typePath(s, join(dir, 'mixed.pcap'));
  s.write(KEY.tab + KEY.right + KEY.enter);
  await s.settle(/Saved 7 dialogs[\s\S]*as raw IP: frames of 2 link types[\s│]+\(Ethernet, Linux cooked\); pcapng keeps each/);
  s.write(KEY.enter + 'qy');
  assert.equal(await s.exited(), 0);
});
