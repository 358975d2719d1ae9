import { test } from 'node:test';
import assert from 'node:assert/strict';
import { summarizeFax } from '../../../src/media/fax-summary.js';
import type { DialogId, MessageId } from '../../../src/model/ids.js';
import { faxLines, faxVerdict } from '../../../src/ui/present/fax.js';
import { faxFlowMessages } from '../../../src/sink/flow-fax.js';
import { lineWidth } from '../../../src/layout/text-width.js';
import { writeFaxCall } from '../../media/fax-gen.js';
import { loadCapture } from '../../media/support.js';

async function session(name: string, o: Parameters<typeof writeFaxCall>[1]) {
  const p = await loadCapture(writeFaxCall(name, o));
  return p.fax.sessions(p.fax.dialogs()[0]!)[0]!;
}

test('fax screen lines: the summary, one line per page, the T.30 table cut to the width', async () => {
  const s = await session('present-fax.pcap', { ftt: true });
  const view = { endpoints: s.endpoints, summary: summarizeFax(s.events()), packets: s.packets, recovered: s.recovered, lost: s.lost };
  const text = faxLines(view, 80, false).map((l) => l.map((seg) => seg.text).join('').trimEnd());
  assert.equal(faxVerdict(view.summary), 'ok');
  assert.deepEqual(text.slice(1, 9), [
    'Result      ok', 'Calling     +4930 1234567', 'Called      +1 555 0100', 'Negotiated  12000 bit/s, fine, no ECM',
    'Training    14400 FTT, 12000 CFR', 'Pages       2 sent, 2 confirmed', '            page 1  0.2 s  MCF', '            page 2  0.2 s  MCF',
  ]);
  const table = faxLines(view, 80, true).slice(11);
  assert.equal(table.length, 13);
  for (const line of table) assert.ok(lineWidth(line, true) <= 80, 'a table row stays on one line');
  assert.match(text[11]!, /^\d\d:\d\d:\d\d\.\d{6} 192\.0\.2\.20:40000 → 192\.0\.2\.10:30000 CSI {4}\+1 555 0100$/);
});

test('fax rows of the ladder: T.30 frames with brief details, a row per page, indicators only on request', async () => {
  const s = await session('present-flow.pcap', { ecm: true, pages: 1 });
  const rows = faxFlowMessages([s], 0 as DialogId, 3 as MessageId, { indicators: false });
  assert.deepEqual(rows.map((r) => r.label), [
    'CSI +1 555 0100', 'DIS 14400 fine ECM', 'TSI +4930 1234567', 'DCS 14400 fine ECM', 'CFR', 'page 1 (0.2 s)', 'PPS EOP page 1 block 1', 'MCF page 1', 'DCN',
  ]);
  assert.ok(rows.every((r) => r.synthetic?.kind === 'fax' && r.id === 3 && !r.hasSdp));
  const withIndicators = faxFlowMessages([s], 0 as DialogId, 3 as MessageId, { indicators: true }).map((r) => r.label);
  assert.ok(withIndicators.includes('ced') && withIndicators.includes('v17-14400-long-training'));
  assert.ok(!withIndicators.includes('no-signal'));
});
