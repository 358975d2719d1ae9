// Saving keeps what was captured: the frames a saved pcap/pcapng holds are the original frames of
// the dialogs' messages, byte for byte (every TCP segment and IP fragment of a reassembled one),
// with their link layer. tshark says which frames of the original carry the messages.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { openFile } from '../../src/source/file-source.js';
import { PcapngWriter } from '../../src/sink/pcapng-writer.js';
import { saveDialogs } from '../../src/sink/save-dialogs.js';
import { loadCapture, sharedPcap } from '../media/support.js';
import { missingTools } from '../support/kamailio.js';
import { dialogId } from '../support/ids.js';

const dir = mkdtempSync(join(tmpdir(), 'sipscope-save-frames-'));
after(() => rmSync(dir, { recursive: true, force: true }));

interface ReadFrame {
  index: number;
  ts: bigint;
  linktype: number;
  origLen: number;
  hex: string;
}

/** Every frame of a capture, as our reader delivers it (copied). */
async function readFrames(path: string): Promise<ReadFrame[]> {
  const frames: ReadFrame[] = [];
  const source = openFile(path);
  await source.start({ frame: (f) => frames.push({ index: f.index, ts: f.ts, linktype: f.linktype, origLen: f.origLen, hex: f.data.toString('hex') }) });
  source.stop();
  return frames;
}

/** The frame numbers tshark says carry SIP, with every TCP segment, IP fragment and SCTP chunk of reassembled messages. */
function sipFrames(path: string, decodeAs: string[] = []): number[] {
  const r = spawnSync('tshark', ['-r', path, ...decodeAs, '-Y', 'sip', '-T', 'fields', '-e', 'frame.number', '-e', 'tcp.segment', '-e', 'ip.fragment', '-e', 'ipv6.fragment', '-e', 'sctp.fragment', '-E', 'separator=,'], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  const numbers = r.stdout.split(/[\n,]/).filter((s) => s.trim() !== '').map(Number);
  return [...new Set(numbers)].sort((a, b) => a - b);
}

const tshark = missingTools(['tshark']);
const CASES: { capture: string; gzip?: boolean; linktype: number; decodeAs?: string[]; why: string }[] = [
  { capture: 'sngrep/aaa.pcap', linktype: 1, why: 'Ethernet with its MAC addresses' },
  { capture: 'sngrep/ipv6frag.pcap', linktype: 113, why: 'Linux cooked, IPv6 fragments' },
  { capture: 'heplify/sip_ipv4_tcp_fragmented.pcap', linktype: 1, decodeAs: ['-d', 'tcp.port==6060,sip'], why: 'messages over several TCP segments' },
  { capture: 'ndpi/gre.pcapng', linktype: 1, why: 'pcapng in, a VLAN tag and GRE kept' },
  { capture: 'heplify/sip_sctp.pcap', linktype: 113, why: 'Linux cooked, SCTP' },
  { capture: 'heplify/sip_tcp_websocket.pcap', linktype: 1, decodeAs: ['-d', 'tcp.port==8080,http'], why: 'SIP over WebSocket' },
  { capture: 'heplify/sip_ipv4_tcp_retrans.pcap', linktype: 113, why: 'UDP and TCP' },
  { capture: 'sngrep/aaa.pcap', gzip: true, linktype: 1, why: 'gzipped: the frames are kept in memory, not read back from the file' },
];

for (const { capture, gzip, linktype, decodeAs, why } of CASES) {
  for (const format of ['pcap', 'pcapng'] as const) {
    test(`${format} save of every dialog of ${capture} (${why}) holds its SIP frames byte for byte`, { skip: tshark }, async () => {
      const name = `${capture.replace('/', '-')}${gzip ? '.gz' : ''}`;
      const path = gzip ? join(dir, name) : sharedPcap(capture);
      if (gzip) writeFileSync(path, gzipSync(readFileSync(sharedPcap(capture))));
      const { store } = await loadCapture(path);
      const out = join(dir, `${name}.${format}`);
      const all = Array.from({ length: store.dialogCount() }, (_, i) => dialogId(i));
      const result = saveDialogs(store, all, out, format);
      assert.equal(result.rawIp, undefined);

      const original = await readFrames(path);
      const want = sipFrames(path, decodeAs).map((n) => original[n - 1]!);
      const saved = await readFrames(out);
      assert.equal(result.packets, saved.length);
      assert.ok(saved.every((f) => f.linktype === linktype), `every saved frame is link type ${linktype}`);
      const shape = (f: ReadFrame) => `${f.ts} ${f.linktype} ${f.origLen} ${f.hex}`;
      assert.deepEqual(saved.map(shape).sort(), want.map(shape).sort());
    });
  }
}

test('frames of two link types: pcapng keeps an interface for each, pcap falls back to raw IP and says why', { skip: tshark }, async () => {
  // A capture with Ethernet and Linux cooked frames, as `-i any` plus a tunnel would give.
  const eth = await readFrames(sharedPcap('sngrep/aaa.pcap'));
  const sll = await readFrames(sharedPcap('sngrep/ipv6frag.pcap'));
  const mixed = join(dir, 'mixed.pcapng');
  const w = PcapngWriter.open(mixed, 1);
  for (const f of [...eth, ...sll]) w.write({ ts: f.ts, linktype: f.linktype, origLen: f.origLen, data: Buffer.from(f.hex, 'hex') });
  w.close();

  const { store } = await loadCapture(mixed);
  const all = Array.from({ length: store.dialogCount() }, (_, i) => dialogId(i));
  const asPcapng = join(dir, 'mixed-out.pcapng');
  const ng = saveDialogs(store, all, asPcapng, 'pcapng');
  assert.equal(ng.rawIp, undefined);
  const original = await readFrames(mixed);
  const want = sipFrames(mixed).map((n) => original[n - 1]!);
  const saved = await readFrames(asPcapng);
  const shape = (f: ReadFrame) => `${f.ts} ${f.linktype} ${f.hex}`;
  assert.deepEqual(saved.map(shape).sort(), want.map(shape).sort());
  assert.deepEqual([...new Set(saved.map((f) => f.linktype))].sort(), [1, 113]);

  const asPcap = join(dir, 'mixed-out.pcap');
  const classic = saveDialogs(store, all, asPcap, 'pcap');
  assert.equal(classic.rawIp, 'raw IP: frames of 2 link types (Ethernet, Linux cooked); pcapng keeps each');
  const raw = await readFrames(asPcap);
  assert.ok(raw.every((f) => f.linktype === 101));
  // The IP packets themselves are the captured ones: each is the tail of an original frame.
  const tails = new Set(want.map((f) => f.hex));
  assert.ok(raw.every((f) => [...tails].some((t) => t.endsWith(f.hex))), 'every raw IP packet is a captured one without its link header');
  const back = (await loadCapture(asPcap)).store;
  assert.equal(back.dialogCount(), store.dialogCount());
  assert.equal(back.messageCount(), store.messageCount());
});
