/**
 * The run-search filter language, parsed without dependencies so the API, console and CLI agree on it.
 *
 *   filter     := or
 *   or         := and ( OR and )*
 *   and        := unary ( AND unary )*
 *   unary      := NOT unary | '(' or ')' | comparison
 *   comparison := field op value | field [NOT] IN '(' value ( ',' value )* ')'
 *   field      := kind '.' key          kind: metrics|metric|params|param|tags|tag|attributes|attribute|attr|run
 *   key        := [A-Za-z0-9_.:/-]+ | `quoted` | "quoted" | 'quoted'
 *   op         := = | == | != | <> | < | <= | > | >= | LIKE | ILIKE | NOT LIKE | NOT ILIKE
 *   value      := number | 'string' | "string"      (backslash escapes: \' \" \\ \n \t)
 *                 (a metric also takes 'NaN', 'Infinity', '-Infinity': NaN never satisfies <, <=, >, >=; = and IN match it)
 *
 * Keywords are case-insensitive. Metrics compare as numbers, params and tags as strings (so
 * `params.maxDepth IN (4, 8)` means the strings '4' and '8'), attributes by their own type.
 */

export type FilterFieldKind = 'metric' | 'param' | 'tag' | 'attribute';
export const RUN_ATTRIBUTES = ['status', 'name', 'created_at', 'started_at', 'ended_at', 'run_id', 'experiment_id'] as const;
export type RunAttribute = (typeof RUN_ATTRIBUTES)[number];
export const RUN_STATUSES = ['QUEUED', 'RUNNING', 'FINISHED', 'FAILED', 'KILLED'] as const;

export type FilterField = { kind: 'metric' | 'param' | 'tag'; key: string } | { kind: 'attribute'; key: RunAttribute };
export type ComparisonOp = '=' | '!=' | '<' | '<=' | '>' | '>=' | 'LIKE' | 'ILIKE' | 'NOT LIKE' | 'NOT ILIKE';
export type FilterValue = string | number;

export type RunFilterNode =
  | { type: 'and' | 'or'; operands: RunFilterNode[] }
  | { type: 'not'; operand: RunFilterNode }
  | { type: 'compare'; field: FilterField; op: ComparisonOp; value: FilterValue }
  | { type: 'in'; field: FilterField; negated: boolean; values: FilterValue[] };

export interface RunFilterError {
  /** 0-based offset into the filter text. */
  position: number;
  /** 1-based column, as shown to people. */
  column: number;
  message: string;
}

export type RunFilterParseResult = { ok: true; ast: RunFilterNode | null } | { ok: false; error: RunFilterError };

export const RUN_FILTER_MAX_LENGTH = 10_000;
const MAX_DEPTH = 32;
const MAX_IN_VALUES = 1000;
const MAX_COMPARISONS = 100;
const MAX_KEY_LENGTH = 250;

const KIND_ALIASES: Record<string, FilterFieldKind> = {
  metrics: 'metric',
  metric: 'metric',
  params: 'param',
  param: 'param',
  tags: 'tag',
  tag: 'tag',
  attributes: 'attribute',
  attribute: 'attribute',
  attr: 'attribute',
  run: 'attribute',
};

const TIME_ATTRIBUTES: ReadonlySet<string> = new Set(['created_at', 'started_at', 'ended_at']);
const ID_ATTRIBUTES: ReadonlySet<string> = new Set(['run_id', 'experiment_id']);
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

type TokenType = 'word' | 'quoted' | 'backquoted' | 'number' | 'op' | '(' | ')' | ',' | '.' | 'end';
interface Token {
  type: TokenType;
  text: string;
  /** Decoded value for strings and numbers. */
  value?: string | number;
  position: number;
}

class ParseFailure extends Error {
  constructor(
    readonly position: number,
    message: string,
  ) {
    super(message);
  }
}

const at = (position: number) => `at column ${position + 1}`;
const describe = (token: Token) => {
  if (token.type === 'end') return 'the end of the filter';
  const text = token.text.length > 40 ? `${token.text.slice(0, 40)}…` : token.text;
  return token.type === 'quoted' ? `the string ${text}` : `'${text}'`;
};

/** Years 0001..9999, as MIN_TIMESTAMP_MS / MAX_TIMESTAMP_MS in common/primitives (repeated: this parser has no imports). */
const MIN_TIMESTAMP_MS = -62_135_596_800_000;
const MAX_TIMESTAMP_MS = 253_402_300_799_999;

/** Where the first character Postgres text cannot hold (NUL, a lone surrogate) is, or -1. */
function firstUnstorable(input: string): number {
  for (let i = 0; i < input.length; i++) {
    const code = input.charCodeAt(i);
    if (code === 0) return i;
    if (code >= 0xd800 && code <= 0xdbff) {
      const next = input.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) i++;
      else return i;
    } else if (code >= 0xdc00 && code <= 0xdfff) return i;
  }
  return -1;
}

function tokenize(input: string): Token[] {
  // Literals reach SQL parameters: refused here, at parse time, so a filter cannot carry what the driver rejects.
  const bad = firstUnstorable(input);
  if (bad >= 0) throw new ParseFailure(bad, `${input.charCodeAt(bad) === 0 ? 'NUL character' : 'lone UTF-16 surrogate'} ${at(bad)} is not allowed`);
  const tokens: Token[] = [];
  let i = 0;
  while (i < input.length) {
    const c = input[i];
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    const start = i;
    if (c === '(' || c === ')' || c === ',' || c === '.') {
      // A '.' followed by a digit starts a number (`.5`), otherwise it separates kind and key.
      const prev = tokens[tokens.length - 1];
      const afterName =
        prev !== undefined && prev.position + prev.text.length === i && (prev.type === 'word' || prev.type === 'backquoted' || prev.type === 'number');
      if (c === '.' && !afterName && /[0-9]/.test(input[i + 1] ?? '')) {
        const match = /^\.[0-9]+(?:[eE][-+]?[0-9]+)?/.exec(input.slice(i)) ?? ['.0'];
        tokens.push(numberToken(match[0], start));
        i += match[0].length;
        continue;
      }
      tokens.push({ type: c, text: c, position: start });
      i++;
      continue;
    }
    if (c === "'" || c === '"' || c === '`') {
      let value = '';
      i++;
      let closed = false;
      while (i < input.length) {
        const d = input[i];
        if (d === '\\' && c !== '`') {
          const next = input[i + 1];
          if (next === undefined) break;
          value += next === 'n' ? '\n' : next === 't' ? '\t' : next;
          i += 2;
          continue;
        }
        if (d === c) {
          // A doubled quote is the quote itself, as in SQL.
          if (input[i + 1] === c) {
            value += c;
            i += 2;
            continue;
          }
          closed = true;
          i++;
          break;
        }
        value += d;
        i++;
      }
      if (!closed) throw new ParseFailure(start, `unterminated ${c === '`' ? 'quoted key' : 'string'} starting ${at(start)}`);
      tokens.push({ type: c === '`' ? 'backquoted' : 'quoted', text: input.slice(start, i), value, position: start });
      continue;
    }
    const number = /^[-+]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][-+]?[0-9]+)?/.exec(input.slice(i));
    if (number && (c !== '-' && c !== '+' ? true : /[0-9.]/.test(input[i + 1] ?? ''))) {
      // Numbers glued to letters (`4abc`) are words, e.g. a key like `2nd_stage`.
      if (!/[A-Za-z_]/.test(input[i + number[0].length] ?? '')) {
        tokens.push(numberToken(number[0], start));
        i += number[0].length;
        continue;
      }
    }
    const op = /^(?:<=|>=|!=|<>|==|=|<|>)/.exec(input.slice(i));
    if (op) {
      tokens.push({ type: 'op', text: op[0], position: start });
      i += op[0].length;
      continue;
    }
    const word = /^[A-Za-z0-9_:/-]+/.exec(input.slice(i));
    if (word) {
      tokens.push({ type: 'word', text: word[0], position: start });
      i += word[0].length;
      continue;
    }
    throw new ParseFailure(start, `unexpected character '${c}' ${at(start)}`);
  }
  tokens.push({ type: 'end', text: '', position: input.length });
  return tokens;
}

function numberToken(text: string, position: number): Token {
  const value = Number(text);
  if (!Number.isFinite(value)) throw new ParseFailure(position, `number ${text} is out of range ${at(position)}`);
  return { type: 'number', text, value, position };
}

class Parser {
  private index = 0;
  private comparisons = 0;

  constructor(private readonly tokens: Token[]) {}

  peek(offset = 0): Token {
    return this.tokens[Math.min(this.index + offset, this.tokens.length - 1)];
  }

  next(): Token {
    const token = this.peek();
    if (token.type !== 'end') this.index++;
    return token;
  }

  private isKeyword(token: Token, keyword: string): boolean {
    return token.type === 'word' && token.text.toUpperCase() === keyword;
  }

  parseFilter(): RunFilterNode {
    const node = this.parseOr(0);
    const rest = this.peek();
    if (rest.type !== 'end') {
      const hint = rest.type === ')' ? 'unbalanced parenthesis' : 'expected AND, OR or the end of the filter';
      throw new ParseFailure(rest.position, `${hint}, found ${describe(rest)} ${at(rest.position)}`);
    }
    return node;
  }

  private parseOr(depth: number): RunFilterNode {
    const operands = [this.parseAnd(depth)];
    while (this.isKeyword(this.peek(), 'OR')) {
      this.next();
      operands.push(this.parseAnd(depth));
    }
    return operands.length === 1 ? operands[0] : { type: 'or', operands };
  }

  private parseAnd(depth: number): RunFilterNode {
    const operands = [this.parseUnary(depth)];
    while (this.isKeyword(this.peek(), 'AND')) {
      this.next();
      operands.push(this.parseUnary(depth));
    }
    return operands.length === 1 ? operands[0] : { type: 'and', operands };
  }

  private parseUnary(depth: number): RunFilterNode {
    const token = this.peek();
    if (depth > MAX_DEPTH) throw new ParseFailure(token.position, `filter nests deeper than ${MAX_DEPTH} levels ${at(token.position)}`);
    if (this.isKeyword(token, 'NOT')) {
      this.next();
      return { type: 'not', operand: this.parseUnary(depth + 1) };
    }
    if (token.type === '(') {
      this.next();
      const inner = this.parseOr(depth + 1);
      const close = this.next();
      if (close.type !== ')')
        throw new ParseFailure(close.position, `expected ')' to close the '(' ${at(token.position)}, found ${describe(close)} ${at(close.position)}`);
      return inner;
    }
    return this.parseComparison();
  }

  parseField(): { field: FilterField; token: Token } {
    const token = this.next();
    if (token.type !== 'word' && token.type !== 'backquoted') {
      throw new ParseFailure(
        token.position,
        `expected a field such as metrics.<key>, params.<key>, tags.<key> or attributes.<name>, found ${describe(token)} ${at(token.position)}`,
      );
    }
    const kindText = token.type === 'word' ? token.text : String(token.value);
    const kind = KIND_ALIASES[kindText.toLowerCase()];
    if (!kind) {
      throw new ParseFailure(
        token.position,
        `unknown field '${kindText.slice(0, 40)}' ${at(token.position)}: fields start with metrics., params., tags. or attributes.`,
      );
    }
    const dot = this.next();
    if (dot.type !== '.') throw new ParseFailure(dot.position, `expected '.' and a key after '${kindText}' ${at(dot.position)}`);
    const keyToken = this.next();
    let key: string;
    if (keyToken.type === 'quoted' || keyToken.type === 'backquoted') key = String(keyToken.value);
    else if (keyToken.type === 'word' || keyToken.type === 'number') {
      // Unquoted keys may contain dots (`metrics.train.loss`): read word/./number tokens that touch each other.
      key = keyToken.text;
      let end = keyToken.position + keyToken.text.length;
      while (['word', 'number', '.'].includes(this.peek().type) && this.peek().position === end) {
        const part = this.next();
        key += part.text;
        end = part.position + part.text.length;
      }
    } else throw new ParseFailure(keyToken.position, `expected a key after '${kindText}.' ${at(keyToken.position)}`);
    if (key.length === 0) throw new ParseFailure(keyToken.position, `empty key ${at(keyToken.position)}`);
    if (key.length > MAX_KEY_LENGTH) throw new ParseFailure(keyToken.position, `key longer than ${MAX_KEY_LENGTH} characters ${at(keyToken.position)}`);
    if (kind === 'attribute') {
      const attribute = key.toLowerCase();
      if (!(RUN_ATTRIBUTES as readonly string[]).includes(attribute)) {
        throw new ParseFailure(
          keyToken.position,
          `unknown attribute '${key.slice(0, 40)}' ${at(keyToken.position)}; attributes are ${RUN_ATTRIBUTES.join(', ')}`,
        );
      }
      return { field: { kind, key: attribute as RunAttribute }, token };
    }
    return { field: { kind, key }, token };
  }

  private parseComparison(): RunFilterNode {
    if (++this.comparisons > MAX_COMPARISONS) {
      throw new ParseFailure(this.peek().position, `a filter may hold at most ${MAX_COMPARISONS} comparisons`);
    }
    const { field, token: fieldToken } = this.parseField();
    const opToken = this.next();
    if (this.isKeyword(opToken, 'IN') || (this.isKeyword(opToken, 'NOT') && this.isKeyword(this.peek(), 'IN'))) {
      const negated = !this.isKeyword(opToken, 'IN');
      if (negated) this.next();
      const open = this.next();
      if (open.type !== '(') throw new ParseFailure(open.position, `expected '(' after IN ${at(open.position)}`);
      const values: FilterValue[] = [];
      for (;;) {
        const valueToken = this.next();
        values.push(this.checkValue(field, negated ? 'NOT IN' : 'IN', this.valueOf(valueToken, 'IN'), valueToken));
        if (values.length > MAX_IN_VALUES) throw new ParseFailure(valueToken.position, `IN lists hold at most ${MAX_IN_VALUES} values`);
        const sep = this.next();
        if (sep.type === ')') break;
        if (sep.type !== ',') throw new ParseFailure(sep.position, `expected ',' or ')' in the IN list, found ${describe(sep)} ${at(sep.position)}`);
      }
      return { type: 'in', field, negated, values };
    }
    let op: ComparisonOp;
    if (opToken.type === 'op') op = opToken.text === '==' ? '=' : opToken.text === '<>' ? '!=' : (opToken.text as ComparisonOp);
    else if (this.isKeyword(opToken, 'LIKE') || this.isKeyword(opToken, 'ILIKE')) op = opToken.text.toUpperCase() as ComparisonOp;
    else if (this.isKeyword(opToken, 'NOT') && (this.isKeyword(this.peek(), 'LIKE') || this.isKeyword(this.peek(), 'ILIKE')))
      op = `NOT ${this.next().text.toUpperCase()}` as ComparisonOp;
    else {
      throw new ParseFailure(
        opToken.position,
        `expected an operator (=, !=, <, <=, >, >=, LIKE, ILIKE, IN, NOT IN) after '${fieldToken.text}${field.key ? '…' : ''}', found ${describe(opToken)} ${at(opToken.position)}`,
      );
    }
    this.checkOperator(field, op, opToken);
    const valueToken = this.next();
    return { type: 'compare', field, op, value: this.checkValue(field, op, this.valueOf(valueToken, opToken.text), valueToken) };
  }

  private valueOf(token: Token, after: string): FilterValue {
    if (token.type === 'number' || token.type === 'quoted') return token.value as FilterValue;
    throw new ParseFailure(token.position, `expected a value after '${after}' ${at(token.position)}, found ${describe(token)}`);
  }

  private checkOperator(field: FilterField, op: ComparisonOp, token: Token): void {
    const like = op.endsWith('LIKE');
    const ordering = op === '<' || op === '<=' || op === '>' || op === '>=';
    const name = fieldName(field);
    if (field.kind === 'metric' && like) throw new ParseFailure(token.position, `${op} needs a string field; ${name} is a number ${at(token.position)}`);
    if ((field.kind === 'param' || field.kind === 'tag') && ordering) {
      throw new ParseFailure(token.position, `${name} is a string: use =, !=, LIKE, ILIKE, IN or NOT IN, not '${op}' ${at(token.position)}`);
    }
    if (field.kind === 'attribute') {
      const isTime = TIME_ATTRIBUTES.has(field.key);
      if (isTime && like) throw new ParseFailure(token.position, `${op} needs a string field; ${name} is a time ${at(token.position)}`);
      if (!isTime && ordering) throw new ParseFailure(token.position, `'${op}' does not apply to ${name} ${at(token.position)}`);
      if (ID_ATTRIBUTES.has(field.key) && like) throw new ParseFailure(token.position, `${op} does not apply to ${name} ${at(token.position)}`);
    }
  }

  private checkValue(field: FilterField, op: string, value: FilterValue, token: Token): FilterValue {
    const name = fieldName(field);
    switch (field.kind) {
      case 'metric':
        // Diverged metrics are stored as NaN/±Infinity; they are named the way the API writes them.
        if (typeof value === 'string' && (value === 'NaN' || value === 'Infinity' || value === '-Infinity')) return Number(value);
        if (typeof value !== 'number')
          throw new ParseFailure(
            token.position,
            `${name} is a number: expected a number, 'NaN', 'Infinity' or '-Infinity' after '${op}' ${at(token.position)}, found ${describe(token)}`,
          );
        return value;
      case 'param':
      case 'tag':
        // Params and tags are stored as strings; numbers compare by their text as written (4 → '4').
        return typeof value === 'number' ? token.text.replace(/^\+/, '') : value;
      case 'attribute': {
        if (TIME_ATTRIBUTES.has(field.key)) {
          // Times are epoch milliseconds or ISO-8601 strings; both become epoch milliseconds.
          const ms = typeof value === 'number' ? value : /^\d{4}-\d{2}-\d{2}/.test(value) ? Date.parse(value) : Number.NaN;
          if (!Number.isFinite(ms))
            throw new ParseFailure(token.position, `${name} takes epoch milliseconds or an ISO-8601 time ${at(token.position)}, found ${describe(token)}`);
          if (ms < MIN_TIMESTAMP_MS || ms > MAX_TIMESTAMP_MS)
            throw new ParseFailure(token.position, `${name} takes times in years 0001..9999 ${at(token.position)}, found ${describe(token)}`);
          return ms;
        }
        if (typeof value !== 'string') throw new ParseFailure(token.position, `${name} is a string: quote the value ${at(token.position)}`);
        if (field.key === 'status') {
          const status = value.toUpperCase();
          if (!(RUN_STATUSES as readonly string[]).includes(status))
            throw new ParseFailure(token.position, `unknown run status '${value.slice(0, 40)}' ${at(token.position)}; one of ${RUN_STATUSES.join(', ')}`);
          return status;
        }
        if (ID_ATTRIBUTES.has(field.key) && !UUID.test(value))
          throw new ParseFailure(token.position, `${name} is a UUID ${at(token.position)}, found ${describe(token)}`);
        return ID_ATTRIBUTES.has(field.key) ? value.toLowerCase() : value;
      }
    }
  }
}

function fieldName(field: FilterField): string {
  const plural = { metric: 'metrics', param: 'params', tag: 'tags', attribute: 'attributes' }[field.kind];
  return /^[A-Za-z0-9_.:/-]+$/.test(field.key) ? `${plural}.${field.key}` : `${plural}.\`${field.key.slice(0, 40)}\``;
}

function failure(error: unknown): { ok: false; error: RunFilterError } {
  if (error instanceof ParseFailure) return { ok: false, error: { position: error.position, column: error.position + 1, message: error.message } };
  throw error;
}

/** Parses a filter; an empty (or blank) filter matches every run and yields `ast: null`. */
export function parseRunFilter(input: string): RunFilterParseResult {
  if (input.length > RUN_FILTER_MAX_LENGTH)
    return {
      ok: false,
      error: { position: RUN_FILTER_MAX_LENGTH, column: RUN_FILTER_MAX_LENGTH + 1, message: `filter longer than ${RUN_FILTER_MAX_LENGTH} characters` },
    };
  try {
    const tokens = tokenize(input);
    if (tokens.length === 1) return { ok: true, ast: null };
    return { ok: true, ast: new Parser(tokens).parseFilter() };
  } catch (error) {
    return failure(error);
  }
}

// ───────────────────────────── order by ─────────────────────────────

export const ORDER_BY_ATTRIBUTES = ['created_at', 'started_at', 'ended_at', 'name', 'status'] as const;
export interface RunOrderBy {
  field: { kind: 'metric' | 'param' | 'tag'; key: string } | { kind: 'attribute'; key: (typeof ORDER_BY_ATTRIBUTES)[number] };
  direction: 'ASC' | 'DESC';
}

export type RunOrderByParseResult = { ok: true; orderBy: RunOrderBy } | { ok: false; error: RunFilterError };

/** `metrics.f1 DESC`, `attributes.created_at`, `params.lr ASC`. Without a direction: DESC for times and metrics, ASC otherwise. */
export function parseRunOrderBy(input: string): RunOrderByParseResult {
  try {
    const tokens = tokenize(input);
    const parser = new Parser(tokens);
    const { field } = parser.parseField();
    if (field.kind === 'attribute' && !(ORDER_BY_ATTRIBUTES as readonly string[]).includes(field.key)) {
      throw new ParseFailure(0, `runs cannot be sorted by attributes.${field.key}; sortable attributes are ${ORDER_BY_ATTRIBUTES.join(', ')}`);
    }
    let direction: 'ASC' | 'DESC' = field.kind === 'metric' || (field.kind === 'attribute' && TIME_ATTRIBUTES.has(field.key)) ? 'DESC' : 'ASC';
    const dirToken = parser.next();
    if (dirToken.type === 'word' && ['ASC', 'DESC'].includes(dirToken.text.toUpperCase())) {
      direction = dirToken.text.toUpperCase() as 'ASC' | 'DESC';
      const end = parser.next();
      if (end.type !== 'end')
        throw new ParseFailure(end.position, `expected the end of the sort after ${direction}, found ${describe(end)} ${at(end.position)}`);
    } else if (dirToken.type !== 'end') throw new ParseFailure(dirToken.position, `expected ASC or DESC, found ${describe(dirToken)} ${at(dirToken.position)}`);
    return { ok: true, orderBy: { field: field as RunOrderBy['field'], direction } };
  } catch (error) {
    return failure(error);
  }
}
