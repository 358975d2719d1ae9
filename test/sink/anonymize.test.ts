import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Anonymizer } from '../../src/sink/anonymize.js';
import { saveDialogs } from '../../src/sink/save-dialogs.js';
import { loadCapture, sharedPcap } from '../media/support.js';
import { runCli } from '../support/cli.js';
import { RECEIVER, SENDER, writeFaxCall } from '../media/fax-gen.js';

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

test('IPv6 addresses in message text get the same stand-in as the packet addresses', () => {
  const a = new Anonymizer();
  const text = a.text('Via: SIP/2.0/UDP [2001:DB8:0::10]:5060;branch=z9hG4bK1\r\nContact: <sip:alice@[2001:db8::10]:5060>\r\n\r\nc=IN IP6 2001:db8::20\r\no=- 1 1 IN IP6 ::ffff:192.0.2.1');
  assert.ok(!/2001|db8|192\.0\.2/i.test(text), text);
  assert.ok(text.includes(`[${a.ip('2001:db8::10')}]:5060`), text);
  assert.ok(text.includes(`IN IP6 ${a.ip('2001:db8::20')}`), text);
  assert.equal(a.text('Date: Tue, 01 Dec 2026 12:34:56 GMT'), 'Date: Tue, 01 Dec 2026 12:34:56 GMT', 'times are no addresses');
});

test('numbers are replaced where they name a party, of any length, and consistently; CSeq and other counters keep theirs', () => {
  const a = new Anonymizer();
  const msg = [
    'INVITE sip:1001@pbx.example.com SIP/2.0',
    'From: <sip:4930123456@pbx.example.com>;tag=123456789',
    'To: "2002" <sip:2002@pbx.example.com>',
    'CSeq: 4930123456 INVITE',
    'Max-Forwards: 70',
    'X-Caller: 4930123456',
    'X-Order: 7654321',
    'Content-Length: 0',
  ].join('\r\n');
  const out = a.text(msg);
  for (const n of ['1001', '2002', 'sip:4930123456']) assert.ok(!out.includes(n), `${n} is gone: ${out}`);
  assert.match(out, /^CSeq: 4930123456 INVITE$/m, 'CSeq keeps its number');
  assert.match(out, /^X-Order: 7654321$/m, 'a number no party has stays');
  assert.match(out, new RegExp(`^X-Caller: ${a.number('4930123456')}$`, 'm'), 'a party number elsewhere gets its stand-in');
  assert.match(out, /;tag=123456789/, 'tags are no numbers');
  assert.equal(a.user('1001').length, 4, 'a short number keeps its length');
});

test('--anonymize: fax JSON lines carry stand-ins for addresses and station IDs; -O is refused with one line', async () => {
  const capture = writeFaxCall('fax-anon.pcap', { ftt: true });
  const r = await runCli(['-N', '-F', '--json', '--anonymize', '-I', capture]);
  assert.equal(r.code, 0, r.stderr);
  const fax = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>).find((l) => l.type === 'fax')!;
  const text = JSON.stringify(fax);
  for (const original of [SENDER.ip, RECEIVER.ip, SENDER.id, RECEIVER.id, SENDER.id.replace(/\D/g, '')]) assert.ok(!text.includes(original), `${original} is gone: ${text}`);
  assert.match(String(fax.calling), /^\+\d{4} \d{7}$/, 'the station ID keeps its shape');
  assert.equal(fax.result, 'ok');

  const refused = await runCli(['-N', '-F', '--anonymize', '-I', capture, '-O', join(dir, 'never.pcap')]);
  assert.notEqual(refused.code, 0);
  assert.match(refused.stderr, /^sipscope: --anonymize does not apply to -O, which writes every packet as captured; .*\n$/);
});
