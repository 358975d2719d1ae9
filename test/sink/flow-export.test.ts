import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DialogId, MessageId } from '../../src/model/ids.js';
import type { FlowMessage } from '../../src/layout/flow-message.js';
import { flowRows } from '../../src/layout/flow-rows.js';
import { flowHeader } from '../../src/layout/flow-header.js';
import { flowDoc, type FlowDoc } from '../../src/sink/flow-doc.js';
import { flowSvg, layoutSvgFlow, type SvgText } from '../../src/sink/flow-svg.js';
import { flowDocRows, flowText, fullLayout } from '../../src/sink/flow-text.js';
import type { SdpMode } from '../../src/model/flow.js';
import { flowHtml } from '../../src/sink/flow-html.js';
import { flowMermaid } from '../../src/sink/flow-mermaid.js';
import { loadCapture, sharedPcap } from '../media/support.js';
import { runCli } from '../support/cli.js';
import { parseXml } from '../support/xml.js';

const dir = mkdtempSync(join(tmpdir(), 'sipscope-flow-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const CAPTURE = sharedPcap('heplify/rtp_rtcp_sip_ipv4_udp.pcap');

/** The ladder of every dialog of a shared capture, with the rows the TUI shows beside the messages. */
async function sharedDoc(capture = CAPTURE, sdpMode: SdpMode = 'first'): Promise<FlowDoc> {
  const pipeline = await loadCapture(capture);
  pipeline.diagnosis.finish();
  const { store } = pipeline;
  const ids = store.query({}).rows(0, 1000).map((d) => d.id);
  return flowDoc(store, ids, { sources: { fax: pipeline.fax, streams: (id) => store.streams(id), infoDtmf: (id) => store.infoDtmf(id) }, sdpMode });
}

/** The TUI ladder's text without its line drawing and finding marks (the SVG draws those), one entry per screen row. */
function tuiWords(doc: FlowDoc): string[] {
  const layout = fullLayout(doc.messages, false);
  const rows = [...flowHeader(layout).slice(0, 1), ...flowRows(layout, doc.messages, 0, doc.messages.length, flowDocRows(doc))];
  return rows.map((line) => line.map((r) => r.text).join('').replace(/[│─┬┊═┐┘╌●○]|[<>](?=[─╌]|$|\s)|(?<=[─╌])[<>]/g, ' ').replace(/\s+/g, ' ').trim());
}

function rsvg(svgPath: string, pngPath: string): boolean {
  const r = spawnSync('rsvg-convert', [svgPath, '-o', pngPath]);
  if (r.error) {
    if (process.env.CI) throw new Error('CI needs rsvg-convert (apt-get install librsvg2-bin) for the SVG export test');
    return false;
  }
  assert.equal(r.status, 0, r.stderr.toString());
  assert.deepEqual([...readFileSync(pngPath).subarray(0, 4)], [0x89, 0x50, 0x4e, 0x47]);
  return true;
}

test('SVG of a shared capture is well-formed, names every host and message, and reads as the TUI ladder', async (t) => {
  const doc = await sharedDoc();
  assert.ok(doc.messages.length >= 14);
  const svg = flowSvg(doc);
  const els = parseXml(svg);
  assert.equal(els[0]!.name, 'svg');
  const texts = els.filter((e) => e.name === 'text');
  const hosts = texts.filter((e) => e.attrs.class === 'host').map((e) => e.text);
  for (const m of doc.messages) {
    assert.ok(hosts.includes(m.src) && hosts.includes(m.dst), `${m.src} -> ${m.dst} has its columns`);
  }
  const labels = texts.filter((e) => e.attrs.class === 'label').map((e) => e.text);
  assert.equal(labels.length, doc.messages.length);
  assert.ok(labels.includes('INVITE (….7.196:40376 PCMA)'), 'SDP summaries as the TUI writes them');
  assert.deepEqual(labels.filter((l) => l.startsWith('RTP')), ['RTP PCMA 548 0% MOS 4.4', 'RTP PCMA 891 0% MOS 4.4']);
  const media = els.filter((e) => e.name === 'path' && e.attrs['stroke-dasharray'] === '1.5 2.5');
  assert.equal(media.length, 2, 'the stream rows are dotted');
  // Row by row the same words as the terminal: the hosts, then time + label, then the delta.
  const svgRows = [hosts.join(' ')];
  let row: string[] = [];
  for (const e of texts) {
    if (e.attrs.class === 'time') { if (row.length) svgRows.push(row.join(' ')); row = [e.text]; }
    else if (e.attrs.class === 'label') { row.push(e.text); svgRows.push(row.join(' ')); row = []; }
    else if (e.attrs.class === 'delta') row.push(e.text);
  }
  // The terminal puts each delta on the arrow row after the label row; regroup its rows the same way.
  const tui = tuiWords(doc);
  const tuiRows = [tui[0]!];
  for (let i = 0; i < doc.messages.length; i++) {
    const label = tui[1 + 2 * i]!;
    const delta = tui[2 + 2 * i]!;
    const [time, ...rest] = label.split(' ');
    tuiRows.push([time, ...(delta ? [delta] : []), ...rest].join(' '));
  }
  assert.deepEqual(svgRows, tuiRows);
  const svgPath = join(dir, 'shared.svg');
  writeFileSync(svgPath, svg);
  if (!rsvg(svgPath, join(dir, 'shared.png'))) t.skip('rsvg-convert is not installed');
});

function syntheticDoc(n: number): FlowDoc {
  const hosts = ['10.0.0.1:5060', '10.0.0.2:5060', '[2001:db8::7]:5061', '192.168.100.200:5080', 'sbc.example.com:5060'];
  const labels = ['INVITE', '100 Trying', '183 Session Progress', '200 OK', 'ACK', 'BYE', '486 Busy Here', 'OPTIONS', 'a-really-long-extension-method-name-that-must-be-cut'];
  const messages: FlowMessage[] = [];
  for (let i = 0; i < n; i++) {
    const a = (i * 7) % hosts.length;
    const b = i % 11 === 0 ? a : (a + 1 + (i % 3)) % hosts.length;
    const label = labels[i % labels.length]!;
    messages.push({
      id: i as MessageId, ts: 1_700_000_000_000_000_000n + BigInt(i) * 12_345_678n, src: hosts[a]!, dst: hosts[b]!, label,
      request: !/^\d/.test(label), status: /^\d/.test(label) ? Number(label.slice(0, 3)) : 0, cseq: i >> 2,
      hasSdp: i % 4 === 0, retrans: i % 9 === 0, dialog: (i >> 5) as DialogId,
    });
  }
  const notes = messages.map((m) => (m.hasSdp ? 'audio 203.0.113.77:49170 PCMU/8000,PCMA/8000,telephone-event/8000 sendrecv' : ''));
  return { messages, notes, sdpMode: 'off', findings: new Map(), utcOffsetMinutes: 0, text: (i) => `${messages[i]!.label} sip:x@y SIP/2.0\nVia: <script>alert(1)</script>\n` };
}

function overlaps(a: SvgText, b: SvgText): boolean {
  return a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
}

test('a 500-message flow has no overlapping text boxes and converts to PNG', (t) => {
  const doc = syntheticDoc(500);
  const flow = layoutSvgFlow(doc);
  const boxes = [...flow.texts].sort((a, b) => a.y - b.y);
  assert.ok(boxes.length > 1500);
  for (let i = 0; i < boxes.length; i++) {
    for (let j = i + 1; j < boxes.length && boxes[j]!.y < boxes[i]!.y + boxes[i]!.h; j++) {
      assert.ok(!overlaps(boxes[i]!, boxes[j]!), `"${boxes[i]!.text}" overlaps "${boxes[j]!.text}"`);
    }
  }
  for (const b of boxes) assert.ok(b.x >= 0 && b.x + b.w <= flow.width, `"${b.text}" stays inside the picture`);
  assert.ok(flow.height > 500 * 40, 'the picture grows with the flow');
  const svgPath = join(dir, 'big.svg');
  writeFileSync(svgPath, flowSvg(doc));
  parseXml(readFileSync(svgPath, 'utf8'));
  if (!rsvg(svgPath, join(dir, 'big.png'))) t.skip('rsvg-convert is not installed');
});

test('HTML is self-contained and carries every message text, none able to close its script', () => {
  const doc = syntheticDoc(20);
  const html = flowHtml(doc, 'flow <1>');
  assert.ok(!/https?:\/\/(?!www\.w3\.org\/2000\/svg)/.test(html), 'no network address besides the SVG namespace');
  assert.ok(!html.includes('<script>alert'), 'message text is escaped');
  const json = /<script type="application\/json" id="texts">([\s\S]*?)<\/script>/.exec(html)![1]!;
  assert.deepEqual(JSON.parse(json), doc.messages.map((_, i) => doc.text(i)));
  assert.equal((html.match(/<g class="msg"/g) ?? []).length, 20);
});

test('Mermaid: a participant per address and an arrow per message', () => {
  const doc = syntheticDoc(12);
  const md = flowMermaid(doc);
  const lines = md.split('\n');
  assert.equal(lines[0], '```mermaid');
  assert.equal(lines[1], 'sequenceDiagram');
  assert.equal(lines.filter((l) => /^ {2}P\d+-?->>P\d+: /.test(l)).length, 12);
  assert.equal(lines.filter((l) => l.startsWith('  participant ')).length, 5);
});

test('--flow writes each format from the extension; an unknown one is one clear error', async () => {
  for (const ext of ['txt', 'md', 'svg', 'html']) {
    const out = join(dir, `cli.${ext}`);
    const r = await runCli(['-N', '-I', CAPTURE, '--filter', 'method=INVITE', '--flow', out], { env: { ...process.env, TZ: 'UTC' } });
    assert.equal(r.code, 0, r.stderr);
    const text = readFileSync(out, 'utf8');
    assert.ok(text.includes('INVITE'), ext);
    if (ext === 'txt') assert.match(text, /\|-+>\|/);
  }
  const bad = await runCli(['-N', '-I', CAPTURE, '--flow', join(dir, 'x.pdf')]);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /^sipscope: --flow .*x\.pdf: unknown format/);
});

test('every export marks the messages findings point at, in the severity\'s colour, with the findings\' texts', async () => {
  const doc = await sharedDoc(sharedPcap('sngrep/aaa.pcap'), 'off');
  const marked = doc.messages.map((m, i) => [m, i] as const).filter(([m]) => doc.findings.has(m.id));
  assert.ok(marked.length >= 3, 'aaa.pcap has findings on its messages');
  const els = parseXml(flowSvg(doc));
  const circles = els.filter((e) => e.name === 'circle' && e.attrs.class === 'finding');
  assert.equal(circles.length, marked.length);
  assert.ok(circles.some((c) => c.attrs.fill === '#c0392b'), 'errors are red, as in the terminal');
  assert.ok(els.some((e) => e.name === 'title' && /^error forbidden: 403 Wrong password/.test(e.text)));
  // The ASCII ladder has the mark's letter right after the time, on the marked messages' rows only.
  const lines = flowText(doc).split('\n').slice(2);
  const letters = lines.filter((_, k) => k % 2 === 0).map((l) => l[16] ?? ' ');
  assert.deepEqual(letters.map((c, i) => (c === ' ' ? -1 : i)).filter((i) => i >= 0), marked.map(([, i]) => i));
  assert.ok(letters.includes('E') && letters.includes('i'));
  const md = flowMermaid(doc);
  assert.match(md, /Note right of P\d+: error forbidden: 403 Wrong password/);
});

test('the text and Mermaid exports draw the RTP rows, DTMF and SDP summaries of the TUI ladder', async () => {
  const doc = await sharedDoc(sharedPcap('sipnab/SIP_DTMF2.cap'));
  const text = flowText(doc);
  assert.match(text, /RTP \(PCMA\) 66\d pkts, loss 0\.3%, MOS 4\.\d|RTP PCMA 66\d/);
  assert.match(text, /\.{5,}>\|/, 'media rows are dotted in ASCII');
  assert.equal((text.match(/DTMF \d \(120 ms\)/g) ?? []).length, 7);
  const tui = [...flowHeader(fullLayout(doc.messages, true)), ...flowRows(fullLayout(doc.messages, true), doc.messages, 0, doc.messages.length, flowDocRows(doc))]
    .map((l) => l.map((r) => r.text).join('').trimEnd());
  assert.deepEqual(text.trimEnd().split('\n'), tui, 'the ASCII ladder is the terminal\'s');
  const md = flowMermaid(doc);
  assert.equal((md.match(/--\)/g) ?? []).length, 9, 'two streams and seven key presses, dotted');
  assert.match(md, /: INVITE \(192\.168\.105\.\d+:\d+ PCMA\)|: 200 OK \(192\.168\.105\.\d+:\d+ PCMA\)/);
  const info = await sharedDoc(sharedPcap('sipnab/DTMFsipinfo.pcap'));
  assert.match(flowText(info), /INFO \(DTMF 1\)/);
});
