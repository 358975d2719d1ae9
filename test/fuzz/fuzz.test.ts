// The short fuzz campaign `npm test` runs: ~50k mutated packets with a fixed seed, over the shared captures.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { existsSync } from 'node:fs';
import { SKIP_REASONS } from '../../src/model/skip.js';
import { findCorpus, runCampaign } from './campaign.js';

const SHARED = fileURLToPath(new URL('../../../../shared/', import.meta.url));
const missing = !existsSync(`${SHARED}pcaps`);
if (missing && process.env.CI === 'true') throw new Error(`${SHARED}pcaps is missing: the fuzz campaign needs the shared captures`);

test('a short fuzz campaign (50k packets, seed 16): no crash, no hang, no raw control in JSON', { skip: missing && 'no ../shared/pcaps here' }, async () => {
  const corpus = findCorpus([`${SHARED}pcaps`, `${SHARED}repros`]);
  const r = await runCampaign({ packets: 50_000, seed: 16, corpus, framesPerRun: 1000, runTimeoutMs: 60_000 });
  assert.deepEqual(r.failures, []);
  assert.ok(r.mutated >= 50_000);
  for (const reason of r.skipReasons) assert.ok((SKIP_REASONS as readonly string[]).includes(reason), reason);
});
