/** The capture-wide report card: how many dialogs show each finding code and each response code. */
import { severityRank, type Finding, type Severity } from '../model/finding.js';
import type { DialogId } from '../model/ids.js';
import { FINDING_CODES } from './registry.js';

export interface CodeCount {
  code: string;
  /** The worst severity any of its findings had. */
  severity: Severity;
  description: string;
  /** Dialogs with at least one finding of this code, in arrival order. */
  dialogs: DialogId[];
}

export interface ResponseCount {
  status: number;
  dialogs: number;
}

export interface Triage {
  dialogs: number;
  findings: CodeCount[];
  responses: ResponseCount[];
}

export interface TriageSource {
  findings(id: DialogId): readonly Finding[];
  responseCodes(id: DialogId): readonly number[];
}

/** Counts over `ids`; findings worst severity first, then registry order; responses by code. */
export function triage(ids: Iterable<DialogId>, src: TriageSource): Triage {
  const byCode = new Map<string, CodeCount>();
  const byStatus = new Map<number, number>();
  let dialogs = 0;
  for (const id of ids) {
    dialogs++;
    for (const f of src.findings(id)) {
      let c = byCode.get(f.code);
      if (!c) byCode.set(f.code, (c = { code: f.code, severity: f.severity, description: '', dialogs: [] }));
      if (severityRank(f.severity) < severityRank(c.severity)) c.severity = f.severity;
      if (c.dialogs.at(-1) !== id) c.dialogs.push(id);
    }
    for (const s of src.responseCodes(id)) byStatus.set(s, (byStatus.get(s) ?? 0) + 1);
  }
  const order = (code: string): number => {
    const i = FINDING_CODES.findIndex((c) => c.code === code);
    return i < 0 ? FINDING_CODES.length : i;
  };
  const findings = [...byCode.values()]
    .map((c) => ({ ...c, description: FINDING_CODES[order(c.code)]?.description ?? '' }))
    .sort((a, b) => severityRank(a.severity) - severityRank(b.severity) || order(a.code) - order(b.code));
  const responses = [...byStatus].map(([status, n]) => ({ status, dialogs: n })).sort((a, b) => a.status - b.status);
  return { dialogs, findings, responses };
}
