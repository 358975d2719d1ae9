// The flow exports show the HEP log rows (type 100) the TUI flow shows: every save format of the one descriptor table,
// on a real capture with log lines an agent sent for its call, against golden files (UPDATE_SNAPSHOTS=1 rewrites them).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { DialogId } from '../../src/model/ids.js';
import type { HepLog } from '../../src/store/hep-logs.js';
import { flowDoc, type FlowDoc } from '../../src/sink/flow-doc.js';
import { FLOW_FORMATS } from '../../src/sink/flow-formats.js';
import { flowHeader } from '../../src/layout/flow-header.js';
import { flowRows } from '../../src/layout/flow-rows.js';
import { flowDocRows, fullLayout } from '../../src/sink/flow-text.js';
import { Anonymizer } from '../../src/sink/anonymize.js';
import { loadCapture, sharedPcap } from '../media/support.js';
import { matchSnapshot } from '../e2e/pty-screen.js';
import { parseXml } from '../support/xml.js';

const CAPTURE = sharedPcap('heplify/rtp_rtcp_sip_ipv4_udp.pcap');
const CALL_ID = '12013223@200.57.7.195';

/** The capture's ladder with two log lines of its call, as rtpengine and Kamailio would send them to -L. */
async function docWithLogs(anon?: Anonymizer): Promise<FlowDoc> {
  const pipeline = await loadCapture(CAPTURE);
  pipeline.diagnosis.finish();
  const { store } = pipeline;
  const ids = store.query({}).rows(0, 1000).map((d) => d.id);
  const call = store.dialog(ids.find((id) => store.dialog(id)!.callId === CALL_ID)!)!;
  const at = (k: number): bigint => store.message(call.messages[k]!).ts + 1_000_000n;
  const logs: HepLog[] = [
    { ts: at(0), node: '77', text: 'kamailio[4711]: NOTICE: <script>: relaying INVITE to 200.57.7.204' },
    { ts: at(call.messages.length - 1), node: 'rtpengine', text: `[${CALL_ID}]: Final packet stats: 891 packets, 0 lost` },
  ];
  return flowDoc(store, ids, { sources: { logs: (id: DialogId) => (id === call.id ? logs : []) }, anon });
}

test('every flow format draws the HEP log rows, as golden files say', async () => {
  const doc = await docWithLogs();
  assert.equal(doc.messages.filter((m) => m.synthetic?.kind === 'log').length, 2);
  for (const format of FLOW_FORMATS) {
    const out = format.render(doc, 'sipscope call flow');
    assert.match(out, /LOG 77: kamailio\[4711\]: NOTICE: &lt;script&gt;|LOG 77: kamailio\[4711\]: NOTICE: <script>/, format.ext);
    assert.match(out, /LOG rtpengine: \[12013223@200\.57\.7\.195\]: Final packet stats/, format.ext);
    matchSnapshot(`flow-export-hep-logs${format.ext}`, out);
  }
});

test('log rows are the terminal\'s: the text export is its ladder, the others draw them without an arrow', async () => {
  const doc = await docWithLogs();
  const layout = fullLayout(doc.messages, true);
  const tui = [...flowHeader(layout), ...flowRows(layout, doc.messages, 0, doc.messages.length, flowDocRows(doc))].map((l) => l.map((r) => r.text).join('').trimEnd());
  const text = FLOW_FORMATS.find((f) => f.ext === '.txt')!.render(doc, '');
  assert.deepEqual(text.trimEnd().split('\n'), tui);

  const logRows = doc.messages.flatMap((m, i) => (m.synthetic?.kind === 'log' ? [i] : []));
  const svg = parseXml(FLOW_FORMATS.find((f) => f.ext === '.svg')!.render(doc, ''));
  const groups = svg.filter((e) => e.name === 'g' && e.attrs.class === 'msg');
  assert.equal(groups.length, doc.messages.length, 'a group per row, the log rows too');
  const md = FLOW_FORMATS.find((f) => f.ext === '.md')!.render(doc, '');
  assert.equal((md.match(/^ {2}Note over P0,P\d+: LOG /gm) ?? []).length, 2, 'a note across every participant');
  assert.ok(!/participant \S+ as $/m.test(md), 'a log row adds no participant');
  const html = FLOW_FORMATS.find((f) => f.ext === '.html')!.render(doc, '');
  for (const i of logRows) assert.ok(html.includes(JSON.stringify(doc.messages[i]!.label).replace(/</g, '\\u003c')), 'a click on a log row shows its line');
});

test('anonymised exports anonymise the log lines too', async () => {
  const doc = await docWithLogs(new Anonymizer());
  const text = FLOW_FORMATS.find((f) => f.ext === '.txt')!.render(doc, '');
  assert.match(text, /LOG /);
  assert.doesNotMatch(text, /200\.57\.7\.204|12013223@200\.57\.7\.195/);
});
