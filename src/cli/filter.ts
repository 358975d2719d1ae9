import { InputError } from '../model/errors.js';
import { compileFilter, isFilterError, type DialogFilter } from '../store/filter.js';

/** --filter: compiled once; a syntax error is one line that points at the column. */
export function compileCliFilter(expr: string): DialogFilter | undefined {
  if (expr.trim() === '') return undefined;
  const f = compileFilter(expr);
  if (isFilterError(f)) throw new InputError(`--filter: ${f.message} at column ${f.position + 1} of '${expr}'`);
  return f;
}
