import { test } from 'node:test';
import assert from 'node:assert/strict';
import { columnById, type ColumnContext } from '../../src/layout/call-columns.js';
import type { DialogId } from '../../src/model/ids.js';
import type { Dialog } from '../../src/model/sip.js';
import { loadCapture, sharedPcap } from '../media/support.js';
import { writeFaxCall } from '../media/fax-gen.js';

function cells(ctx: ColumnContext & { dialog(id: DialogId): Dialog | undefined }, id: number, ids: string[]): string[] {
  const d = ctx.dialog(id as DialogId)!;
  return ids.map((c) => columnById(c as Parameters<typeof columnById>[0]).value(d, ctx));
}

test('Streams, MOS and Loss % columns: the dialog\'s stream count and its worst stream\'s figures, coloured when media-quality says so', async () => {
  const p = await loadCapture(sharedPcap('sipnab/Asterisk_ZFONE_XLITE.pcap'));
  p.diagnosis.finish();
  const { store } = p;
  const ids = Array.from({ length: store.dialogCount() }, (_, k) => k as DialogId);
  const withMedia = ids.find((id) => store.streamCount(id) > 0)!;
  const streams = store.streams(withMedia);
  const [count, mos, loss] = cells(store, withMedia, ['streams', 'mos', 'loss']);
  assert.equal(count, String(streams.length));
  assert.equal(mos, Math.min(...streams.flatMap((s) => (s.mos === null ? [] : [s.mos]))).toFixed(1));
  assert.equal(loss, Math.max(...streams.map((s) => s.lossPct)).toFixed(1));
  const bad = store.findings(withMedia).some((f) => f.code === 'media-quality');
  assert.equal(columnById('mos').style?.(store.dialog(withMedia)!, store), bad ? 'findingWarning' : undefined);
  const without = ids.find((id) => store.streamCount(id) === 0);
  if (without !== undefined) assert.deepEqual(cells(store, without, ['streams', 'mos', 'loss', 'fax']), ['0', '', '', '']);
  // Sorted by MOS: the worst first, dialogs without streams last.
  const byMos = store.query({ sort: { key: 'mos', descending: false } });
  assert.equal(byMos.idAt(0), ids.filter((id) => store.streamCount(id) > 0)
    .sort((a, b) => Number(cells(store, a, ['mos'])[0]) - Number(cells(store, b, ['mos'])[0]))[0]);
});

test('Fax column: the verdict and pages confirmed of those sent, coloured by result; sorted failed first', async () => {
  const ok = await loadCapture(writeFaxCall('columns-fax-ok.pcap', { ftt: true }));
  const dialog = ok.fax.dialogs()[0]!;
  assert.deepEqual(cells(ok.store, dialog, ['fax']), ['ok 2/2']);
  assert.equal(columnById('fax').style?.(ok.store.dialog(dialog)!, ok.store), 'stateCompleted');
  const failed = await loadCapture(sharedPcap('wswiki/LtoZ_rtpFilter_fail_2.pcap'));
  const lost = failed.fax.dialogs()[0]!;
  assert.match(cells(failed.store, lost, ['fax'])[0]!, /^failed 0\/\d+$/);
  assert.equal(columnById('fax').style?.(failed.store.dialog(lost)!, failed.store), 'findingError');
  const sorted = failed.store.query({ sort: { key: 'fax', descending: false } });
  assert.equal(sorted.idAt(0), lost);
});
