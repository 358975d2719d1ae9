/**
 * The rule registry: every rule, and from it the one table of finding codes (help screen, man
 * page, README, filters and --report read FINDING_CODES). Order is the order findings are listed in.
 */
import type { FindingCode, Rule } from './rule.js';
import { noResponse } from './no-response.js';
import { noAck } from './no-ack.js';
import { forbidden } from './forbidden.js';
import { auth } from './auth.js';
import { diversion } from './diversion.js';
import { codecMismatch } from './codec-mismatch.js';
import { natMismatch } from './nat-mismatch.js';
import { slowSetup } from './slow-setup.js';
import { retransmissions } from './retransmissions.js';
import { serverError } from './server-error.js';
import { requestTimeout } from './request-timeout.js';
import { unavailable } from './unavailable.js';
import { loop } from './loop.js';
import { notFound } from './not-found.js';
import { rejected } from './rejected.js';
import { busy } from './busy.js';
import { declined } from './declined.js';
import { cancelled } from './cancelled.js';
import { redirected } from './redirected.js';
import { oneWayMedia } from './one-way-media.js';
import { noMedia } from './no-media.js';
import { mediaQuality } from './media-quality.js';
import { lateMedia } from './late-media.js';
import { fax } from './fax.js';

export const RULES: readonly Rule[] = [
  noResponse, noAck, forbidden, auth, diversion, codecMismatch, natMismatch, oneWayMedia, noMedia, mediaQuality, lateMedia, fax,
  slowSetup, retransmissions,
  serverError, requestTimeout, unavailable, loop, notFound, rejected, busy, declined, cancelled, redirected,
];

export const FINDING_CODES: readonly FindingCode[] = RULES.flatMap((r) => r.codes);

export function findingCode(code: string): FindingCode | undefined {
  return FINDING_CODES.find((c) => c.code === code);
}
