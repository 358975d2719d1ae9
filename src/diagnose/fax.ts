import { FAX_FINDINGS, type FaxFindingCode } from '../media/fax-store.js';
import type { FindingCode, Rule } from './rule.js';

/** The fax store follows the switch to T.38 and the T.30 procedure; its findings join the dialog's (codes from its table). */
export const fax: Rule = {
  codes: (Object.keys(FAX_FINDINGS) as FaxFindingCode[]).map((code): FindingCode => ({ code, ...FAX_FINDINGS[code] })),
  mayFire: (s) => s.faxFindings > 0,
  check: (e) => e.fax.map((f) => ({ code: f.code, severity: f.severity, text: f.text })),
};
