import { describe, expect, it } from '@jest/globals';
import { parseRunFilter, parseRunOrderBy, type RunFilterNode } from './run-filter';
import { searchRunsRequestSchema } from './run.contract';

function ast(text: string): RunFilterNode | null {
  const result = parseRunFilter(text);
  if (!result.ok) throw new Error(`${text}: ${result.error.message}`);
  return result.ast;
}
function error(text: string) {
  const result = parseRunFilter(text);
  if (result.ok) throw new Error(`${text} parsed`);
  return result.error;
}

const metric = (key: string, op: string, value: number) => ({ type: 'compare', field: { kind: 'metric', key }, op, value });
const param = (key: string, op: string, value: string) => ({ type: 'compare', field: { kind: 'param', key }, op, value });

describe('run filter parser', () => {
  it('parses the PRODUCT.md query, with params compared as strings', () => {
    expect(ast("metrics.f1 > 0.9 AND (params.criterion = 'gini' OR params.maxDepth IN (4, 8))")).toEqual({
      type: 'and',
      operands: [
        metric('f1', '>', 0.9),
        {
          type: 'or',
          operands: [param('criterion', '=', 'gini'), { type: 'in', field: { kind: 'param', key: 'maxDepth' }, negated: false, values: ['4', '8'] }],
        },
      ],
    });
  });

  it("reads 'NaN', 'Infinity' and '-Infinity' as metric values (the API's wire form), and only those words", () => {
    expect(ast("metrics.loss = 'NaN' OR metrics.loss IN ('Infinity', '-Infinity')")).toEqual({
      type: 'or',
      operands: [metric('loss', '=', Number.NaN), { type: 'in', field: { kind: 'metric', key: 'loss' }, negated: false, values: [Infinity, -Infinity] }],
    });
    for (const word of ["'nan'", "'inf'", "'+Infinity'", 'NaN']) expect(parseRunFilter(`metrics.loss > ${word}`).ok).toBe(false);
    // Params and tags stay strings.
    expect(ast("params.x = 'NaN'")).toEqual(param('x', '=', 'NaN'));
  });

  it('binds AND tighter than OR, and NOT tighter than both', () => {
    expect(ast('metrics.a = 1 OR metrics.b = 2 AND NOT metrics.c = 3')).toEqual({
      type: 'or',
      operands: [metric('a', '=', 1), { type: 'and', operands: [metric('b', '=', 2), { type: 'not', operand: metric('c', '=', 3) }] }],
    });
  });

  it.each([
    ['metrics.`val loss` < 0.5', metric('val loss', '<', 0.5)],
    ['metrics."val loss" <= 1e-3', metric('val loss', '<=', 0.001)],
    ['metric.train.loss >= -.5', metric('train.loss', '>=', -0.5)],
    ['metrics.5 == 2', metric('5', '=', 2)],
    ['metrics.a <> 2', metric('a', '!=', 2)],
    ["params.note = 'it''s \\\"quoted\\\"'", param('note', '=', 'it\'s "quoted"')],
    ['params.p = "double"', param('p', '=', 'double')],
    ["param.lr not like '0.0%'", param('lr', 'NOT LIKE', '0.0%')],
    ["tags.`my.tag` ILIKE '%X%'", { type: 'compare', field: { kind: 'tag', key: 'my.tag' }, op: 'ILIKE', value: '%X%' }],
    ["attributes.status NOT IN ('killed', 'Failed')", { type: 'in', field: { kind: 'attribute', key: 'status' }, negated: true, values: ['KILLED', 'FAILED'] }],
    ["run.created_at > '2025-01-01T00:00:00Z'", { type: 'compare', field: { kind: 'attribute', key: 'created_at' }, op: '>', value: Date.UTC(2025, 0, 1) }],
    ['attr.ended_at <= 1700000000000', { type: 'compare', field: { kind: 'attribute', key: 'ended_at' }, op: '<=', value: 1_700_000_000_000 }],
    ["attributes.name LIKE 'cart-%'", { type: 'compare', field: { kind: 'attribute', key: 'name' }, op: 'LIKE', value: 'cart-%' }],
    ['params.maxDepth IN (+4, 08)', { type: 'in', field: { kind: 'param', key: 'maxDepth' }, negated: false, values: ['4', '08'] }],
  ])('%s', (text, expected) => {
    expect(ast(text)).toEqual(expected);
  });

  it('treats an empty or blank filter as "every run"', () => {
    expect(ast('')).toBeNull();
    expect(ast('   \n\t')).toBeNull();
  });

  it.each([
    ['metrics.f1 >', 12, "expected a value after '>' at column 13, found the end of the filter"],
    [
      'metrics.f1 > 0.9 AND',
      20,
      'expected a field such as metrics.<key>, params.<key>, tags.<key> or attributes.<name>, found the end of the filter at column 21',
    ],
    ['(metrics.a > 1', 14, "expected ')' to close the '(' at column 1, found the end of the filter at column 15"],
    ['metrics.a > 1)', 13, "unbalanced parenthesis, found ')' at column 14"],
    ["params.a = 'open", 11, 'unterminated string starting at column 12'],
    ['foo.bar = 1', 0, "unknown field 'foo' at column 1: fields start with metrics., params., tags. or attributes."],
    ['metrics = 1', 8, "expected '.' and a key after 'metrics' at column 9"],
    ['metrics.a 1', 10, "expected an operator (=, !=, <, <=, >, >=, LIKE, ILIKE, IN, NOT IN) after 'metrics…', found '1' at column 11"],
    ["metrics.a = 'x'", 12, "metrics.a is a number: expected a number, 'NaN', 'Infinity' or '-Infinity' after '=' at column 13, found the string 'x'"],
    ['params.a > 4', 9, "params.a is a string: use =, !=, LIKE, ILIKE, IN or NOT IN, not '>' at column 10"],
    ["attributes.status = 'DONE'", 20, "unknown run status 'DONE' at column 21; one of QUEUED, RUNNING, FINISHED, FAILED, KILLED"],
    [
      'attributes.colour = 1',
      11,
      "unknown attribute 'colour' at column 12; attributes are status, name, created_at, started_at, ended_at, run_id, experiment_id",
    ],
    ["attributes.run_id = 'abc'", 20, "attributes.run_id is a UUID at column 21, found the string 'abc'"],
    [
      "attributes.created_at > 'last week'",
      24,
      "attributes.created_at takes epoch milliseconds or an ISO-8601 time at column 25, found the string 'last week'",
    ],
    ['metrics.a IN ()', 14, "expected a value after 'IN' at column 15, found ')'"],
    ['metrics.a IN (1 2)', 16, "expected ',' or ')' in the IN list, found '2' at column 17"],
    ['metrics.a > 1e999', 12, 'number 1e999 is out of range at column 13'],
    ['metrics.a > 1 ; DROP TABLE runs', 14, "unexpected character ';' at column 15"],
  ])('%s → error at %i', (text, position, message) => {
    expect(error(text)).toEqual({ position, column: position + 1, message });
  });

  it('bounds nesting, list sizes, comparisons and length', () => {
    expect(error(`${'('.repeat(40)}metrics.a > 1${')'.repeat(40)}`).message).toMatch(/nests deeper than 32/);
    expect(error(`metrics.a IN (${Array.from({ length: 1001 }, (_, i) => i).join(',')})`).message).toMatch(/at most 1000 values/);
    expect(error(Array.from({ length: 101 }, () => 'metrics.a > 1').join(' OR ')).message).toMatch(/at most 100 comparisons/);
    expect(error('x'.repeat(10_001)).message).toMatch(/longer than 10000/);
    expect(error(`metrics.${'k'.repeat(251)} > 1`).message).toMatch(/longer than 250/);
  });

  it('parses sort orders, defaulting metrics and times to DESC', () => {
    expect(parseRunOrderBy('metrics.f1')).toEqual({ ok: true, orderBy: { field: { kind: 'metric', key: 'f1' }, direction: 'DESC' } });
    expect(parseRunOrderBy('metrics.`val loss` asc')).toEqual({ ok: true, orderBy: { field: { kind: 'metric', key: 'val loss' }, direction: 'ASC' } });
    expect(parseRunOrderBy('attributes.name')).toEqual({ ok: true, orderBy: { field: { kind: 'attribute', key: 'name' }, direction: 'ASC' } });
    expect(parseRunOrderBy('attributes.created_at')).toEqual({ ok: true, orderBy: { field: { kind: 'attribute', key: 'created_at' }, direction: 'DESC' } });
    expect(parseRunOrderBy('metrics.f1 DESC, metrics.auc')).toMatchObject({ ok: false, error: { column: 16 } });
    expect(parseRunOrderBy('attributes.run_id')).toMatchObject({ ok: false });
    expect(parseRunOrderBy('')).toMatchObject({ ok: false });
  });

  it('is what the search request schema checks', () => {
    expect(searchRunsRequestSchema.safeParse({ filter: 'metrics.f1 > 0.9' }).success).toBe(true);
    const bad = searchRunsRequestSchema.safeParse({ filter: 'metrics.f1 >' });
    expect(bad.success).toBe(false);
    expect(bad.error?.issues[0]).toMatchObject({ path: ['filter'], message: "expected a value after '>' at column 13, found the end of the filter" });
    expect(searchRunsRequestSchema.parse({})).toEqual({ filter: '', orderBy: 'attributes.created_at DESC', limit: 100, lifecycle: 'active' });
  });
});
