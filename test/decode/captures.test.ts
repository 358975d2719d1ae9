import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { Decoder } from '../../src/decode/decoder.js';
import { looksLikeSipStart } from '../../src/decode/sip-framing.js';
import { openFile } from '../../src/source/file-source.js';
import { sharedPcap } from '../support/shared-pcaps.js';

const pcap = sharedPcap;

function expectedSip(): Map<string, number> {
  const [, ...lines] = fs.readFileSync(pcap('EXPECTED.tsv'), 'utf8').trimEnd().split('\n');
  return new Map(lines.map((l) => l.split('\t')).map(([file, sip]) => [file, Number(sip)]));
}

interface Outcome {
  sip: number;
  hepSip: number;
  skipped: Record<string, number>;
  badOffsets: number;
}

async function decodeFile(name: string): Promise<Outcome> {
  const out: Outcome = { sip: 0, hepSip: 0, skipped: {}, badOffsets: 0 };
  const source = openFile(pcap(name));
  const decoder = new Decoder({
    datagram(d) {
      if (!looksLikeSipStart(d.payload, 0)) return;
      out.sip++;
      if (d.viaHep) out.hepSip++;
      if (d.fileOffset >= 0 && !source.readAt?.(d.fileOffset, d.payload.length).equals(d.payload)) out.badOffsets++;
    },
    skip(reason) {
      out.skipped[reason] = (out.skipped[reason] ?? 0) + 1;
    },
  });
  try {
    await source.start({ frame: (f) => decoder.push(f) });
    decoder.flush();
  } finally {
    source.stop();
  }
  return out;
}

const cases = [
  'sngrep/ipip.pcap',
  'sngrep/ipv6frag.pcap',
  'heplify/sip_sctp.pcap',
  'heplify/sip_tcp_websocket.pcap',
  'heplify/sip_ipv4_tcp_fragmented.pcap',
  'heplify/erspan_sip_ipv4_udp.pcapng',
  'ndpi/gre.pcapng',
  'arkime/gtp-iphone.pcap',
  'sipnab/DTMFsipinfo.pcap',
  'suricata-verify/sip-body-large.pcap',
  'sipnab/h263-over-rtp.pcap',
  'heplify/ipip0.pcap',
  'heplify/sip_ipv4_tcp_retrans.pcap',
  'rtcagent/dump.pcap',
  'ndpi/http_on_sip_port.pcap',
  'sngrep/tlssaved.pcap',
  'linklayer-nosip/simple_http_sll2.pcap',
];

for (const name of cases) {
  test(`${name}: SIP datagrams as EXPECTED.tsv says, file offsets exact`, async () => {
    const r = await decodeFile(name);
    assert.equal(r.sip, expectedSip().get(name));
    assert.equal(r.badOffsets, 0);
  });
}

test('hep-wireshark/hep.pcap: the SIP inside HEP3', async () => {
  const r = await decodeFile('hep-wireshark/hep.pcap');
  assert.equal(r.hepSip, 6);
});

test('TLS without a handshake is counted once per connection, not decoded', async () => {
  const r = await decodeFile('sngrep/tlssaved.pcap');
  assert.equal(r.skipped['tls-no-handshake'], 2);
});

test('the fuzzed capture and compressed HEP go through without throwing', async () => {
  const fuzz = await decodeFile('ndpi/fuzz-2006-06-26-2594.pcap');
  assert.ok(fuzz.sip > 0);
  assert.equal(fuzz.badOffsets, 0);
  const hep = await decodeFile('hep-wireshark/hep3_compressed.pcap.pcapng');
  assert.equal(hep.hepSip, 21);
});
