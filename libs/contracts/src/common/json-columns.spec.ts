import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { ErrorCode, SlipwayError } from '../errors/error-code';
import { parseJsonColumn, parseNullableJsonColumn } from './json-column';
import { JSON_COLUMN_SCHEMAS, readJsonColumn, readNullableJsonColumn, versionManifestSchema } from './json-columns';
import { boundedJson, safeString } from './primitives';

/** `table.column` of every Json field in prisma/schema.prisma, read from the schema itself. */
function jsonColumnsOfSchema(): string[] {
  const schema = readFileSync(join(__dirname, '..', '..', '..', '..', 'prisma', 'schema.prisma'), 'utf8');
  const columns: string[] = [];
  for (const [, body] of schema.matchAll(/^model \w+ \{\n([\s\S]*?)^\}/gm)) {
    const table = /@@map\("([^"]+)"\)/.exec(body)?.[1];
    for (const line of body.split('\n')) {
      const field = /^\s+(\w+)\s+Json\??(\s|$)/.exec(line);
      if (!field) continue;
      columns.push(`${table}.${/@map\("([^"]+)"\)/.exec(line)?.[1] ?? field[1]}`);
    }
  }
  return columns.sort();
}

function expectStoredRowError(action: () => unknown, message: string): void {
  let error: unknown;
  try {
    action();
  } catch (e) {
    error = e;
  }
  expect(error).toBeInstanceOf(SlipwayError);
  expect((error as SlipwayError).code).toBe(ErrorCode.INTERNAL);
  expect((error as SlipwayError).message).toBe(message);
}

describe('JSON column contracts', () => {
  it('cover exactly the Json columns of prisma/schema.prisma', () => {
    const columns = jsonColumnsOfSchema();
    expect(columns.length).toBeGreaterThanOrEqual(20);
    expect(Object.keys(JSON_COLUMN_SCHEMAS).sort()).toEqual(columns);
  });

  it('a stored value that does not parse is an INTERNAL SlipwayError naming table.column, the row and the zod issue', () => {
    expectStoredRowError(
      () => readJsonColumn('workers.backend_info', { backend: 'tpu', device: 'x' }, 'worker-1'),
      'Stored workers.backend_info (row worker-1) does not match its contract at backend: Invalid option: expected one of "node-gpu"|"webgpu"|"node"|"wasm"|"cpu"',
    );
    expectStoredRowError(
      () => readJsonColumn('model_versions.manifest', [{ path: '../x', sha256: 'a'.repeat(64), sizeBytes: 1 }]),
      'Stored model_versions.manifest does not match its contract at 0.path: empty, "." and ".." segments are not allowed',
    );
    expectStoredRowError(() => parseJsonColumn('t.c', safeString(10), 'a\u0000b'), 'Stored t.c does not match its contract: NUL characters are not allowed');
    expect(readNullableJsonColumn('deployment_revisions.rollout_plan', null)).toBeNull();
    expect(parseNullableJsonColumn('t.c', safeString(), undefined)).toBeNull();
  });

  it('accept what the platform writes and fill defaults', () => {
    expect(readJsonColumn('workers.backend_info', { backend: 'wasm', device: 'cpu (wasm simd)' })).toEqual({ backend: 'wasm', device: 'cpu (wasm simd)' });
    expect(readJsonColumn('workers.backend_info', {})).toEqual({});
    expect(readJsonColumn('model_versions.input_schema', { columns: [{ name: 'amount', type: 'number' }] })).toEqual({
      columns: [{ name: 'amount', type: 'number' }],
    });
    const manifest = [
      { path: 'model.json', sha256: 'a'.repeat(64), sizeBytes: 10 },
      { path: 'weights.bin', sha256: 'b'.repeat(64), sizeBytes: 4096 },
    ];
    expect(versionManifestSchema.parse(manifest)).toEqual(manifest);
    expect(readJsonColumn('training_jobs.evaluation_plan', { kind: 'kfold', folds: 5 })).toEqual({ kind: 'kfold', folds: 5, stratify: true });
    expect(
      readJsonColumn('tuning_studies.search_space', {
        maxDepth: { type: 'int', low: 2, high: 20 },
        criterion: { type: 'categorical', choices: ['gini', 'entropy'] },
      }),
    ).toEqual({
      maxDepth: { type: 'int', low: 2, high: 20, log: false },
      criterion: { type: 'categorical', choices: ['gini', 'entropy'] },
    });
    expect(readJsonColumn('tuning_studies.early_stopping', { rule: 'median' })).toEqual({ rule: 'median', warmupSteps: 0, minTrials: 5, intervalSteps: 1 });
    expect(
      readJsonColumn('deployment_revisions.rollout_plan', { steps: [10, 25, 50, 100], intervalSeconds: 300, gates: { maxErrorRate: 0.02 } }),
    ).toMatchObject({
      steps: [10, 25, 50, 100],
    });
    expect(readJsonColumn('tuning_trials.intermediate_values', [])).toEqual([]);
    expect(readJsonColumn('audit_log.after', { name: 'fraud', tags: { team: 'risk' } })).toEqual({ name: 'fraud', tags: { team: 'risk' } });
    expect(readJsonColumn('training_jobs.hyperparameters', { k: 3 })).toMatchObject({ k: 3 });
  });

  it('refuse out-of-bounds and inconsistent values', () => {
    const issue = (column: keyof typeof JSON_COLUMN_SCHEMAS, value: unknown) => JSON_COLUMN_SCHEMAS[column].safeParse(value).error?.issues[0].message;
    expect(issue('deployment_revisions.rollout_plan', { steps: [50, 25], intervalSeconds: 60 })).toBe('steps must increase');
    expect(issue('deployment_revisions.rollout_plan', { steps: [10, 101], intervalSeconds: 60 })).toMatch(/<=100/);
    expect(issue('tuning_studies.search_space', { lr: { type: 'float', low: 1, high: 0.1 } })).toBe('low must be ≤ high');
    expect(issue('tuning_studies.search_space', { lr: { type: 'float', low: 0, high: 1, log: true } })).toBe('a log scale needs low > 0');
    expect(issue('tuning_studies.search_space', {})).toBe('needs at least one dimension');
    expect(
      issue('tuning_trials.intermediate_values', [
        { step: 2, value: 1 },
        { step: 1, value: 2 },
      ]),
    ).toBe('steps must increase');
    expect(issue('tuning_studies.objective', { metric: 'f1', direction: 'up' })).toMatch(/maximize/);
    expect(
      issue('datasets.columns', [
        { name: 'a', type: 'number' },
        { name: 'a', type: 'string' },
      ]),
    ).toBe('column names must be unique');
    expect(
      issue('datasets.profile', { rowCount: 3, columns: [{ name: 'a', type: 'number', count: 3, missing: 0, histogram: { edges: [0, 1, 2], counts: [3] } }] }),
    ).toBe('needs one count per bin (edges − 1)');
    expect(
      issue('model_versions.manifest', [
        { path: 'b', sha256: 'a'.repeat(64), sizeBytes: 1 },
        { path: 'a', sha256: 'a'.repeat(64), sizeBytes: 1 },
      ]),
    ).toBe('files must be sorted by path, without duplicates');
    expect(issue('workers.backend_info', { backend: 'wasm', gpu: true })).toMatch(/Unrecognized key/);
    expect(issue('deployment_events.data', { note: 'a\u0000' })).toBe('NUL characters are not allowed');
  });

  it('bounded JSON refuses what Postgres jsonb or JSON cannot hold and what is too deep or too large', () => {
    const schema = boundedJson({ maxDepth: 2, maxStringLength: 5, maxEntries: 2 });
    const issue = (value: unknown) => schema.safeParse(value).error?.issues[0].message;
    expect(schema.parse({ a: [1, 'x'] })).toEqual({ a: [1, 'x'] });
    expect(issue({ a: { b: { c: 1 } } })).toMatch(/deeper than 2/);
    expect(issue('toolong')).toMatch(/at most 5 characters/);
    expect(issue([1, 2, 3])).toMatch(/at most 2 items/);
    expect(issue({ 'a\u0000': 1 })).toBe('NUL characters are not allowed');
    expect(schema.safeParse(Number.NaN).success).toBe(false);
  });
});
