import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { matchSnapshot, PCAPS, PtyScreen } from './pty-screen.js';

const KEY = { down: '\x1b[B', enter: '\r', tab: '\t', escape: '\x1b', space: ' ' } as const;
const LIST_READY = /Dialogs: \d+(?![^\n]*Loading)[\s\S]*q Quit/;
const SIZES: [number, number][] = [[80, 24], [160, 40]];
/** A home without an rc file, so the settings screen names the same file everywhere. */
const HOME = '/nonexistent-sipscope-home';

const running: PtyScreen[] = [];
after(() => { for (const s of running) s.kill(); });

async function open(capture: string, cols: number, rows: number): Promise<PtyScreen> {
  const s = new PtyScreen(['-I', `${PCAPS}${capture}`], cols, rows, { HOME });
  running.push(s);
  await s.settle(LIST_READY);
  return s;
}

for (const [cols, rows] of SIZES) {
  const size = `${cols}x${rows}`;
  describe(`finding the one call at ${size}`, () => {
    test('filter form: From typed and INVITE checked narrow the list live', async () => {
      const s = await open('sipnab/b2bua-asterisk.pcapng', cols, rows);
      s.write('f');
      await s.settle(/Display filter/);
      s.write('telephone1' + KEY.tab.repeat(5) + KEY.down + KEY.space);
      matchSnapshot(`filter-form-${size}-b2bua`, await s.settle(/filtered 2\/12[\s\S]*\[\*\] INVITE/));
      s.write(KEY.enter);
      await s.settle(/q Quit/);
    });

    test('filter expression: the count as it is typed, then the filtered list', async () => {
      const s = await open('sipnab/b2bua-asterisk.pcapng', cols, rows);
      s.write(':dstnum 2302 or state completed');
      assert.match(await s.settle(/2 matching/), /Filter: dstnum 2302 or state completed_/);
      s.write(KEY.enter);
      matchSnapshot(`list-filtered-${size}-b2bua`, await s.settle(/\[filtered 2\/12\][\s\S]*q Quit/));
    });

    test('search: matching cells highlighted, n moves to the next row', async () => {
      const s = await open('sngrep/aaa.pcap', cols, rows);
      s.write('/invite' + KEY.enter);
      await s.settle(/Search: invite[\s\S]*q Quit/);
      s.write('n');
      matchSnapshot(`search-${size}-aaa`, await s.settle(/Search: invite/));
    });

    test('column chooser: Call-ID added, Method moved after SIP To', async () => {
      const s = await open('sngrep/aaa.pcap', cols, rows);
      s.write('t');
      await s.settle(/Call list columns/);
      s.write('jJJ' + KEY.down.repeat(9) + KEY.space);
      matchSnapshot(`columns-${size}-aaa`, await s.settle(/\[\*\] Call-ID/));
      s.write('q');
      assert.match(await s.settle(/q Quit/), /Idx SIP From +SIP To +Method/);
    });

    test('settings screen', async () => {
      const s = await open('sngrep/aaa.pcap', cols, rows);
      s.write('o');
      await s.settle(/Settings/);
      s.write('jjj' + KEY.enter);
      matchSnapshot(`settings-${size}-aaa`, await s.settle(/Sort order +desc/));
      s.write('q');
      await s.settle(/Idx▼|Id▼|Idx v/);
    });
  });
}
