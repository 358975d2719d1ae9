// Many tests read real captures from ../shared/pcaps; say plainly when they are not there.
import { test } from 'node:test';
import { requireSharedPcaps, sharedPcapsMissing } from './support/shared-pcaps.js';

const missing = sharedPcapsMissing();
// In CI a missing requirement fails; on a developer machine it is a skip with the reason.
test('the shared captures are present', { skip: missing !== '' && process.env.CI !== 'true' ? missing : undefined }, () => {
  requireSharedPcaps();
});
