import { flatCopy } from '../sip/tokens.js';

/** Interned strings with small integer ids, so columns hold 4-byte ids and equal strings are stored once. */
export class StringTable {
  private readonly ids = new Map<string, number>();
  private readonly strings: string[] = [];

  id(s: string): number {
    return this.idWithin(s, Infinity);
  }

  /** id(s), or -1 when s is new and the table holds `limit` strings already. */
  idWithin(s: string, limit: number): number {
    let id = this.ids.get(s);
    if (id === undefined) {
      if (this.strings.length >= limit) return -1;
      id = this.strings.length;
      // Kept flat: an "ip:port" built by a template is a tree of parts (big100k: 140k of them, 4 MB).
      const kept = flatCopy(s);
      this.strings.push(kept);
      this.ids.set(kept, id);
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
