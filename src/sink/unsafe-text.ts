/**
 * The one rule for text that leaves the program: which code points from a packet may act on
 * whatever reads the output. The terminal shows them as a placeholder (ui/sanitize.ts); JSON
 * escapes them as \uXXXX, as JSON.stringify already does for C0.
 */

/** Bidirectional overrides and isolates reorder what follows them on screen ("trojan source"). */
function isBidiControl(cp: number): boolean {
  return (cp >= 0x202a && cp <= 0x202e) || (cp >= 0x2066 && cp <= 0x2069) || cp === 0x200e || cp === 0x200f || cp === 0x061c;
}

/** C0 (including tab: the terminal expands tabs where they belong), DEL, C1, line/paragraph separators, bidi controls, BOM. */
export function isUnsafeCodePoint(cp: number): boolean {
  return cp < 0x20 || (cp >= 0x7f && cp <= 0x9f) || cp === 0x2028 || cp === 0x2029 || isBidiControl(cp) || cp === 0xfeff;
}

/** Every unsafe code point above C0 (JSON.stringify escapes C0 itself); all are single UTF-16 units. */
const UNSAFE_ABOVE_C0 = /[\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c\ufeff]/g;

function escape(ch: string): string {
  return `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`;
}

/** JSON.stringify whose output carries no unsafe code point raw (only inside strings can they occur, so escaping is exact). */
export function safeJson(value: unknown): string {
  return JSON.stringify(value).replace(UNSAFE_ABOVE_C0, escape);
}

/** What JSON or the sanitizer may escape: C0, '"', '\\' and everything from DEL up (only tested for here). */
const MAY_ESCAPE = /[\u0000-\u001f"\\\u007f-\uffff]/;

/**
 * What safeJson writes of s between the quotes. Nearly every string from a packet is plain
 * printable ASCII: then that is s itself, after one test.
 */
export function safeJsonText(s: string): string {
  return MAY_ESCAPE.test(s) ? safeJson(s).slice(1, -1) : s;
}

/** Text for a file another program renders (SVG, HTML, Mermaid): unsafe code points become '·'; line breaks stay when asked. */
export function printable(s: string, keepLines: boolean): string {
  let out = '';
  for (const ch of s) {
    const cp = ch.codePointAt(0)!;
    if (keepLines && (cp === 0x0a || cp === 0x09)) out += ch;
    else if (keepLines && cp === 0x0d) continue;
    else out += isUnsafeCodePoint(cp) ? '·' : ch;
  }
  return out;
}
