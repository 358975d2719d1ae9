// Issue 9, "Keys as sngrep users expect": sngrep's keys on the real binary in a terminal, the exit
// prompt, toggles that show their state, "not found", the help with the rc file's keys, and the
// cursor that stays on its dialog when the list is re-sorted.
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { matchSnapshot, PCAPS, PtyScreen } from './pty-screen.js';

const KEY = { up: '\x1b[A', down: '\x1b[B', left: '\x1b[D', right: '\x1b[C', enter: '\r', escape: '\x1b', f3: '\x1bOR', space: ' ' } as const;
const LIST_READY = /Dialogs: \d+(?![^\n]*Loading)[\s\S]*q Quit/;
const AAA = `${PCAPS}sngrep/aaa.pcap`;
/** A home without an rc file: the defaults apply unless a test passes -f. */
const HOME = '/nonexistent-sipscope-home';
const dir = mkdtempSync(join(tmpdir(), 'sipscope-keys-'));

const running: PtyScreen[] = [];
after(() => {
  for (const s of running) s.kill();
  rmSync(dir, { recursive: true, force: true });
});

async function open(cols: number, rows: number, args: string[] = []): Promise<PtyScreen> {
  const s = new PtyScreen([...args, '-I', AAA], cols, rows, { HOME });
  running.push(s);
  await s.settle(LIST_READY);
  return s;
}

function rcFile(name: string, text: string): string {
  const file = join(dir, name);
  writeFileSync(file, text);
  return file;
}

for (const [cols, rows] of [[80, 24], [160, 40]] as const) {
  const size = `${cols}x${rows}`;
  describe(`keys at ${size}`, () => {
    test('q on the call list asks before quitting, offline too; Esc only closes the question', async () => {
      const s = await open(cols, rows);
      s.write('q');
      matchSnapshot(`quit-${size}-aaa`, await s.settle(/Quit sipscope\? \[y\/n\]/));
      s.write(KEY.escape);
      await s.settle(/^(?![\s\S]*Quit sipscope)[\s\S]*q Quit/);
      assert.equal(s.exitCode, undefined, 'Esc on the question does not quit');
      // Esc on a prompt closes the prompt, nothing more.
      s.write('/');
      await s.settle(/Search: _/);
      s.write(KEY.escape);
      await s.settle(/^(?![\s\S]*Search: _)[\s\S]*q Quit/);
      assert.equal(s.exitCode, undefined, 'Esc on a prompt does not quit');
      s.write(KEY.escape);
      await s.settle(/Quit sipscope\? \[y\/n\]/);
      s.write('y');
      assert.equal(await s.exited(), 0);
    });

    test('F3 filters the list as it is typed; Esc puts the previous filter back; / that finds nothing says not found', async () => {
      const s = await open(cols, rows);
      s.write(KEY.f3 + '120');
      matchSnapshot(`display-filter-${size}-aaa`, await s.settle(/filtered 1\/6[\s\S]*1 of 6 dialogs[\s\S]*Display: 120_/));
      s.write(KEY.escape);
      await s.settle(/^(?![\s\S]*filtered)[\s\S]*\[ \] 6 /);
      s.write(KEY.f3 + '33.35' + KEY.enter);
      assert.match(await s.settle(/filtered 5\/6[\s\S]*q Quit/), /Display: 33\.35/);
      s.write('/nowhere' + KEY.enter);
      assert.match(await s.settle(/not found/), /Search: nowhere {2}not found/);
    });

    test('call flow: c cycles the colour mode, s compresses, C turns syntax colours off, F2 cycles SDP, each shown in the title', async () => {
      const s = await open(cols, rows);
      s.write(KEY.down + KEY.enter);
      // The default modes are named when the title leaves room for them.
      assert.match(await s.settle(/Call flow/), cols > 100 ? /Colour: Req\/Resp {2}SDP: off/ : /\(18 messages\)$/m);
      s.write('c');
      await s.settle(/Colour: CSeq/);
      s.write('c');
      await s.settle(/Colour: Dialog/);
      s.write('sC');
      await s.settle(/Colour: Dialog {2}SDP: off {2}Compressed {2}Syntax off/);
      // F2 cycles the SDP summary as d does (sngrep's SDP info).
      s.write('\x1bOQ');
      matchSnapshot(`flow-modes-${size}-aaa`, await s.settle(/Colour: Dialog {2}SDP: first {2}Compressed {2}Syntax off/));
      s.write('/nowhere' + KEY.enter);
      await s.settle(/"nowhere" not found/);
      s.write('sC');
      await s.settle(/^(?![\s\S]*Compressed)(?![\s\S]*Syntax off)[\s\S]*Colour: Dialog/);
    });
  });
}

describe('keys at 160x40', () => {
  test('9 widens and 0 narrows the message pane, T puts it back; F5 in the flow leaves it and clears the list', async () => {
    const s = await open(160, 40);
    s.write(KEY.down + KEY.enter);
    const auto = await s.settle(/Call flow/);
    const paneAt = (screen: string): number => screen.split('\n')[1]!.indexOf('│');
    s.write('9');
    const wider = await s.settle(/Call flow/);
    assert.ok(paneAt(wider) < paneAt(auto), `9 widens the pane (rule at ${paneAt(auto)}, then ${paneAt(wider)})`);
    s.write('00');
    const narrower = await s.settle(/Call flow/);
    assert.ok(paneAt(narrower) > paneAt(wider), '0 narrows it');
    s.write('T');
    assert.equal(paneAt(await s.settle(/Call flow/)), paneAt(auto), 'T resets it');
    s.write('\x1b[15~');
    await s.settle(/Dialogs: 0(?![^\n]*Loading)[\s\S]*q Quit/);
  });

  test('after a re-sort the cursor stays on the dialog it was on', async () => {
    const s = await open(160, 40);
    // Dialog 3 (an INVITE) is on row 3 in arrival order; sorted by Method it moves to row 2.
    s.write(KEY.down.repeat(2) + '>');
    await s.settle(/Method▲/);
    s.write(KEY.space);
    const shown = await s.settle(/Selected: 1/);
    assert.match(shown, /\[\*\] 3 +INVITE/);
  });

  test('an rc file that rebinds keys: the help shows the default and your keys; cl.exitprompt off quits at once', async () => {
    const rc = rcFile('rebind.rc', 'bind list.search C-s\nset cl.exitprompt off\n');
    const s = await open(160, 40, ['-f', rc]);
    s.write('?');
    matchSnapshot('help-160x40-rebound', await s.settle(/Default keys +Your keys/));
    s.write('q');
    await s.settle(LIST_READY);
    s.write('q');
    assert.equal(await s.exited(), 0);
  });
});

describe('sngrep keys that were unbound', () => {
  test('flow: w hides the time column, D shows only the messages with SDP; ^D/^U move half a page; list: A follows the newest dialog', async () => {
    const s = await open(80, 24);
    s.write('A');
    const list = await s.settle(/Autoscroll/);
    assert.ok(s.highlightedRows().includes(list.split('\n').findIndex((l) => l.startsWith('[ ] 6 '))), 'the cursor is on the newest dialog');
    s.write(KEY.up);
    await s.settle(/^(?![\s\S]*Autoscroll)[\s\S]*q Quit/);
    s.write(KEY.enter);
    const flow = await s.settle(/Call flow/);
    assert.match(flow, /^\d\d:\d\d:\d\d\.\d{6} /m);
    s.write('w');
    assert.doesNotMatch(await s.settle(/Call flow/), /^\d\d:\d\d:\d\d\.\d{6} /m, 'no time column');
    s.write('w');
    await s.settle(/^\d\d:\d\d:\d\d\.\d{6} /m);
    s.write('\x04');
    await s.settle(/Call flow/);
    s.write('\x15');
    await s.settle(/Call flow/);
    s.write(KEY.escape);
    await s.settle(LIST_READY);
    s.write(KEY.up.repeat(5) + KEY.down + KEY.enter);
    const all = await s.settle(/Call flow .*\((\d+) messages\)/);
    s.write('D');
    const sdp = await s.settle(/Only SDP/);
    const count = (t: string): number => Number(/\((\d+) messages\)/.exec(t)![1]);
    assert.ok(count(sdp) < count(all), `${count(sdp)} of ${count(all)} messages carry SDP`);
    assert.ok(sdp.split('\n').slice(3, -2).filter((l) => /[A-Z]/.test(l)).every((l) => /SDP/.test(l)), sdp);
    s.write('D');
    await s.settle(/^(?![\s\S]*Only SDP)[\s\S]*Call flow/);
  });
});

describe('footers say what the keys do', () => {
  test('the flow starts with Esc Back, compare scrolls with ←→, the help does not offer F1 Help (F1 closes it)', async () => {
    const s = await open(80, 24);
    const footer = (screen: string): string => screen.trimEnd().split('\n').at(-1)!;
    s.write(KEY.down + KEY.enter);
    assert.match(footer(await s.settle(/Call flow/)), /^Esc Back Space Compare /);
    s.write(KEY.space + KEY.down + KEY.space);
    assert.match(footer(await s.settle(/Compare messages/)), /^←→ Scroll {2}Esc Back {2}F1 Help$/);
    s.write(KEY.escape);
    await s.settle(/Call flow/);
    s.write('?');
    assert.equal(footer(await s.settle(/Help {2}sipscope keys/)), 'Esc Back');
    s.write(KEY.escape);
    await s.settle(/Call flow/);
    s.write(KEY.escape);
    assert.match(footer(await s.settle(LIST_READY)), /^q Quit /);
  });
});

describe('nothing cut off', () => {
  for (const [cols, rows] of [[80, 24], [160, 40]] as const) {
    const size = `${cols}x${rows}`;
    test(`compare at ${size}: ← and → scroll both messages instead of ending lines in …`, async () => {
      const s = await open(cols, rows);
      s.write(KEY.down + KEY.enter);
      await s.settle(/Call flow/);
      s.write(KEY.space + KEY.down.repeat(3) + KEY.space);
      const first = await s.settle(/Compare messages/);
      assert.doesNotMatch(first.split('\n').slice(1).join('\n'), /…/);
      s.write(KEY.right.repeat(2));
      matchSnapshot(`compare-scrolled-${size}-aaa`, await s.settle(/scroll: cells (?!1-)\d+-/));
      s.write(KEY.left.repeat(9));
      await s.settle(/scroll: cells 1-/);
    });

    test(`a flow with more hosts than fit at ${size} scrolls with ← and → instead of folding them`, async () => {
      const s = new PtyScreen(['-I', `${PCAPS}wswiki/wireuploaded.pcap`], cols, rows, { HOME });
      running.push(s);
      await s.settle(LIST_READY);
      s.write('*' + KEY.enter);
      const wide = await s.settle(/Hosts 1-\d+ of 24/);
      assert.doesNotMatch(wide, /┊|\+\d+ /, 'no overflow lane');
      s.write(KEY.right.repeat(2));
      matchSnapshot(`flow-scrolled-${size}-wireuploaded`, await s.settle(/Hosts 3-\d+ of 24/));
      s.write(KEY.left.repeat(5));
      await s.settle(/Hosts 1-\d+ of 24/);
    });

    test(`at ${size} an arrow cut by the scrolled ladder's edge keeps its whole label and its direction`, async () => {
      const s = new PtyScreen(['-I', `${PCAPS}wswiki/wireuploaded.pcap`], cols, rows, { HOME });
      running.push(s);
      await s.settle(LIST_READY);
      s.write('*' + KEY.enter);
      await s.settle(/Hosts 1-\d+ of 24/);
      s.write(KEY.right);
      const screen = (await s.settle(/Hosts 2-\d+ of 24/)).split('\n');
      // Left of the message pane (when the terminal is wide enough to show it).
      const paneAt = screen[1]!.indexOf('│');
      const ladder = screen.slice(3, -1).map((l) => (paneAt < 0 ? l : l.slice(0, paneAt)));
      // The first SUBSCRIBE goes from host 1 (scrolled away) to host 2: its label sits whole on the visible part,
      // and the 200 OK back to host 1 shows its head at the left edge (after the finding marks' cell, which stays).
      assert.match(ladder[0]!, /^14:58:36\.404636 +SUBSCRIBE +│/);
      assert.match(ladder[3]!, /^ +\+0\.001154 {2}<─+│/);
      const words = ladder.flatMap((l) => l.match(/[A-Z]{2,}/g) ?? []);
      const labels = new Set(['SUBSCRIBE', 'NOTIFY', 'OK', 'INVITE', 'ACK', 'BYE', 'REGISTER', 'PUBLISH', 'OPTIONS', 'CANCEL', 'SDP', 'MESSAGE', 'INFO', 'UPDATE', 'PRACK', 'REFER']);
      assert.deepEqual(words.filter((w) => !labels.has(w)), [], 'no label is cut to its tail');
    });
  }

  for (const [cols, rows] of [[80, 24], [160, 40]] as const) {
    const size = `${cols}x${rows}`;
    test(`message pane at ${size}: wraps as sngrep's; Tab gives it the keys, → unwraps and scrolls it with marks at the cut edges`, async () => {
      const s = await open(cols, rows);
      s.write(KEY.down + KEY.enter);
      await s.settle(/Call flow/);
      // At 80 columns the pane starts hidden; Tab shows it.
      s.write('\t');
      const wrapped = await s.settle(/Pane ↑↓←→[\s\S]*Tab Ladder/);
      const paneAt = wrapped.split('\n')[1]!.indexOf('│') + 1;
      const pane = (screen: string): string[] => screen.split('\n').slice(1, rows - 1).map((l) => l.slice(paneAt));
      assert.ok(pane(wrapped).some((l) => l.startsWith('Via: SIP/2.0/UDP')));
      assert.ok(!pane(wrapped).some((l) => /[‹›]/.test(l)), 'wrapped lines carry no cut marks');
      s.write(KEY.right);
      const scrolled = await s.settle(/No wrap/);
      matchSnapshot(`pane-scrolled-${size}-aaa`, scrolled);
      // Every line with text left of the view starts with ‹; the Via line goes on past the right edge, ›.
      assert.ok(pane(scrolled).filter((l) => l.trim() !== '').every((l) => l.startsWith('‹')), pane(scrolled).join('\n'));
      s.write(KEY.left);
      const whole = pane(await s.settle(/No wrap/));
      if (cols < 100) assert.match(whole.find((l) => l.startsWith('Via: '))!, /›$/);
      // ↓ scrolls the message, not the ladder's cursor; Esc gives the keys back to the ladder.
      s.write(KEY.down.repeat(3));
      await s.settle(/Call flow/);
      const down = pane(await s.settle(/No wrap/));
      // At 160x40 the whole message fits: nothing to scroll, and the cursor stayed on the first message.
      if (cols < 100) assert.ok(!down.some((l) => l.startsWith('INVITE sip:')), 'the message scrolled down');
      else assert.match(down[0]!, /09:40:49\.188993/);
      s.write(KEY.escape);
      await s.settle(/^(?![\s\S]*Pane ↑↓←→)[\s\S]*Tab Pane/);
      s.write('W');
      await s.settle(/^(?![\s\S]*No wrap)[\s\S]*Tab Pane/);
      assert.equal(s.exitCode, undefined);
    });
  }

  test('set cf.wrap off: the pane starts unwrapped, its long lines marked', async () => {
    const s = await open(160, 40, ['-f', rcFile('nowrap.rc', 'set cf.wrap off\n')]);
    s.write(KEY.down + KEY.enter);
    assert.match(await s.settle(/No wrap/), /Via: SIP\/2\.0\/UDP 192\.168\.1\.2:5060;branch=\S*›/);
  });

  test('at 120 columns the call list shows every IPv4 ip:port whole', async () => {
    const s = new PtyScreen(['-I', `${PCAPS}wswiki/wireuploaded.pcap`], 120, 30, { HOME });
    running.push(s);
    const list = await s.settle(LIST_READY);
    const rows = list.split('\n').filter((l) => /^\[ \] \d/.test(l));
    assert.ok(rows.length > 10);
    // Source and Destination: two whole ip:port, no ellipsis.
    for (const row of rows) assert.match(row, / (\d{1,3}\.){3}\d{1,3}:\d+ +(\d{1,3}\.){3}\d{1,3}:\d+( |$)/, row);
    assert.doesNotMatch(rows.join('\n'), /…/);
  });
});

// Issue 9's last three sngrep keys (sngrep 1.8 keybinding.c): i (stats), M (only media), a (aliases).
const RTP = `${PCAPS}heplify/rtp_rtcp_sip_ipv4_udp.pcap`;
for (const [cols, rows] of [[80, 24], [160, 40]] as const) {
  const size = `${cols}x${rows}`;
  describe(`sngrep's i, M and a at ${size}`, () => {
    test('i opens the stats box over the list (the figures sngrep shows for aaa.pcap); Esc, q and i close it', async () => {
      const s = await open(cols, rows);
      s.write('i');
      const stats = await s.settle(/Stats Information[\s\S]*Esc to leave/);
      matchSnapshot(`stats-${size}-aaa`, stats);
      for (const figure of [/Dialogs: +6 /, /Calls: +4 \(66\.7%\)/, /Messages: +81 /, /CANCELLED: +1 \(25\.0%\)/, /REJECTED: +2 \(50\.0%\)/,
        /BUSY: +1 \(25\.0%\)/, /INVITE: +11 \(13\.6%\)/, /REGISTER: +18 \(22\.2%\)/, /CANCEL: +11 \(13\.6%\)/, /1XX: 8 \(9\.9%\)/, /4XX: 23 \(28\.4%\)/]) {
        assert.match(stats, figure);
      }
      for (const close of [KEY.escape, 'q', 'i']) {
        s.write(close);
        await s.settle(/^(?![\s\S]*Stats Information)[\s\S]*q Quit/);
        assert.doesNotMatch(s.text(), /Quit sipscope/);
        if (close === 'i') continue;
        s.write('i');
        await s.settle(/Stats Information/);
      }
      assert.equal(s.exitCode, undefined);
    });

    test('M in the flow shows only the media rows, as sngrep\'s; again shows the messages; a flow without media says so', async () => {
      const s = new PtyScreen(['-I', RTP], cols, rows, { HOME });
      running.push(s);
      await s.settle(LIST_READY);
      s.write(KEY.enter);
      await s.settle(/\(5 messages, 2 RTP\)/);
      s.write('M');
      const media = await s.settle(/\(0 messages, 2 RTP\)[\s\S]*Only media/);
      matchSnapshot(`flow-only-media-${size}-rtp`, media);
      const ladder = media.split('\n').slice(3, -1).join('\n');
      assert.doesNotMatch(ladder, /INVITE|ACK|Trying|Ringing|200 Ok/);
      assert.equal((ladder.match(/RTP PCMA|PCMA \d+/g) ?? []).length, 2, ladder);
      s.write('M');
      await s.settle(/^(?![\s\S]*Only media)[\s\S]*\(5 messages, 2 RTP\)/);
      // m hides the RTP rows; M still shows them.
      s.write('m');
      await s.settle(/\(5 messages\)/);
      s.write('M');
      await s.settle(/\(0 messages, 2 RTP\)[\s\S]*Only media/);
      const plain = await open(cols, rows);
      plain.write(KEY.down + KEY.enter);
      await plain.settle(/\(18 messages\)/);
      plain.write('M');
      assert.match(await plain.settle(/No RTP, key press or fax rows/), /INVITE/);
    });

    test('a shows the rc file\'s alias names in Source/Destination, the flow\'s hosts and the raw view; * selects every dialog', async () => {
      const rc = rcFile(`alias-${size}.rc`, 'alias 192.168.1.2 phone\nalias 212.242.33.35:5060 "sip proxy"\n');
      const s = await open(cols, rows, ['-f', rc]);
      s.write('a');
      const list = await s.settle(/Aliases[\s\S]*q Quit/);
      matchSnapshot(`list-alias-${size}-aaa`, list);
      const dialogRows = list.split('\n').filter((l) => /^\[ \] \d/.test(l));
      assert.ok(dialogRows.every((l) => / phone:5060 /.test(l)), dialogRows.join('\n'));
      assert.ok(dialogRows.some((l) => /sip proxy/.test(l)) || cols < 100, dialogRows.join('\n'));
      s.write(KEY.enter);
      const flow = await s.settle(/Call flow[\s\S]*Aliases/);
      assert.match(flow.split('\n')[1]!, /phone:5060 +sip proxy/);
      s.write('r');
      assert.match(await s.settle(/Raw {2}.*\(aliases\)/), /phone:5060 (→|->) sip proxy/);
      s.write('a');
      assert.match(await s.settle(/^(?![\s\S]*\(aliases\))[\s\S]*Raw /), /192\.168\.1\.2:5060 (→|->) 212\.242\.33\.35:5060/);
      s.write(KEY.escape);
      await s.settle(/^(?![\s\S]*Aliases)[\s\S]*Call flow/);
      s.write(KEY.escape);
      await s.settle(LIST_READY);
      s.write('*');
      await s.settle(/Selected: 6/);
      s.write('\x17');
      await s.settle(/^(?![\s\S]*Selected)[\s\S]*q Quit/);
      // The settings screen shows both: the toggle a flips and the rc file's alias lines as one editable text.
      s.write('a');
      await s.settle(/Aliases[\s\S]*q Quit/);
      s.write('o');
      const settings = await s.settle(/Show aliases \(a\) +on/);
      assert.match(settings, /Aliases +192\.168\.1\.2 phone; 212\.242\.33\.35:5060 sip proxy/);
    });
  });
}

describe('the rest of sngrep\'s table', () => {
  test('c in the list sets the flow\'s colour mode (a setting, as sngrep\'s); o in the flow opens the settings; F9 there leaves for the list; ^W empties a prompt', async () => {
    const s = await open(160, 40);
    s.write('c');
    await s.settle(LIST_READY);
    s.write(KEY.down + KEY.enter);
    await s.settle(/Call flow[\s\S]*Colour: CSeq/);
    s.write('o');
    await s.settle(/Flow colour mode +cseq/);
    s.write(KEY.escape);
    await s.settle(/Call flow[\s\S]*Colour: CSeq/);
    s.write('\x1b[20~');
    await s.settle(LIST_READY);
    s.write('/abc');
    await s.settle(/Search: abc_/);
    s.write('\x17');
    await s.settle(/Search: _/);
    s.write(KEY.escape);
    await s.settle(/^(?![\s\S]*Search: _)[\s\S]*q Quit/);
  });
});
