import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { matchSnapshot, PCAPS, PtyScreen } from './pty-screen.js';

const KEY = { down: '\x1b[B', end: '\x1b[F', enter: '\r', escape: '\x1b', pageDown: '\x1b[6~', right: '\x1b[C' } as const;
/** The call list of a fully loaded file (no progress indicator left). */
const LIST_READY = /Dialogs: \d+(?![^\n]*Loading)[\s\S]*q Quit/;
const SIZES: [number, number][] = [[80, 24], [160, 40]];

const running: PtyScreen[] = [];
after(() => { for (const s of running) s.kill(); });

/** A home whose rc file shows the media and fax columns. */
const MEDIA_HOME = mkdtempSync(join(tmpdir(), 'sipscope-columns-'));
writeFileSync(join(MEDIA_HOME, '.sipscoperc'), 'set cl.columns index,method,from,msgs,state,streams,mos,loss,fax,findings\n');

async function open(capture: string, cols: number, rows: number, env: Record<string, string> = {}): Promise<PtyScreen> {
  const s = new PtyScreen(['-I', `${PCAPS}${capture}`], cols, rows, env);
  running.push(s);
  await s.settle(LIST_READY);
  return s;
}

for (const [cols, rows] of SIZES) {
  const size = `${cols}x${rows}`;
  describe(`diagnosis on screen at ${size}`, () => {
    test('triage: findings and response codes across aaa.pcap; Enter lists a row\'s dialogs, Esc comes back', async () => {
      const s = await open('sngrep/aaa.pcap', cols, rows);
      s.write('!');
      const card = await s.settle(/Triage {2}6 dialogs[\s\S]*Response codes[\s\S]*480/);
      matchSnapshot(`triage-${size}-aaa`, card);
      assert.match(card, /error +forbidden +3 /);
      s.write(KEY.down + KEY.enter);
      const list = await s.settle(/\[filtered 3\/6\][\s\S]*Filter: finding=auth-failed/);
      matchSnapshot(`triage-list-${size}-aaa`, list);
      // q there goes back to the triage screen, and the footer says so.
      const footer = list.trimEnd().split('\n').at(-1)!;
      assert.match(footer, /^q Back /);
      assert.doesNotMatch(footer, /Quit/);
      s.write(KEY.escape);
      await s.settle(/Triage {2}6 dialogs/);
      s.write(KEY.end + KEY.enter);
      assert.match(await s.settle(/\[filtered 1\/6\]/), /Filter: response=480[\s\S]*BUSY/);
      s.write(KEY.escape);
      await s.settle(/Triage {2}6 dialogs/);
      s.write(KEY.escape);
      await s.settle(/Dialogs: 6 +File[\s\S]*q Quit/);
      s.write('qy');
      assert.equal(await s.exited(), 0);
    });

    test('findings pane: the flow\'s findings worst first; Enter moves the ladder to the finding\'s message', async () => {
      const s = await open('sngrep/aaa.pcap', cols, rows);
      s.write(KEY.down.repeat(5) + KEY.enter);
      await s.settle(/Call flow/);
      s.write('e');
      const pane = await s.settle(/Findings \(2\)[\s\S]*warning unavailable[\s\S]*info +nat-mismatch/);
      matchSnapshot(`findings-${size}-aaa`, pane);
      s.write(KEY.enter);
      await s.settle(/Call flow(?![\s\S]*Findings \()/);
      // The 480 is the message the finding points at: Enter opens it alone.
      s.write(KEY.enter);
      assert.match(await s.settle(/Message 7 of 8/), /SIP\/2\.0 480 Error/);
    });

    test('finding marks stay beside the time when a ladder wider than the screen scrolls sideways', async () => {
      const s = await open('wswiki/wireuploaded.pcap', cols, rows);
      s.write('*' + KEY.enter);
      await s.settle(/Hosts 1-\d+ of 24/);
      // Down to the 403s to the REGISTERs of 192.168.60.76 (forbidden).
      s.write(KEY.pageDown.repeat(rows === 24 ? 7 : 4));
      const marks = (screen: string): string[] => screen.split('\n').flatMap((l) => /^\d\d:\d\d:\d\d\.\d{6} [●○]/.exec(l) ?? []);
      const before = marks(await s.settle(/^\d\d:\d\d:\d\d\.\d{6} ●/m));
      s.write(KEY.right.repeat(2));
      const scrolled = await s.settle(/Hosts 3-\d+ of 24/);
      matchSnapshot(`flow-scrolled-marks-${size}-wireuploaded`, scrolled);
      assert.ok(before.length >= 2, 'the screen shows marked messages');
      assert.deepEqual(marks(scrolled), before);
    });

    test('media and fax columns: streams, worst MOS and loss %, the fax verdict; > sorts by them', async () => {
      const s = await open('wswiki/LtoZ_rtpFilter_fail_2.pcap', cols, rows, { HOME: MEDIA_HOME });
      const list = await s.settle(/Streams MOS +Loss %/);
      matchSnapshot(`list-media-${size}-ltoz`, list);
      if (cols >= 100) assert.match(list, /COMPLETED +2 +1\.3 +0\.0 +failed 0\/0 fax-failed/);
      s.write('>>>>>');
      await s.settle(/Streams?▲/);
    });
  });
}
