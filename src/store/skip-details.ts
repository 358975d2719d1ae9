import { SKIP_DETAIL_SAMPLE, type SkipReason } from '../model/skip.js';

/** The first few distinct packet values behind each skip reason: enough to say what was unsupported, bounded whatever arrives. */
export class SkipDetails {
  private readonly sample = new Map<SkipReason, string[]>();

  note(reason: SkipReason, detail: string): void {
    let values = this.sample.get(reason);
    if (values === undefined) this.sample.set(reason, (values = []));
    if (values.length < SKIP_DETAIL_SAMPLE && !values.includes(detail)) values.push(detail);
  }

  get empty(): boolean {
    return this.sample.size === 0;
  }

  toJSON(): Partial<Record<SkipReason, string[]>> {
    return Object.fromEntries(this.sample);
  }
}
