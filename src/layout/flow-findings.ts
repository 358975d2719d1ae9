import { severityRank, type Finding, type Severity } from '../model/finding.js';
import type { MessageId } from '../model/ids.js';
import type { Dialog } from '../model/sip.js';

/** The findings that point at a message, worst first, keyed by the message (Finding.message). */
export type FindingMarks = ReadonlyMap<MessageId, readonly Finding[]>;

/** Which messages of these dialogs a diagnosis finding points at (the ladder marks them). */
export function findingMarks(dialogs: readonly (Dialog | undefined)[]): FindingMarks {
  const marks = new Map<MessageId, Finding[]>();
  for (const d of dialogs) {
    for (const f of d?.findings ?? []) {
      if (f.message === undefined) continue;
      const list = marks.get(f.message);
      if (list) list.push(f);
      else marks.set(f.message, [f]);
    }
  }
  for (const list of marks.values()) list.sort((a, b) => severityRank(a.severity) - severityRank(b.severity));
  return marks;
}

/** The severity a message's mark shows: its worst finding's. */
export function markSeverity(marks: FindingMarks | undefined, id: MessageId): Severity | undefined {
  return marks?.get(id)?.[0]?.severity;
}
