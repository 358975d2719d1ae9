// Issue 16: the TUI keeps answering keys while a hostile capture loads (no packet may hold
// the event loop for long; the readers yield between time slices).
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { repro, reproFiles } from '../reliability/repro-run.js';
import { PtyScreen } from './pty-screen.js';

const running: PtyScreen[] = [];
after(() => {
  for (const s of running) s.kill();
});

test('a key is answered within 1 s while the 200k-header-names capture loads', { skip: reproFiles() === undefined && 'no ../shared/repros here' }, async () => {
  const s = new PtyScreen(['-I', repro('hang-dialog-200k-distinct-header-names.pcap.gz')], 100, 30);
  running.push(s);
  // Press as soon as the first screen is drawn: the file is still loading then.
  await s.settle(/Mode: Offline/, 20_000, 0);
  const pressed = Date.now();
  s.write('?');
  await s.settle('sipscope keys', 5000, 0);
  const answered = Date.now() - pressed;
  assert.ok(answered < 1000, `help appeared after ${answered} ms`);
  s.write('qqy');
  await s.exited(10_000);
});
