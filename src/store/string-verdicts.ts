/**
 * A string test's verdicts by string-table id, so a test over a million dialogs runs once per
 * distinct string (an address, a method, a User-Agent) and then costs a byte read per dialog.
 */
export class StringVerdicts {
  /** 0 not tested yet, 1 passes, 2 fails. */
  private v = new Uint8Array(256);

  constructor(private readonly str: (sid: number) => string, private readonly test: (value: string) => boolean) {}

  passes(sid: number): boolean {
    let v = this.v;
    if (sid >= v.length) {
      const wider = new Uint8Array(Math.max(sid + 1, v.length * 2));
      wider.set(v);
      this.v = v = wider;
    }
    if (v[sid] === 0) v[sid] = this.test(this.str(sid)) ? 1 : 2;
    return v[sid] === 1;
  }

  /** The verdicts so far: table[sid] is 1 (passes), 2 (fails) or 0 / absent (not tested yet: ask passes()). */
  get table(): Uint8Array {
    return this.v;
  }
}
