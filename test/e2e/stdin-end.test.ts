// A pcap stream on stdin is Online while it runs and Offline once it ended (tcpdump exited), as a file is.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { PCAPS, PtyScreen } from './pty-screen.js';

const running: PtyScreen[] = [];
after(() => { for (const s of running) s.kill(); });

test('after EOF on stdin the header says Offline', async () => {
  const s = new PtyScreen(['-I', '-'], 100, 24, {}, `${PCAPS}sngrep/aaa.pcap`);
  running.push(s);
  const screen = await s.settle(/Dialogs: 6/);
  assert.match(screen, /Mode: Offline/);
  assert.doesNotMatch(screen, /Online/);
  s.write('qy');
  assert.equal(await s.exited(), 0);
});
