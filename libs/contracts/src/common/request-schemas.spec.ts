import { describe, expect, it } from '@jest/globals';
import type { z } from 'zod';
import * as contracts from '../index';
import * as datasets from '../datasets';
import * as deployments from '../deployments';
import * as jobs from '../jobs';
import * as training from '../training';
import * as tuning from '../tuning';
import * as workers from '../workers';
import { findUnsafeFields } from './schema-probe';

/**
 * Every request schema the contracts export (`*RequestSchema`, `*QuerySchema`, `*ParamsSchema`) is built from
 * the safe primitives: probed by behaviour, no field accepts NUL, a lone surrogate, unbounded text, a
 * coerced or out-of-range number or a year outside 0001..9999. The API's DTO spec does the same for what it binds.
 */
const requestSchemas = Object.entries(contracts).filter(
  ([name, value]) => /(Request|Query|Params)Schema$/.test(name) && typeof value === 'object' && value !== null && '_zod' in value,
) as [string, z.ZodType][];

describe('request schemas are built from the safe primitives', () => {
  it('finds the request schemas', () => {
    expect(requestSchemas.length).toBeGreaterThan(20);
  });

  it.each(requestSchemas)('%s', (_name, schema) => {
    expect(findUnsafeFields(schema)).toEqual([]);
  });
});

describe('JSON-column contracts are built from the safe primitives', () => {
  it.each(Object.entries(contracts.JSON_COLUMN_SCHEMAS) as [string, z.ZodType][])('%s', (_column, schema) => {
    expect(findUnsafeFields(schema)).toEqual([]);
  });
});

/** The coming domains' contracts (training and tuning specs, rollouts, job messages, datasets) will be request bodies: the same rules already. */
const comingDomains = { training, tuning, deployments, jobs, datasets, workers };
/**
 * Views the API only answers with (never parsed from a client), like the registry's: what they hold was checked
 * on the way in, and their JSON columns (progress, evaluation, result, attempts) are probed above.
 */
const RESPONSE_VIEWS = new Set([
  'training.trainingJobSchema',
  'training.trainingJobListSchema',
  'training.trainingAlgorithmInfoSchema',
  'training.trainingAlgorithmListSchema',
  'deployments.deploymentRevisionSchema',
  'deployments.deploymentSchema',
  'deployments.deploymentListSchema',
  'deployments.deploymentRevisionListSchema',
  'deployments.deploymentEventSchema',
  'deployments.deploymentEventListSchema',
  'deployments.deploymentConflictSchema',
  'deployments.predictResponseSchema',
  'deployments.v2InferResponseSchema',
  'deployments.v2ModelMetadataSchema',
  'deployments.deploymentMetricsSchema',
  'deployments.featureDriftSchema',
  'deployments.versionMetricsSchema',
  'tuning.tuningTrialSchema',
  'tuning.tuningStudySchema',
  'tuning.tuningStudyDetailSchema',
  'tuning.tuningStudyListSchema',
  'tuning.parameterImportanceSchema',
]);
const domainSchemas = Object.entries(comingDomains).flatMap(([domain, exports]) =>
  Object.entries(exports)
    .filter(([name, value]) => name.endsWith('Schema') && typeof value === 'object' && value !== null && '_zod' in value)
    .filter(([name]) => !RESPONSE_VIEWS.has(`${domain}.${name}`))
    .map(([name, value]) => [`${domain}.${name}`, value] as [string, z.ZodType]),
);

describe("the coming domains' contracts are built from the safe primitives", () => {
  it('finds them', () => {
    expect(domainSchemas.length).toBeGreaterThan(25);
  });

  it.each(domainSchemas)('%s', (_name, schema) => {
    expect(findUnsafeFields(schema)).toEqual([]);
  });
});
