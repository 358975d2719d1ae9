// From/To hosts on screen and in JSON: fromHost/toHost agree with tshark's sip.from.host and
// sip.to.host; the filter form's From field and `/` search find a dialog by its domain.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { runCli, sharedPcap } from '../support/cli.js';
import { PCAPS, PtyScreen } from './pty-screen.js';

const running: PtyScreen[] = [];
after(() => { for (const s of running) s.kill(); });
const LIST_READY = /Dialogs: \d+(?![^\n]*Loading)[\s\S]*q Quit/;

function whyNoTshark(): string | false {
  if (spawnSync('sh', ['-c', 'command -v tshark']).status === 0) return false;
  if (process.env.CI) throw new Error('CI needs tshark (apt-get install tshark)');
  return 'needs tshark';
}

for (const capture of ['sngrep/aaa.pcap', 'sipnab/b2bua-asterisk.pcapng']) {
  test(`${capture}: fromHost/toHost are tshark's From/To hosts of each dialog's first message`, { skip: whyNoTshark() }, async () => {
    const file = sharedPcap(capture);
    const fields = execFileSync('tshark', ['-r', file, '-Y', 'sip', '-T', 'fields', '-e', 'sip.Call-ID', '-e', 'sip.from.host', '-e', 'sip.to.host'], { encoding: 'utf8' });
    const first = new Map<string, string>();
    for (const line of fields.split('\n')) {
      const [callId, from, to] = line.split('\t');
      if (callId && !first.has(callId)) first.set(callId, `${from}|${to}`);
    }
    const r = await runCli(['-N', '--json', '-I', file]);
    const dialogs = r.stdout.split('\n').filter((l) => l.startsWith('{"type":"dialog"')).map((l) => JSON.parse(l) as { callId: string; fromHost: string; toHost: string });
    assert.ok(dialogs.length > 0);
    for (const d of dialogs) assert.equal(`${d.fromHost}|${d.toHost}`, first.get(d.callId), d.callId);
  });
}

test('--filter from DOMAIN keeps every dialog from that domain', async () => {
  const r = await runCli(['-N', '--json', '-I', sharedPcap('sngrep/aaa.pcap'), '--filter', 'from sip.cybercity.dk']);
  const dialogs = r.stdout.split('\n').filter((l) => l.startsWith('{"type":"dialog"')).map((l) => JSON.parse(l) as { fromHost: string });
  assert.equal(dialogs.length, 5);
  assert.ok(dialogs.every((d) => d.fromHost === 'sip.cybercity.dk'));
});

test('the filter form and / search find a dialog by a host no column shows', async () => {
  const s = new PtyScreen(['-I', `${PCAPS}sngrep/aaa.pcap`], 100, 24, { HOME: '/nonexistent-sipscope-home' });
  running.push(s);
  await s.settle(LIST_READY);
  s.write('/brurjula\r'); // only the second dialog's From host
  await s.settle(/Search: brurjula[\s\S]*q Quit/);
  s.write('\r');
  await s.settle(/Call flow {2}Call-ID: 105090259/);
  s.write('q');
  await s.settle(LIST_READY);
  s.write('f');
  await s.settle(/Display filter/);
  s.write('brurjula\r');
  assert.match(await s.settle(/filtered 1\/6/), /INVITE/);
});
