// Acceptance for issue 16: every file in ../shared/repros loads headless without an internal
// error, within 600 MB, and with no raw control character in its JSON. Wall-clock limits
// (< 15 s each) live in `npm run bench` (the "repros" bench), not here.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { headlessJson, RAW_CONTROL, repro, reproFiles } from './repro-run.js';

const files = reproFiles();
const MAX_RSS_KIB = 600 * 1024;

test('every shared repro loads headless: exit 0, no internal error, < 600 MB, JSON without raw controls', { skip: files === undefined && 'no ../shared/repros here' }, async () => {
  for (const name of files ?? []) {
    const r = await headlessJson(repro(name));
    assert.equal(r.code, 0, `${name}: exit ${r.code}: ${r.stderr}`);
    assert.doesNotMatch(r.stderr, /internal error/, name);
    assert.ok(r.maxRssKib < MAX_RSS_KIB, `${name}: peak RSS ${r.maxRssKib} KiB`);
    assert.doesNotMatch(r.stdout, RAW_CONTROL, `${name}: raw control character in JSON`);
    assert.equal(r.summary.type, 'summary', name);
  }
});
