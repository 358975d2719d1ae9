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

/**
 * How a decoding thread names the recurring texts of a message it hands over (cli/decoded-records.ts):
 * small keys of its own numbering, each below MAX_TEXT_KEY, -1 for none. A key names the same text
 * for as long as it comes with the same string object (the thread numbers again when its numbering
 * is full, and the reading side then gets a new object for the key).
 */
export interface TextKeys {
  callId: number;
  src: number;
  dst: number;
  method: number;
  cseqMethod: number;
  reasonPhrase: number;
}

/** Keys are below this. */
export const MAX_TEXT_KEY = 1 << 16;

/** The keys of a message scanned in this thread: none. */
export const NO_TEXT_KEYS: Readonly<TextKeys> = { callId: -1, src: -1, dst: -1, method: -1, cseqMethod: -1, reasonPhrase: -1 };

/**
 * The memo of a key-addressed look-up (a table's ids, a dialog by Call-ID): what was found for a
 * key with the string it came with. A text that comes again with its key, as the same string
 * object, is answered by a compare of the two references instead of hashing it.
 */
export class KeyMemo {
  private texts: (string | undefined)[] = [];
  private values = new Int32Array(0);

  /** The value remembered for `key` with `text`, or -1. */
  get(key: number, text: string): number {
    return key >= 0 && key < this.texts.length && this.texts[key] === text ? this.values[key]! : -1;
  }

  set(key: number, text: string, value: number): void {
    if (key < 0 || key >= MAX_TEXT_KEY) return;
    if (key >= this.texts.length) this.grow(key);
    this.texts[key] = text;
    this.values[key] = value;
  }

  /** Room for keys up to `key`, doubling: keys are numbered from 0 up. */
  private grow(key: number): void {
    const n = Math.min(MAX_TEXT_KEY, Math.max(1024, 2 * this.texts.length, key + 1));
    const values = new Int32Array(n);
    values.set(this.values);
    this.values = values;
    for (let k = this.texts.length; k < n; k++) this.texts.push(undefined);
  }
}

/** A table's ids memoised by keys (KeyMemo): ids of texts that come with a key, without hashing them again. */
export class KeyedIds {
  private readonly memo = new KeyMemo();

  /** `limit`: as StringTable.idWithin's (-1 for a new text once the table is full). */
  constructor(private readonly table: StringTable, private readonly limit = Infinity) {}

  id(key: number, s: string): number {
    const known = this.memo.get(key, s);
    if (known >= 0) return known;
    const id = this.table.idWithin(s, this.limit);
    if (id >= 0) this.memo.set(key, s, id);
    return id;
  }
}
