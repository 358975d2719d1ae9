import type { MessageId, StreamId } from './ids.js';

export type Severity = 'error' | 'warning' | 'info';

/** Worst first: the order the call list, the findings pane and the triage screen use. */
export const SEVERITIES: readonly Severity[] = ['error', 'warning', 'info'];

/**
 * What diagnose/ says about a dialog. `code` is part of the contract (diagnose/registry.ts lists
 * them); `text` names the evidence (numbers, addresses, codecs, times) in plain words.
 */
export interface Finding {
  readonly code: string;
  readonly severity: Severity;
  readonly text: string;
  /** The message that shows it best, when one does. */
  readonly message?: MessageId;
  /** The media stream it is about, when it is one. */
  readonly stream?: StreamId;
}

/** Lower is worse; unknown codes sort last. */
export function severityRank(s: Severity): number {
  return SEVERITIES.indexOf(s);
}

/** The finding a one-cell summary shows: the worst severity, the first of those. */
export function worstFinding(list: readonly Finding[]): Finding | undefined {
  let worst: Finding | undefined;
  for (const f of list) if (!worst || severityRank(f.severity) < severityRank(worst.severity)) worst = f;
  return worst;
}

/** The thresholds' defaults (the rc file's diag.* keys start from these). */
export const DEFAULT_THRESHOLDS: Readonly<DiagnoseThresholds> = { setupMs: 5000, lossPct: 2, jitterMs: 30, mos: 3.6, lateMediaMs: 1000 };

/** Thresholds of the media and setup rules; the rc file sets them (`set diag.setup 5`, config/settings.ts). */
export interface DiagnoseThresholds {
  /** slow-setup: INVITE → first 18x/2xx, ms. */
  setupMs: number;
  /** media-quality: loss above this, %. */
  lossPct: number;
  /** media-quality: mean jitter above this, ms. */
  jitterMs: number;
  /** media-quality: MOS below this. */
  mos: number;
  /** late-media: first RTP later than this after the 200 OK, ms. */
  lateMediaMs: number;
}
