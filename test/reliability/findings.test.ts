// One regression test per finding of issue 16 (the fuzz repros in ../shared/repros, plus the
// measured cases that have no file there), at the layer that was fixed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { DecodeContext } from '../../src/decode/context.js';
import { FragmentTable } from '../../src/decode/fragments.js';
import { REGISTRY } from '../../src/decode/registry.js';
import { DEFAULT_STREAM_LIMITS, TcpStreams } from '../../src/decode/tcp-stream.js';
import { Pipeline } from '../../src/cli/pipeline.js';
import { parseOptions, withSettings } from '../../src/cli/options.js';
import { defaultSettings } from '../../src/config/settings.js';
import type { FrameSink, FrameSource, SourceEnd } from '../../src/model/frame.js';
import { MAX_FRAME_TIME } from '../../src/source/frame-time.js';
import { openFile } from '../../src/source/file-source.js';
import { openTextDump, TextDumpReader } from '../../src/source/text-dump.js';
import { unknownFormatError } from '../../src/source/format.js';
import { safeJson, isUnsafeCodePoint } from '../../src/sink/unsafe-text.js';
import { DialogFactsTable, MAX_FACT_LINES } from '../../src/store/dialog-facts.js';
import { formatDate, formatTime } from '../../src/ui/present/call-columns.js';
import { sanitize } from '../../src/ui/sanitize.js';
import { Collector, INVITE, OK, TCP_SYN, cat, ethTcp, ethernet, ip4, sip, udp, vlan } from '../decode/packets.js';
import { collect, tmpPath } from '../source/captures.js';
import { headlessJson, repro, reproFiles } from './repro-run.js';

const noRepros = reproFiles() === undefined && 'no ../shared/repros here';

test('1. times beyond what the store and a Date hold are clamped at the source, flagged, and shown alike everywhere', { skip: noRepros }, async () => {
  for (const name of ['json-time-beyond-year-275760.pcapng', 'json-tsresol-seconds.pcapng', 'fuzz-found-json-time-overflow.min.pcapng']) {
    const r = await headlessJson(repro(name));
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.lines[0]!.start, '2262-04-11T23:47:16.854775Z', name);
    assert.match(String(r.summary.warnings), /capture time outside .* clamped/, name);
    assert.match(r.stderr, /warning: .*clamped/);
    const { frames } = await collect(openFile(repro(name)));
    assert.ok(frames.every((f) => f.ts >= 0n && f.ts <= MAX_FRAME_TIME));
  }
  // The TUI's columns read the same clamped time (it used to wrap to 1970).
  assert.equal(`${formatDate(MAX_FRAME_TIME)}`.slice(0, 4), '2262');
  assert.match(formatTime(MAX_FRAME_TIME), /^\d\d:\d\d:\d\d/);
});

test('2. stacked link headers are bounded (link-too-deep), and the file reads on', { skip: noRepros }, async () => {
  for (const name of ['stack-overflow-vlan-3500-tags.pcap', 'stack-overflow-teb-4000-headers.pcap']) {
    const r = await headlessJson(repro(name));
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.summary.skipped['link-too-deep'], 1, name);
  }
  const call = ip4('10.0.0.1', '10.0.0.2', 17, udp(5060, 5060, sip(INVITE)));
  let deep = call;
  for (let i = 0; i < 40; i++) deep = vlan(i, i === 0 ? 0x0800 : 0x8100, deep);
  let qinq = call;
  for (let i = 0; i < 3; i++) qinq = vlan(i, i === 0 ? 0x0800 : 0x8100, qinq);
  const c = new Collector().push(1, ethernet(0x8100, deep)).push(1, ethernet(0x8100, qinq));
  assert.deepEqual(c.skips(), { 'link-too-deep': 1 });
  assert.equal(c.datagrams.length, 1);
});

test('3. a text-dump message larger than one UDP datagram is a counted skip; over TCP it is split into segments', { skip: noRepros }, async () => {
  const r = await headlessJson(repro('textdump-70k-message.ngrep.txt'));
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(r.summary.skipped, { 'text-message-too-big': 1 });
  const tcp = tmpPath('textdump-70k-tcp.ngrep.txt');
  writeFileSync(tcp, readFileSync(repro('textdump-70k-message.ngrep.txt'), 'latin1').replace(/^U /, 'T '), 'latin1');
  const t = await headlessJson(tcp);
  assert.equal(t.summary.dialogs, 1, t.stdout);
  assert.equal(t.summary.frames, 2);
});

test('4. --filter payload works after loading an uncompressed file', { skip: noRepros }, async () => {
  const r = await headlessJson(repro('filter-payload-any-file.pcap'), ['--filter', 'payload OPTIONS']);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.summary.dialogs, 1);
  const none = await headlessJson(repro('filter-payload-any-file.pcap'), ['--filter', 'payload no-such-text']);
  assert.equal(none.code, 0, none.stderr);
  assert.equal(none.summary.dialogs, 0);
});

test('5. duplicate IP fragments are dropped as repeats; fragments per datagram are bounded', { skip: noRepros }, async () => {
  const r = await headlessJson(repro('hang-ip4-duplicate-fragments-300k.pcap.gz'));
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(r.summary.skipped, { 'frag-duplicate': 299_999, 'frag-incomplete': 1 });
  const drops: string[] = [];
  const table = new FragmentTable((reason) => drops.push(reason));
  const piece = Buffer.alloc(8);
  // Distinct 8-byte pieces with holes between them: the 257th overflows the per-datagram bound.
  for (let i = 0; i <= 256; i++) assert.equal(table.add('k', 0n, i * 16, true, piece, 0, 8), undefined);
  assert.deepEqual(drops, ['frag-too-many']);
  assert.equal(table.size, 0);
});

test('6. TCP segments beyond a gap: bounded per stream, repeats are retransmissions', { skip: noRepros }, async () => {
  const r = await headlessJson(repro('hang-tcp-300k-reverse-order-segments.pcap.gz'));
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.summary.frames, 300_001);
  assert.ok(r.summary.skipped['tcp-too-many-segments'] >= 1);
  const c = new Collector().push(1, ethTcp(999, Buffer.alloc(0), TCP_SYN));
  const m = sip(INVITE);
  // Reverse order beyond a gap at seq 1000: every segment waits, up to the bound.
  for (let i = DEFAULT_STREAM_LIMITS.maxSegments + 10; i >= 1; i--) c.push(1, ethTcp(1000 + i, Buffer.from('x')));
  assert.equal(c.skips()['tcp-too-many-segments'], 1);
  // A repeat of a segment waiting beyond a gap is a retransmission, not a second copy to hold.
  const d = new Collector().push(1, ethTcp(999, Buffer.alloc(0), TCP_SYN));
  d.push(1, ethTcp(1000 + 50, m)).push(1, ethTcp(1000 + 50, m));
  assert.deepEqual(d.skips(), { 'tcp-retransmission': 1 });
});

test('7. header names per dialog are bounded: linear time, and the rest is counted', { skip: noRepros }, async () => {
  for (const name of ['hang-dialog-200k-distinct-header-names.pcap.gz', 'slow-55s-sip-100k-headers-over-ws.pcap.gz']) {
    const r = await headlessJson(repro(name));
    assert.equal(r.code, 0, r.stderr);
    assert.ok(r.summary.skipped['dialog-facts-over-limit'] >= 1, name);
  }
  const facts = new DialogFactsTable();
  facts.open(0);
  const others = Array.from({ length: MAX_FACT_LINES + 50 }, (_, i) => i + 1);
  assert.equal(facts.note(0, Buffer.alloc(0), { mask: 0, others, identities: [] }), false);
  assert.ok(facts.hasOtherHeader(0, 1));
  assert.ok(!facts.hasOtherHeader(0, MAX_FACT_LINES + 10));
});

test('8. bytes held behind gaps have a total budget: the direction holding longest is evicted', () => {
  const drops: string[] = [];
  const sink = { datagram: () => {}, skip: (r: string) => drops.push(r) };
  const limits = { ...DEFAULT_STREAM_LIMITS, maxTotalBuffered: 64 * 1024 };
  const cx = new DecodeContext(sink, REGISTRY);
  const streams = new TcpStreams(REGISTRY.streamHeuristics, limits);
  const chunk = Buffer.alloc(1000, 0x41);
  for (let s = 0; s < 200; s++) {
    cx.begin({ index: s + 1, ts: 1n, linktype: 1, data: chunk, origLen: 1000, fileOffset: -1 });
    cx.src = '10.0.0.1';
    cx.dst = '10.0.0.2';
    cx.sport = 10000 + s;
    cx.dport = 5060;
    streams.segment(cx, 1, 0x18, Buffer.from(sip(INVITE)), 0, 0);
    streams.segment(cx, 5000, 0x18, chunk, 0, chunk.length);
    assert.ok(streams.buffered <= limits.maxTotalBuffered, `after stream ${s}: ${streams.buffered}`);
  }
  assert.ok(drops.includes('tcp-budget-evicted'));
});

test('9. skip reasons are a fixed set; packet values go to a bounded sample of details', { skip: noRepros }, async () => {
  const r = await headlessJson(repro('memory-skip-reasons-250k-loopback-families.pcap.gz'));
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(Object.keys(r.summary.skipped), ['loopback-family-unsupported']);
  assert.ok(r.summary.skipDetails['loopback-family-unsupported'].length <= 8);
});

test('10. JSON escapes C1 and DEL as it does C0: the one sanitizer rule', { skip: noRepros }, async () => {
  const r = await headlessJson(repro('json-c1-controls-escapes.pcap'));
  assert.equal(r.code, 0, r.stderr);
  assert.doesNotMatch(r.stdout, /[\u007f-\u009f]/);
  assert.match(r.stdout, /\\u009b/);
  for (let cp = 0; cp < 0x3000; cp++) {
    const ch = String.fromCodePoint(cp);
    const json = safeJson(ch);
    const raw = json.slice(1, -1) === ch;
    // What the terminal replaces, JSON escapes (quote and backslash aside, which JSON escapes anyway).
    if (isUnsafeCodePoint(cp)) assert.ok(!raw && sanitize(ch, false) !== ch, `U+${cp.toString(16)}`);
  }
});

/** A live-like source: announces its link type, then waits for stop(). */
function quietLiveSource(): FrameSource & { started: Promise<void> } {
  let resolveStarted!: () => void;
  let stop!: () => void;
  const started = new Promise<void>((r) => (resolveStarted = r));
  return {
    name: 'fake0',
    live: true,
    started,
    start: (sink: FrameSink) => new Promise<SourceEnd>((resolve) => {
      sink.opened?.(1);
      stop = () => resolve({ frames: 0 });
      resolveStarted();
    }),
    stop: () => stop?.(),
  };
}

test('11. -O gets its file header when the capture opens, before any packet', async () => {
  const out = tmpPath('header-at-open.pcap');
  const source = quietLiveSource();
  const pipeline = new Pipeline(source, withSettings(parseOptions(['-N', '-O', out]), defaultSettings()));
  const run = pipeline.run();
  await source.started;
  // A SIGKILL now would leave exactly this: a valid, empty pcap.
  assert.equal(statSync(out).size, 24);
  assert.equal(readFileSync(out).readUInt32LE(20), 1);
  pipeline.close();
  await run;
});

test('12. -O x.pcap keeps frames of a second link type (converted), or names loudly what it could not keep', { skip: noRepros }, async () => {
  const pcap = tmpPath('two-linktypes.pcap');
  const r = await headlessJson(repro('O-pcap-drops-second-linktype.pcapng'), ['-O', pcap]);
  assert.equal(r.code, 0, r.stderr);
  const { frames } = await collect(openFile(pcap));
  assert.equal(frames.length, 2);
  const ng = tmpPath('two-linktypes.pcapng');
  await headlessJson(repro('O-pcap-drops-second-linktype.pcapng'), ['-O', ng, '--pcapng']);
  assert.deepEqual((await collect(openFile(ng))).frames.map((f) => f.linktype), [1, 101]);
  assert.ok(existsSync(ng));
});

test('13. text dumps stream line by line (a block too big to keep is counted); ERF is guessed only from several records', () => {
  const reader = new TextDumpReader();
  const out = [...reader.line('U 10.0.0.1:5060 -> 10.0.0.2:5060')];
  const line = `${'a'.repeat(1023)}.`;
  for (let i = 0; i < 3000; i++) out.push(...reader.line(line));
  out.push(...reader.end());
  assert.equal(out.length, 0);
  assert.equal(reader.oversized, 1);
  // Random 4 KB files (a fixed-seed generator) are never called ERF.
  let seed = 0x1234567;
  const random = (): number => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) >>> 24);
  for (let k = 0; k < 200; k++) {
    const bytes = Buffer.from(Array.from({ length: 4096 }, random));
    assert.doesNotMatch(unknownFormatError('r.bin', bytes).message, /ERF/);
  }
  const erf = Buffer.alloc(3 * 64);
  for (let i = 0; i < 3; i++) {
    erf.writeUInt32LE(1_700_000_000 + i, i * 64 + 4);
    erf[i * 64 + 8] = 2;
    erf.writeUInt16BE(64, i * 64 + 10);
  }
  assert.match(unknownFormatError('x.erf', erf).message, /ERF/);
});

test('14. a TCP Content-Length over the message bound resynchronises on the next start line', () => {
  const huge = Buffer.from(`${INVITE}\r\nCall-ID: big\r\nCSeq: 1 INVITE\r\nContent-Length: 2000000\r\n\r\n`);
  const next = sip(OK);
  const c = new Collector().push(1, ethTcp(1, cat(huge, Buffer.from('v=0\r\n'), next)));
  assert.equal(c.skips()['tcp-message-too-big'], 1);
  assert.deepEqual(c.payloads, [next.toString('latin1')]);
});

test('text dumps are read through the streaming reader', async () => {
  const file = tmpPath('small.ngrep.txt');
  writeFileSync(file, `U 10.0.0.1:5060 -> 10.0.0.2:5060\n${sip(INVITE).toString('latin1').replace(/\r\n/g, '.\n')}\n`);
  const frames: number[] = [];
  await openTextDump(file).start({ frame: (f) => frames.push(f.data.length) });
  assert.equal(frames.length, 1);
});
