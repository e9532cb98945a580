import type { ComparisonOp, FilterField, FilterValue, RunFilterNode, RunOrderBy } from '@slipway/contracts';
import { Prisma } from '../generated/prisma/client';
import { float8 } from '../float8';

/**
 * Compiles a parsed run filter (libs/contracts run-filter.ts) to a parameterised SQL predicate over `runs r`.
 * Values are always bind parameters; the only SQL text that comes from the AST is chosen from the fixed maps
 * below (operators, columns), never copied from the input.
 *
 * Metric, param and tag comparisons are EXISTS sub-queries on latest_metrics/run_params/run_tags, so a run
 * without the key never matches a comparison (as in MLflow: `params.a != 'x'` needs `a` to be logged) and
 * NOT, AND and OR compose as plain boolean logic. Attribute comparisons on NULL columns are false, never NULL.
 */

const OPERATORS: Record<ComparisonOp, Prisma.Sql> = {
  '=': Prisma.raw('='),
  '!=': Prisma.raw('<>'),
  '<': Prisma.raw('<'),
  '<=': Prisma.raw('<='),
  '>': Prisma.raw('>'),
  '>=': Prisma.raw('>='),
  LIKE: Prisma.raw('LIKE'),
  ILIKE: Prisma.raw('ILIKE'),
  'NOT LIKE': Prisma.raw('NOT LIKE'),
  'NOT ILIKE': Prisma.raw('NOT ILIKE'),
};

const ORDERING = new Set<ComparisonOp>(['<', '<=', '>', '>=']);
const NAN = Prisma.raw(`'NaN'::float8`);

const ATTRIBUTE_COLUMNS = {
  status: Prisma.raw('r.status::text'),
  name: Prisma.raw('r.name'),
  created_at: Prisma.raw('r.created_at'),
  started_at: Prisma.raw('r.started_at'),
  ended_at: Prisma.raw('r.ended_at'),
  run_id: Prisma.raw('r.id'),
  experiment_id: Prisma.raw('r.experiment_id'),
} as const;

const KEYED_TABLES = {
  metric: Prisma.raw('latest_metrics'),
  param: Prisma.raw('run_params'),
  tag: Prisma.raw('run_tags'),
} as const;

function typedValue(field: FilterField, value: FilterValue): Prisma.Sql {
  switch (field.kind) {
    case 'metric':
      return float8(Number(value));
    case 'param':
    case 'tag':
      return Prisma.sql`${String(value)}::text`;
    case 'attribute':
      if (field.key === 'created_at' || field.key === 'started_at' || field.key === 'ended_at') return Prisma.sql`to_timestamp(${value}::float8 / 1000.0)`;
      if (field.key === 'run_id' || field.key === 'experiment_id') return Prisma.sql`${String(value)}::uuid`;
      return Prisma.sql`${String(value)}::text`;
  }
}

function predicate(field: FilterField, test: (column: Prisma.Sql) => Prisma.Sql): Prisma.Sql {
  if (field.kind === 'attribute') return Prisma.sql`COALESCE(${test(ATTRIBUTE_COLUMNS[field.key])}, false)`;
  return Prisma.sql`EXISTS (SELECT 1 FROM ${KEYED_TABLES[field.kind]} k WHERE k.run_id = r.id AND k.key = ${field.key} AND ${test(Prisma.raw('k.value'))})`;
}

export function compileRunFilter(node: RunFilterNode): Prisma.Sql {
  switch (node.type) {
    case 'and':
    case 'or':
      return Prisma.sql`(${Prisma.join(node.operands.map(compileRunFilter), node.type === 'and' ? ' AND ' : ' OR ')})`;
    case 'not':
      return Prisma.sql`(NOT ${compileRunFilter(node.operand)})`;
    case 'compare':
      if (node.field.kind === 'metric' && ORDERING.has(node.op)) {
        // IEEE, not Postgres: NaN is unordered (Postgres sorts it above +Infinity, so `> 0.5` would match it).
        if (Number.isNaN(node.value)) return Prisma.sql`false`;
        return predicate(node.field, (column) => Prisma.sql`(${column} ${OPERATORS[node.op]} ${typedValue(node.field, node.value)} AND ${column} <> ${NAN})`);
      }
      return predicate(node.field, (column) => Prisma.sql`${column} ${OPERATORS[node.op]} ${typedValue(node.field, node.value)}`);
    case 'in': {
      const list = Prisma.join(node.values.map((v) => typedValue(node.field, v)));
      return predicate(node.field, (column) => (node.negated ? Prisma.sql`${column} NOT IN (${list})` : Prisma.sql`${column} IN (${list})`));
    }
  }
}

/** What a search sorts on: the SQL expression, a join it needs, and how to bind a cursor value of it. */
export interface CompiledOrderBy {
  /**
   * `keyed`: a metric/param/tag, some runs lack it (`join` is the inner join to the key's rows, `missing` the
   * test for runs without it); `column`: a runs column, NULL only where `nullable`.
   */
  kind: 'keyed' | 'column';
  join: Prisma.Sql;
  missing: Prisma.Sql;
  nullable: boolean;
  expression: Prisma.Sql;
  direction: 'ASC' | 'DESC';
  /**
   * `number` for metrics (finite numbers, or "NaN"/"Infinity"/"-Infinity" in cursors), `string` for
   * params/tags/name/status, `time` (ISO string in cursors) for times.
   */
  valueType: 'number' | 'string' | 'time';
  /**
   * Metrics only: the test for NaN values, which sort after every number in both directions (before runs
   * missing the metric), where Postgres would put them above +Infinity.
   */
  nan: Prisma.Sql | null;
  bind(value: number | string): Prisma.Sql;
}

export function compileRunOrderBy(orderBy: RunOrderBy): CompiledOrderBy {
  const { field, direction } = orderBy;
  if (field.kind === 'attribute') {
    const isTime = field.key === 'created_at' || field.key === 'started_at' || field.key === 'ended_at';
    return {
      kind: 'column',
      join: Prisma.empty,
      missing: Prisma.sql`false`,
      nullable: field.key === 'started_at' || field.key === 'ended_at',
      expression: ATTRIBUTE_COLUMNS[field.key],
      direction,
      valueType: isTime ? 'time' : 'string',
      nan: null,
      bind: (value) => (isTime ? Prisma.sql`${String(value)}::timestamptz` : Prisma.sql`${String(value)}::text`),
    };
  }
  return {
    kind: 'keyed',
    join: Prisma.sql`JOIN ${KEYED_TABLES[field.kind]} sort_key ON sort_key.run_id = r.id AND sort_key.key = ${field.key}`,
    missing: Prisma.sql`NOT EXISTS (SELECT 1 FROM ${KEYED_TABLES[field.kind]} sort_key WHERE sort_key.run_id = r.id AND sort_key.key = ${field.key})`,
    nullable: false,
    expression: Prisma.raw('sort_key.value'),
    direction,
    valueType: field.kind === 'metric' ? 'number' : 'string',
    nan: field.kind === 'metric' ? Prisma.sql`sort_key.value = ${NAN}` : null,
    bind: (value) => (field.kind === 'metric' ? float8(Number(value)) : Prisma.sql`${String(value)}::text`),
  };
}
