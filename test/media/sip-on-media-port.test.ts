// An address:port an earlier call announced as media can carry SIP later: a phone whose SIP port a
// NAT reuses, or a port an old SDP named. The SIP must still be read as SIP; only what is neither
// SIP nor RTP there is a counted skip. (Found on a generated 1M-call capture: 12k dialogs lost.)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PcapOut } from '../bench/gen/pcap-out.js';
import { host, rtp, sdp, sip, type Host } from './rtp-gen.js';
import { loadCapture } from './support.js';

const T0_MS = 1_710_234_000_000;
const proxy = host('192.0.2.10', 5060);
const phone = host('192.0.2.30', 5060);
/** The phone's media port in the first call, and its SIP port (as a NAT maps it) in the second. */
const reused = host('192.0.2.30', 20000);
const proxyMedia = host('192.0.2.10', 4000);

type Event = [ms: number, from: Host, to: Host, payload: string | Buffer];

function capture(path: string): void {
  const first = 'first@192.0.2.10';
  const second = 'second@192.0.2.10';
  const ev: Event[] = [
    [0, proxy, phone, sip('INVITE sip:bob@192.0.2.30 SIP/2.0', first, '1 INVITE', proxy, phone, sdp(proxy.ip, proxyMedia.port))],
    [50, phone, proxy, sip('SIP/2.0 200 OK', first, '1 INVITE', phone, proxy, sdp(phone.ip, reused.port))],
    [60, proxy, phone, sip('ACK sip:bob@192.0.2.30 SIP/2.0', first, '1 ACK', proxy, phone)],
    [100, proxyMedia, reused, rtp({ seq: 1, ts: 160, ssrc: 1, pt: 8 })],
    [120, proxy, phone, sip('BYE sip:bob@192.0.2.30 SIP/2.0', first, '2 BYE', proxy, phone)],
    [130, phone, proxy, sip('SIP/2.0 200 OK', first, '2 BYE', phone, proxy)],
    // The second call reaches the phone at the port the first call's SDP named (and its RTCP port + 1).
    [200, proxy, reused, sip('INVITE sip:bob@192.0.2.30:20000 SIP/2.0', second, '1 INVITE', proxy, reused)],
    [210, reused, proxy, sip('SIP/2.0 486 Busy Here', second, '1 INVITE', reused, proxy)],
    [220, proxy, reused, sip('ACK sip:bob@192.0.2.30:20000 SIP/2.0', second, '1 ACK', proxy, reused)],
    [230, proxy, host(reused.ip, reused.port + 1), sip('OPTIONS sip:bob@192.0.2.30:20001 SIP/2.0', 'third@192.0.2.10', '1 OPTIONS', proxy, reused)],
    // Neither SIP nor RTP at the media port: still counted.
    [300, proxyMedia, reused, Buffer.from('not a sip message, not rtp')],
  ];
  const out = new PcapOut(path);
  for (const [ms, from, to, payload] of ev) out.udp((T0_MS + ms) * 1000, from, to, payload);
  out.close();
}

test('SIP to an address:port announced as media is read as SIP; other non-RTP there is a counted skip', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'sipscope-sip-media-'));
  try {
    const path = join(dir, 'reused.pcap');
    capture(path);
    // Without -r plain UDP takes the decoder's reused-record lane; with -r every packet is a Datagram.
    for (const keepRtp of [false, true]) {
      const { store } = await loadCapture(path, keepRtp);
      const { skipped } = store.stats();
      assert.equal(store.dialogCount(), 3, `-r ${keepRtp}: ${JSON.stringify(skipped)}`);
      assert.equal(store.messageCount(), 9);
      assert.deepEqual(skipped, { 'rtp-version': 1 });
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
