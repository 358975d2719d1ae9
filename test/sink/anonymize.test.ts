import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Anonymizer } from '../../src/sink/anonymize.js';
import { saveDialogs } from '../../src/sink/save-dialogs.js';
import { loadCapture, sharedPcap } from '../media/support.js';
import { runCli } from '../support/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'sipscope-anon-'));
after(() => rmSync(dir, { recursive: true, force: true }));

interface DialogLine { type: string; callId: string; state: string; msgs: number; from: string; to: string; src: string; dst: string; fromHost: string; toHost: string }

async function dialogs(path: string): Promise<DialogLine[]> {
  const r = await runCli(['-N', '-F', '-I', path, '--json']);
  assert.equal(r.code, 0, r.stderr);
  return r.stdout.trim().split('\n').map((l) => JSON.parse(l) as DialogLine).filter((d) => d.type === 'dialog');
}

for (const capture of ['heplify/rtp_rtcp_sip_ipv4_udp.pcap', 'sngrep/aaa.pcap']) {
  test(`anonymised pcap of ${capture} reads back to the same dialogs, states and counts, without the originals`, async () => {
    const original = await dialogs(sharedPcap(capture));
    const pipeline = await loadCapture(sharedPcap(capture));
    const ids = pipeline.store.query({}).rows(0, 100000).map((d) => d.id);
    const out = join(dir, capture.replace(/\W/g, '_') + '.pcap');
    saveDialogs(pipeline.store, ids, out, 'pcap', { anonymize: new Anonymizer() });
    const back = await dialogs(out);
    assert.deepEqual(back.map((d) => [d.state, d.msgs]), original.map((d) => [d.state, d.msgs]));
    assert.equal(new Set(back.map((d) => d.callId)).size, back.length, 'Call-IDs stay distinct');
    const bytes = readFileSync(out).toString('latin1');
    const secrets = new Set<string>();
    for (const d of original) {
      for (const v of [d.src.replace(/:\d+$/, ''), d.dst.replace(/:\d+$/, ''), d.from, d.to, d.fromHost, d.toHost]) if (v.length >= 4) secrets.add(v);
    }
    for (const s of secrets) assert.ok(!bytes.includes(s), `${s} is gone from the saved file`);
    // Raw IP headers hold the addresses as bytes, not text.
    for (const ip of [...secrets].filter((s) => /^\d+\.\d+\.\d+\.\d+$/.test(s))) {
      assert.ok(!readFileSync(out).includes(Buffer.from(ip.split('.').map(Number))), `${ip} is gone from the IP headers`);
    }
  });
}

test('stand-ins are consistent and keep the shape of what they replace', () => {
  const a = new Anonymizer();
  assert.equal(a.ip('192.0.2.7'), a.ip('192.0.2.7'));
  assert.notEqual(a.ip('192.0.2.7'), a.ip('192.0.2.8'));
  assert.equal(a.number('+4930123456').length, '+4930123456'.length);
  assert.match(a.number('+4930123456'), /^\+\d{10}$/);
  const text = a.text('From: "Alice" <sip:alice@pbx.example.com>;tag=1\r\nContact: <sip:+4930123456@192.0.2.7:5060>');
  assert.ok(!/alice|Alice|example\.com|192\.0\.2\.7|4930123456/.test(text), text);
  assert.equal(a.text('sip:alice@pbx.example.com'), a.text('sip:alice@pbx.example.com'));
  const msg = Buffer.from('INVITE sip:bob@192.0.2.9 SIP/2.0\r\nContent-Length: 26\r\n\r\nc=IN IP4 192.0.2.9\r\nm=x\r\n');
  const out = a.message(msg).toString('latin1');
  const body = out.slice(out.indexOf('\r\n\r\n') + 4);
  assert.equal(Number(/Content-Length: (\d+)/.exec(out)![1]), Buffer.byteLength(body));
});

test('--anonymize on --flow, -T, --csv and --json: none of the originals, and the same stand-ins in each', async () => {
  const capture = sharedPcap('heplify/rtp_rtcp_sip_ipv4_udp.pcap');
  const original = await dialogs(capture);
  const files = ['flow.svg', 'flow.md', 'flow.html', 'flow.txt', 'dialogs.txt', 'list.csv'].map((f) => join(dir, `cli-${f}`));
  const outputs: string[] = [];
  for (const f of files) {
    const flag = f.endsWith('dialogs.txt') ? '-T' : f.endsWith('.csv') ? '--csv' : '--flow';
    const r = await runCli(['-N', '-F', '-I', capture, '--anonymize', '--json', flag, f]);
    assert.equal(r.code, 0, r.stderr);
    outputs.push(readFileSync(f, 'utf8'), r.stdout);
  }
  const messages = await runCli(['-N', '-F', '-I', capture, '--anonymize', '--json', 'messages']);
  outputs.push(messages.stdout);
  const all = outputs.join('\n');
  for (const d of original) {
    for (const v of [d.src.replace(/:\d+$/, ''), d.dst.replace(/:\d+$/, ''), d.from, d.to, d.fromHost, d.toHost]) {
      if (v.length >= 4) assert.ok(!all.includes(v), `${v} is gone from every export`);
    }
  }
  const anonDialogs = outputs[1]!.trim().split('\n').map((l) => JSON.parse(l) as DialogLine).filter((d) => d.type === 'dialog');
  assert.deepEqual(anonDialogs.map((d) => [d.state, d.msgs]), original.map((d) => [d.state, d.msgs]));
  for (const d of anonDialogs) assert.ok(outputs[0]!.includes(d.src), `the flow shows ${d.src} as the JSON does`);
});
