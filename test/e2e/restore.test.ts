import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { PCAPS, PtyScreen } from './pty-screen.js';

const running: PtyScreen[] = [];
after(() => { for (const s of running) s.kill(); });

async function started(): Promise<PtyScreen> {
  const s = new PtyScreen(['-I', `${PCAPS}sngrep/aaa.pcap`], 80, 24);
  running.push(s);
  await s.settle(/Dialogs: 6(?![^\n]*Loading)[\s\S]*q Quit/);
  assert.equal(await s.restored(), false, 'runs on the alternate screen');
  return s;
}

const exits: [string, (s: PtyScreen) => void][] = [
  ['q q y', (s) => s.write('qqy')],
  ['Ctrl-C', (s) => s.write('\x03')],
  ['SIGTERM', (s) => s.signal('SIGTERM')],
  ['SIGHUP', (s) => s.signal('SIGHUP')],
];

for (const [how, leave] of exits) {
  test(`the terminal is restored after ${how}`, async () => {
    const s = await started();
    s.write('\r'); // from inside a flow, not just the list
    await s.settle(/Call flow/);
    leave(s);
    await s.exited();
    assert.ok(await s.restored(), 'normal screen and no mouse reporting');
  });
}

test('mouse reporting is on, and a click puts the cursor on a row', async () => {
  const s = await started();
  assert.notEqual(s.mouseMode, 'none');
  s.write('\x1b[<0;10;6M'); // press on the third dialog (row 6, 1-based)
  await s.settle();
  s.write(' ');
  await s.settle(/\[\*\] 3 /);

});

test('with the capture on stdin, keys are read from the terminal', async () => {
  const s = new PtyScreen(['--input=-'], 80, 24, {}, `${PCAPS}sngrep/aaa.pcap`);
  running.push(s);
  await s.settle(/Dialogs: 6[\s\S]*q Quit/);
  s.write('\x1b[B\r');
  await s.settle(/Call flow {2}Call-ID: 105090259/);
  s.write('qqy');
  assert.equal(await s.exited(), 0);
  assert.ok(await s.restored());
});
