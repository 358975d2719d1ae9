import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The shared real captures: ../shared/pcaps beside the repository (from dist/test/support/). */
export const SHARED_PCAPS = fileURLToPath(new URL('../../../../shared/pcaps/', import.meta.url));

/** Why a test cannot run, '' when the shared captures are there. */
export function sharedPcapsMissing(): string {
  return existsSync(join(SHARED_PCAPS, 'MANIFEST.tsv'))
    ? ''
    : `this test needs the shared captures in ../shared/pcaps beside the repository (${SHARED_PCAPS} has no MANIFEST.tsv; see README, "Tests")`;
}

/** Fails, naming the requirement, when the shared captures are missing. */
export function requireSharedPcaps(): void {
  const missing = sharedPcapsMissing();
  if (missing !== '') throw new Error(missing);
}

/** Path of a shared capture (`sngrep/aaa.pcap`); fails clearly when the shared captures are missing. */
export function sharedPcap(rel: string): string {
  requireSharedPcaps();
  return join(SHARED_PCAPS, rel);
}
