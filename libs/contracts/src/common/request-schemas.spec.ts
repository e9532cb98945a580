import { describe, expect, it } from '@jest/globals';
import type { z } from 'zod';
import * as contracts from '../index';
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
