import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { fileFindings } from './scenario.js';
import { REPO, sharedPcap } from '../support/cli.js';
import { SHARED_PCAPS } from '../support/shared-pcaps.js';

function findingsOf(rel: string): ReturnType<typeof fileFindings> {
  return fileFindings(sharedPcap(rel));
}

async function texts(rel: string, code: string): Promise<string[]> {
  return (await findingsOf(rel)).flatMap((d) => d.findings.filter((f) => f.code === code).map((f) => `${f.severity}: ${f.text}`));
}

test('codec-mismatch on sip-488-codec-reject: the offer disabled its only audio stream', async () => {
  assert.deepEqual(await texts('sipnab/sip-488-codec-reject.pcapng', 'codec-mismatch'), [
    'error: 488 Not Acceptable Here from 192.168.8.13:5060 to the INVITE offering audio PCMU on port 0 (disabled); it names nothing it would accept',
  ]);
});

test('aaa.pcap: cancelled, forbidden with the caller identity, auth-failed, 408, 480', async () => {
  const all = (await findingsOf('sngrep/aaa.pcap')).flatMap((d) => d.findings.map((f) => `${f.severity}:${f.code}`));
  for (const c of ['info:cancelled', 'error:forbidden', 'error:auth-failed', 'error:request-timeout', 'warning:unavailable']) assert.ok(all.includes(c), c);
  assert.ok((await texts('sngrep/aaa.pcap', 'forbidden')).includes(
    'error: 403 Wrong password or domain to INVITE from 212.242.33.35:5060; calling identities: From 35104723 (8 digits, no + or prefix)'));
  assert.deepEqual(await texts('sngrep/aaa.pcap', 'cancelled'), ['info: CANCEL from 192.168.1.2:5060 34 s after the INVITE, before any ringing']);
});

test('busy, diversion, slow-setup on sip_ipv4_tcp_fragmented; redirected and not-found on fax-iz', async () => {
  assert.deepEqual(await texts('heplify/sip_ipv4_tcp_fragmented.pcap', 'busy'), ['info: 486 Busy Here to INVITE from 10.186.207.1:6060 (SIP;cause=142;text="SUCCESS")']);
  assert.deepEqual(await texts('heplify/sip_ipv4_tcp_fragmented.pcap', 'diversion'), ['warning: diverted call failed with 403 Forbidden; History-Info 79150864378']);
  assert.deepEqual(await texts('heplify/sip_ipv4_tcp_fragmented.pcap', 'slow-setup'), ['warning: 183 came 5.6 s after the INVITE to 79526377771 (threshold 5.0 s)']);
  assert.deepEqual(await texts('wswiki/fax-iz-InLife-G711.cap', 'redirected'), ['info: 302 Moved Temporarily to INVITE for 38615500003 from 81.90.176.13:5060; new target Transfer <sip:980838615500003@nextone>']);
  assert.deepEqual(await texts('wswiki/fax-iz-InLife-G711.cap', 'not-found'), ['warning: 404 Not Found to INVITE for 31655105345 from 81.90.179.5:5060']);
});

test('auth on the register captures: a wrong password (ipip0) and 401 then 403 (sip-auth-failure)', async () => {
  assert.deepEqual(await texts('heplify/ipip0.pcap', 'auth-failed'), ["error: REGISTER credentials for user '1154' answered with 401 by 157.161.10.73:5060, no success after it"]);
  assert.deepEqual((await texts('sipnab/sip-auth-failure.pcapng', 'auth-failed')).length, 2);
});

test('dropped-after-32s on ipip.pcap, no-response on webex, server-error and unavailable on sip_resp', async () => {
  assert.match((await texts('sngrep/ipip.pcap', 'dropped-after-32s'))[0] ?? '', /^error: BYE from 10\.15\.197\.103:5090 32 s after the 200 OK and no ACK seen/);
  assert.deepEqual(await texts('ndpi/webex.pcap', 'no-response'), ['error: REGISTER to 45191 sent 11 times over 32 s with no response from 172.16.1.75:5060']);
  assert.deepEqual(await texts('pcapplusplus/sip_resp.pcap', 'server-error'), ['error: 504 Server Timeout to REGISTER from 10.129.34.51:5060']);
  assert.deepEqual(await texts('pcapplusplus/sip_resp.pcap', 'unavailable'), ['warning: 503 Service Unavailable to REGISTER from 10.129.34.51:5060, Retry-After 0']);
});

/**
 * Every finding on every shared capture, counted per capture, code and severity, against a reviewed
 * list (test/diagnose/shared-findings.tsv): a rule change that adds or drops a finding anywhere shows
 * here and needs the same review again. SIPSCOPE_BLESS=1 rewrites the list.
 */
test('findings on all shared captures match the reviewed list', async () => {
  const expected = readFileSync(`${SHARED_PCAPS}EXPECTED.tsv`, 'utf8').trim().split('\n').slice(1).map((l) => l.split('\t'));
  const lines: string[] = [];
  for (const [file, , , expect] of expected) {
    if (expect === 'error') continue;
    const counts = new Map<string, number>();
    for (const d of await findingsOf(file)) {
      for (const f of d.findings) counts.set(`${f.severity}\t${f.code}`, (counts.get(`${f.severity}\t${f.code}`) ?? 0) + 1);
    }
    for (const [k, n] of [...counts].sort()) lines.push(`${file}\t${k}\t${n}`);
  }
  const golden = `${REPO}/test/diagnose/shared-findings.tsv`;
  const text = `${lines.join('\n')}\n`;
  if (process.env['SIPSCOPE_BLESS'] === '1') writeFileSync(golden, text);
  assert.equal(text, readFileSync(golden, 'utf8'));
});
