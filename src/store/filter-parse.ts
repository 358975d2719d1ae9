/** The filter language's syntax: tokens and the expression tree (semantics live in filter.ts). */

export const FIELDS = [
  'srcnum', 'dstnum', 'telnum', 'diversion', 'pai', 'ppi', 'ip', 'srcip', 'dstip', 'method', 'state', 'callid', 'ua',
  'from', 'to', 'src', 'dst', 'payload', 'codec', 'node', 'finding', 'severity',
  'response',
] as const;
export type Field = (typeof FIELDS)[number];

/** Fields compared with a number: `mos<3.5`, `loss>2`, `jitter>=30`, `streams=0` (media of the dialog). */
export const NUMERIC_FIELDS = ['mos', 'loss', 'jitter', 'streams'] as const;
export type NumericField = (typeof NUMERIC_FIELDS)[number];
export type Comparison = '=' | '<' | '>' | '<=' | '>=';

export type FilterNode =
  | { kind: 'and' | 'or'; left: FilterNode; right: FilterNode }
  | { kind: 'not'; operand: FilterNode }
  /** `field value` (prefix or substring, see FILTER_HELP) or `field=value` (exact). */
  | { kind: 'term'; field: Field; exact: boolean; value: string; position: number }
  | { kind: 'has'; header: string; position: number }
  | { kind: 'compare'; field: NumericField; op: Comparison; value: number; position: number };

/** Why an expression does not compile, and where (0-based offset into it), for a prompt to point at. */
export interface FilterError {
  message: string;
  position: number;
}

interface Token {
  text: string;
  /** Quoted tokens are values, never keywords or parentheses. */
  quoted: boolean;
  position: number;
}

function tokenize(expr: string): Token[] | FilterError {
  const tokens: Token[] = [];
  let i = 0;
  while (i < expr.length) {
    const c = expr[i];
    if (c === ' ' || c === '\t') {
      i++;
    } else if (c === '(' || c === ')' || c === '!') {
      tokens.push({ text: c, quoted: false, position: i++ });
    } else if (c === '"' || c === "'") {
      let text = '';
      let j = i + 1;
      for (; j < expr.length && expr[j] !== c; j++) text += expr[j] === '\\' && j + 1 < expr.length ? expr[++j] : expr[j];
      if (j >= expr.length) return { message: 'unterminated quote', position: i };
      tokens.push({ text, quoted: true, position: i });
      i = j + 1;
    } else {
      let j = i;
      while (j < expr.length && !' \t()"\''.includes(expr[j])) j++;
      tokens.push({ text: expr.slice(i, j), quoted: false, position: i });
      i = j;
    }
  }
  return tokens;
}

class Parser {
  private at = 0;
  constructor(private readonly tokens: Token[], private readonly end: number) {}

  private peek(): Token | undefined {
    return this.tokens[this.at];
  }

  private keyword(word: string): boolean {
    const t = this.peek();
    if (t && !t.quoted && t.text.toLowerCase() === word) {
      this.at++;
      return true;
    }
    return false;
  }

  private here(): number {
    return this.peek()?.position ?? this.end;
  }

  parse(): FilterNode {
    const node = this.or();
    const t = this.peek();
    if (t) throw fail(t.text === ')' ? "unbalanced ')'" : `expected 'and' or 'or' before '${t.text}'`, t.position);
    return node;
  }

  private or(): FilterNode {
    let left = this.and();
    while (this.keyword('or')) left = { kind: 'or', left, right: this.and() };
    return left;
  }

  private and(): FilterNode {
    let left = this.not();
    while (this.keyword('and')) left = { kind: 'and', left, right: this.not() };
    return left;
  }

  private not(): FilterNode {
    if (this.keyword('not') || this.keyword('!')) return { kind: 'not', operand: this.not() };
    return this.primary();
  }

  private primary(): FilterNode {
    const t = this.peek();
    if (!t) throw fail('condition expected', this.end);
    if (!t.quoted && t.text === '(') {
      this.at++;
      const inner = this.or();
      if (!this.keyword(')')) throw fail("')' expected", this.here());
      return inner;
    }
    if (t.quoted || t.text === ')') throw fail('condition expected (a field such as dstnum, or has HEADER)', t.position);
    this.at++;
    const eq = t.text.indexOf('=');
    const name = (eq < 0 ? t.text : t.text.slice(0, eq)).toLowerCase();
    if (name === 'has') return { kind: 'has', header: this.value(t, eq, 'has'), position: t.position };
    const numeric = NUMERIC_FIELDS.find((f) => t.text.toLowerCase().startsWith(f) && (t.text.length === f.length || '<>='.includes(t.text[f.length]!)));
    if (numeric) return this.comparison(t, numeric);
    const field = FIELDS.find((f) => f === name);
    if (!field) throw fail(`unknown field '${name}' (try: ${FIELDS.join(', ')}, ${NUMERIC_FIELDS.join(', ')}, has)`, t.position);
    let exact = eq >= 0;
    if (!exact) {
      const next = this.peek();
      if (next && !next.quoted && next.text.startsWith('=')) {
        exact = true;
        if (next.text === '=') this.at++;
        else return { kind: 'term', field, exact, value: this.take(next, 1), position: t.position };
      }
    }
    return { kind: 'term', field, exact, value: this.value(t, eq, name), position: t.position };
  }

  /** `field op number`, the operator and number glued to the field or in tokens of their own. */
  private comparison(t: Token, field: NumericField): FilterNode {
    let rest = t.text.slice(field.length);
    if (rest === '') {
      const next = this.peek();
      if (!next || next.quoted) throw fail(`comparison expected after '${field}' (${field}<N, ${field}>N, ${field}=N)`, this.here());
      this.at++;
      rest = next.text;
    }
    const m = /^(<=|>=|<|>|=)(.*)$/.exec(rest);
    if (!m) throw fail(`comparison expected after '${field}' (${field}<N, ${field}>N, ${field}=N)`, t.position);
    let number = m[2]!;
    if (number === '') {
      const next = this.peek();
      if (!next || (!next.quoted && (next.text === '(' || next.text === ')'))) throw fail(`number expected after '${field}${m[1]}'`, this.here());
      this.at++;
      number = next.text;
    }
    const value = Number(number);
    if (number.trim() === '' || !Number.isFinite(value)) throw fail(`'${number}' is not a number`, t.position);
    return { kind: 'compare', field, op: m[1] as Comparison, value, position: t.position };
  }

  /** The value glued to `t` after "=" or, when nothing follows it there, the next token. */
  private value(t: Token, eq: number, name: string): string {
    if (eq >= 0 && eq + 1 < t.text.length) return t.text.slice(eq + 1);
    const next = this.peek();
    if (!next || (!next.quoted && (next.text === '(' || next.text === ')'))) throw fail(`value expected after '${name}'`, this.here());
    this.at++;
    return next.text;
  }

  private take(t: Token, from: number): string {
    this.at++;
    return t.text.slice(from);
  }
}

class ParseFailure extends Error {
  constructor(readonly error: FilterError) {
    super(error.message);
  }
}

function fail(message: string, position: number): ParseFailure {
  return new ParseFailure({ message, position });
}

/** The expression tree of a filter, or where and why it is malformed. */
export function parseFilter(expr: string): FilterNode | FilterError {
  const tokens = tokenize(expr);
  if (!Array.isArray(tokens)) return tokens;
  try {
    return new Parser(tokens, expr.length).parse();
  } catch (e) {
    if (e instanceof ParseFailure) return e.error;
    throw e;
  }
}
