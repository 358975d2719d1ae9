import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { PCAPS, PtyScreen } from './pty-screen.js';

const READY = /Dialogs: 6(?![^\n]*Loading)[\s\S]*q Quit/;
const running: PtyScreen[] = [];
after(() => { for (const s of running) s.kill(); });

function open(cols: number, rows: number, env: Record<string, string> = {}): PtyScreen {
  const s = new PtyScreen(['-I', `${PCAPS}sngrep/aaa.pcap`], cols, rows, env);
  running.push(s);
  return s;
}

test('256-colour terminals get 256 colours; NO_COLOR gets none; an 8-colour TERM only the base palette', async () => {
  const rich = open(80, 24);
  await rich.settle(READY);
  assert.ok(((await rich.colours()).palette256 ?? 0) > 0);

  const mono = open(80, 24, { NO_COLOR: '1' });
  await mono.settle(READY);
  assert.deepEqual(Object.keys(await mono.colours()), ['default']);

  const basic = open(80, 24, { TERM: 'xterm' });
  await basic.settle(READY);
  const used = await basic.colours();
  assert.equal(used.palette256 ?? 0, 0);
  assert.ok((used.palette ?? 0) > 0);
});

test('a resize lays the screen out again at the new size', async () => {
  const s = open(80, 24);
  await s.settle(READY);
  s.resize(132, 30);
  const after = await s.settle(/Destination {2,}Call State/);
  const lines = after.trimEnd().split('\n');
  assert.equal(lines.length, 30);
  // The wider footer has room for the keys that 80 columns left out.
  assert.match(lines[29]!, /^q Quit +Space Select .*F9 Keep .*F10 Columns/);
  assert.match(after, /212\.242\.33\.35:5060/, 'addresses no longer cut');
});
