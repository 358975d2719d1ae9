/** Interned strings with small integer ids, so columns hold 4-byte ids and equal strings are stored once. */
export class StringTable {
  private readonly ids = new Map<string, number>();
  private readonly strings: string[] = [];

  id(s: string): number {
    let id = this.ids.get(s);
    if (id === undefined) {
      id = this.strings.length;
      this.strings.push(s);
      this.ids.set(s, id);
    }
    return id;
  }

  /** The shared copy of s. */
  intern(s: string): string {
    return this.strings[this.id(s)];
  }

  /** Every id is below this. */
  get size(): number {
    return this.strings.length;
  }

  str(id: number): string {
    return this.strings[id];
  }
}
