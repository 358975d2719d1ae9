import { dialogId, held, messageId } from '../support/ids.js';
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InputError } from '../../src/model/errors.js';
import type { StoreView } from '../../src/model/store-view.js';
import { openFile } from '../../src/source/file-source.js';
import { saveDialogs, type SaveFormat } from '../../src/sink/save-dialogs.js';
import { loadCapture, sharedPcap } from '../media/support.js';

const dir = mkdtempSync(join(tmpdir(), 'sipscope-save-'));
after(() => rmSync(dir, { recursive: true, force: true }));

/** What must survive a save: per dialog its Call-ID and every message's bytes and addresses. */
function dialogs(store: StoreView, positions: number[]): unknown[] {
  return positions.map((p) => {
    const d = held(store, p);
    return {
      callId: d.callId,
      state: d.state,
      messages: d.messages.map((i) => {
        const m = store.message(messageId(i));
        return [m.ts, m.src, m.sport, m.dst, m.dport, m.transport, store.messageBytes(messageId(i)).toString('latin1')];
      }),
    };
  });
}

/** tshark (when installed) reads the whole file without complaint; returns its packet count. */
function tsharkPackets(path: string): number | undefined {
  const r = spawnSync('tshark', ['-r', path, '-T', 'fields', '-e', 'frame.number'], { encoding: 'utf8' });
  if (r.error) return undefined;
  assert.equal(r.status, 0, r.stderr);
  assert.doesNotMatch(r.stderr, /appears to|cut short|damaged/i);
  return r.stdout.trim().split('\n').filter(Boolean).length;
}

for (const format of ['pcap', 'pcapng'] as const) {
  for (const [capture, picks] of [['sngrep/aaa.pcap', [1, 3, 4]], ['heplify/sip_ipv4_tcp.pcap', [0]], ['sngrep/ipv6frag.pcap', [0]]] as const) {
    test(`${format}: dialogs ${picks.join(',')} of ${capture} read back the same`, async () => {
      const { store } = await loadCapture(sharedPcap(capture));
      const out = join(dir, `${capture.replace('/', '-')}.${format}`);
      const result = saveDialogs(store, picks.map(dialogId), out, format);
      const count = picks.map((p) => held(store, p).messages.length).reduce((a, b) => a + b, 0);
      // Every frame a message came in: the two fragmented IPv6 datagrams add a frame each.
      const frames = capture === 'sngrep/ipv6frag.pcap' ? count + 2 : count;
      assert.deepEqual(result, { dialogs: picks.length, messages: count, packets: frames });

      const back = (await loadCapture(out)).store;
      assert.equal(back.dialogCount(), picks.length);
      assert.deepEqual(dialogs(back, picks.map((_, i) => i)), dialogs(store, [...picks]));
      const seen = tsharkPackets(out);
      if (seen !== undefined) assert.equal(seen, frames);
    });
  }
}

for (const format of ['pcap', 'pcapng'] as const) {
  test(`${format} with -r: the dialog's RTP is saved with its SIP, in time order`, async () => {
    const { store, media } = await loadCapture(sharedPcap('sipnab/sip-rtp-g711.pcap'), true);
    const all = Array.from({ length: store.dialogCount() }, (_, i) => dialogId(i));
    const rtp = all.reduce((n, p) => n + media!.packets(held(store, p).id).length, 0);
    assert.ok(rtp >= 839, `${rtp} media packets kept`);
    const out = join(dir, `g711.${format}`);
    const result = saveDialogs(store, all, out, format, { media });
    assert.equal(result.packets, result.messages + rtp);

    const back = await loadCapture(out, true);
    assert.deepEqual(dialogs(back.store, all), dialogs(store, all));
    const streams = (s: typeof back.store) => all.flatMap((p) => s.streams(held(s, p).id)).map((x) => [x.ssrc, x.payloadType, x.packets, x.lost, x.maxJitterMs]);
    assert.deepEqual(streams(back.store), streams(store));
    const times: bigint[] = [];
    const source = openFile(out);
    await source.start({ frame: (f) => times.push(f.ts) });
    source.stop();
    assert.ok(times.every((t, i) => i === 0 || times[i - 1]! <= t), 'records in time order');
    const seen = tsharkPackets(out);
    if (seen !== undefined) assert.equal(seen, result.packets);
  });
}

test('txt: sngrep-like text, one header line per message', async () => {
  const { store } = await loadCapture(sharedPcap('sngrep/aaa.pcap'));
  const out = join(dir, 'aaa.txt');
  const result = saveDialogs(store, [dialogId(1)], out, 'txt');
  const d = held(store, 1);
  assert.deepEqual(result, { dialogs: 1, messages: d.messages.length, packets: d.messages.length });
  const text = readFileSync(out, 'utf8');
  const headers = text.match(/^\d{4}\/\d\d\/\d\d \d\d:\d\d:\d\d\.\d{6} \S+ -> \S+$/gm) ?? [];
  assert.equal(headers.length, d.messages.length);
  assert.ok(text.includes(store.messageBytes(messageId(d.messages[0]!)).toString('utf8')));
});

test('an unwritable path is an InputError naming the file', async () => {
  const { store } = await loadCapture(sharedPcap('sngrep/aaa.pcap'));
  for (const format of ['pcap', 'pcapng', 'txt'] as SaveFormat[]) {
    const path = join(dir, 'missing', `x.${format}`);
    assert.throws(() => saveDialogs(store, [dialogId(0)], path, format), (e: unknown) => e instanceof InputError && e.message === `cannot write ${path}: no such file or directory`);
  }
});
