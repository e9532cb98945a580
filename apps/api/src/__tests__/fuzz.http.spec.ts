/**
 * The hostile-input fuzzer over the real API with a fixed seed: every operation of the OpenAPI document the
 * API serves, mostly-valid requests with hostile fields (NUL, lone surrogates, 1e400, year 10000, 23-digit ids,
 * deep nesting, wrong types, wrong content types, odd paths and queries). No 5xx; every 4xx in the error shape;
 * every 400 names the field; a request that did not succeed leaves no row behind; every read route still answers.
 * A longer run with any seed: `SLIPWAY_FUZZ_SEED=… SLIPWAY_FUZZ_RUNS=… npm run bench -- fuzz`.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { useTestDatabase } from '@slipway/testing';
import { formatFailure, formatFuzzReport, runFuzz } from '@slipway/testing-fuzz';
import { startApiTestApp, type ApiTestApp } from './api-test-app';

// Fixed so `npm test` is reproducible (the environment may override it to explore the source tree without a build;
// the bench varies it against the server build). Sized to finish in about a minute on two busy cores.
const SEED = Number(process.env.SLIPWAY_FUZZ_SEED ?? 20261201);
const RUNS = Number(process.env.SLIPWAY_FUZZ_RUNS ?? 1200);

describe('hostile input fuzzer (OpenAPI-driven, fixed seed)', () => {
  const db = useTestDatabase();
  let api: ApiTestApp;

  beforeAll(async () => {
    api = await startApiTestApp(db.url);
  }, 120_000);

  afterAll(async () => {
    await api?.close();
  });

  it(
    'answers every generated request without a 5xx, in the error shape, naming the field, leaving nothing behind on failure',
    async () => {
      const report = await runFuzz({ baseUrl: api.baseUrl, token: api.tokens.admin, databaseUrl: db.url, seed: SEED, runs: RUNS });
      // The whole report (per-operation histogram, reproductions) only when something failed; otherwise the summary.
      const text = formatFuzzReport(report);
      console.log(report.failures.length ? text : text.split('\n').slice(0, 2).join('\n'));
      expect(report.requests).toBe(RUNS);
      // The row-count check sees the tables that matter (a counter over nothing would pass everything).
      expect(report.tablesCounted).toEqual(expect.arrayContaining(['public.runs', 'public.model_versions', 'public.audit_log']));
      // Every operation the document lists was reached, so a new route is fuzzed the day it appears.
      expect(report.operations.filter((op) => !report.perOperation[op])).toEqual([]);
      // Requests that got past validation and did something: the generator is not only producing 400s.
      expect(
        Object.entries(report.statuses)
          .filter(([status]) => status.startsWith('2'))
          .reduce((n, [, count]) => n + count, 0),
      ).toBeGreaterThan(RUNS / 10);
      // Creates that succeeded were retried with their Idempotency-Key (checked: same answer, no second row).
      expect(report.idempotentRetries).toBeGreaterThan(0);
      expect(report.failures.map((failure) => formatFailure(failure, report.seed))).toEqual([]);
    },
    Math.max(300_000, RUNS * 250),
  );
});
