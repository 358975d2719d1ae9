/**
 * sngrep's match expression (trailing argument or -m, with -i and -v): a regular expression tried on
 * the payload of the first message of each dialog; dialogs whose first message fails it are never
 * created (pass the result as StoreOptions.match). sngrep uses PCRE; JavaScript regular expressions
 * accept the same everyday syntax. Lines are anchors (^ and $ match at each line).
 */
import { InputError } from '../model/errors.js';

export interface MatchOptions {
  /** -i */
  ignoreCase: boolean;
  /** -v: keep the dialogs that do NOT match. */
  invert: boolean;
}

/** The payload test for expr; an invalid expression is an InputError naming it. */
export function compileMatch(expr: string, opts: MatchOptions): (payload: Buffer) => boolean {
  let re: RegExp;
  try {
    re = new RegExp(expr, opts.ignoreCase ? 'im' : 'm');
  } catch (e) {
    throw new InputError(`invalid match expression '${expr}': ${(e as Error).message}`);
  }
  // latin1 keeps one character per byte, so any payload decodes and byte patterns stay literal.
  return opts.invert ? (p) => !re.test(p.toString('latin1')) : (p) => re.test(p.toString('latin1'));
}
