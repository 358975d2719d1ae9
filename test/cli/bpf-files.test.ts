// The trailing BPF filter applies to capture files and to streams on stdin as tcpdump -r applies
// it: libpcap compiles it for the file's link type and judges every record. Counts are compared
// with tcpdump reading the same file with the same filter.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { runCli, sharedPcap } from '../support/cli.js';

const CASES: [string, string][] = [
  ['sngrep/aaa.pcap', 'udp port 5060'],
  ['sngrep/aaa.pcap', 'not port 5060'],
  ['heplify/rtp_rtcp_sip_ipv4_udp.pcap', 'port 5060 or portrange 10000-10010'],
  ['heplify/sip_ipv4_tcp_retrans.pcap', 'tcp'], // Linux cooked capture
  ['sngrep/ipv6frag.pcap', 'ip6 proto 44'], // SLL, the IPv6 fragments
  ['sipnab/b2bua-asterisk.pcapng', 'udp and greater 600'],
  ['wswiki/h223-over-rtp.pcap.gz', 'udp port 5060'], // gzip: read as a stream
];

function whyNoTcpdump(): string | false {
  if (spawnSync('sh', ['-c', 'command -v tcpdump']).status === 0) return false;
  if (process.env.CI) throw new Error('CI needs tcpdump for the BPF-on-files test (apt-get install tcpdump)');
  return 'needs tcpdump';
}

/** Packets tcpdump's libpcap passes: one line each with -q. */
function tcpdumpCount(file: string, filter: string): number {
  const input = file.endsWith('.gz') ? gunzipSync(readFileSync(file)) : undefined;
  const out = execFileSync('tcpdump', ['-r', input ? '-' : file, '-nn', '-q', filter], { input, encoding: 'utf8', stdio: ['pipe', 'pipe', 'ignore'] });
  return out.split('\n').filter((l) => l !== '').length;
}

async function framesKept(args: string[], stdin?: Buffer): Promise<{ frames: number; dialogs: number }> {
  const r = await runCli(['-N', '--json', ...args], stdin ? { stdin } : {});
  assert.equal(r.code, 0, r.stderr);
  const summary = JSON.parse(r.stdout.trimEnd().split('\n').at(-1)!) as { frames: number; dialogs: number };
  return summary;
}

for (const [file, filter] of CASES) {
  test(`-I ${file} ${filter}: the frames tcpdump -r passes`, { skip: whyNoTcpdump() }, async () => {
    const path = sharedPcap(file);
    const expected = tcpdumpCount(path, filter);
    const all = await framesKept(['-I', path]);
    const kept = await framesKept(['-I', path, ...filter.split(' ')]);
    assert.equal(kept.frames, expected);
    assert.ok(kept.frames < all.frames, 'the filter left something out');
  });
}

test('-I - with a BPF filter: a stream on stdin is filtered the same way', { skip: whyNoTcpdump() }, async () => {
  const path = sharedPcap('sngrep/aaa.pcap');
  const kept = await framesKept(['-I', '-', 'udp', 'port', '5060'], readFileSync(path));
  assert.equal(kept.frames, tcpdumpCount(path, 'udp port 5060'));
});

test('a filter that selects no SIP leaves no dialogs; one that selects all SIP keeps them all', async () => {
  const path = sharedPcap('sngrep/aaa.pcap');
  assert.equal((await framesKept(['-I', path, 'not', 'port', '5060'])).dialogs, 0);
  assert.equal((await framesKept(['-I', path, 'port', '5060'])).dialogs, (await framesKept(['-I', path])).dialogs);
});

test('a bad BPF filter on a file is one line and exit 2', async () => {
  const r = await runCli(['-N', '-I', sharedPcap('sngrep/aaa.pcap'), 'port', '99999999']);
  assert.equal(r.code, 2);
  assert.equal(r.stdout, '');
  assert.equal(r.stderr, "sipscope: invalid BPF filter 'port 99999999': illegal port number 99999999 > 65535\n");
});

test('a filter libpcap cannot compile for the file\'s link type says so', async () => {
  // Linux cooked capture has no Ethernet addresses.
  const r = await runCli(['-N', '-I', sharedPcap('sngrep/ipv6frag.pcap'), 'ether', 'host', '00:11:22:33:44:55']);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /^sipscope: invalid BPF filter 'ether host 00:11:22:33:44:55' on this capture's link type 113: .+\n$/);
});
