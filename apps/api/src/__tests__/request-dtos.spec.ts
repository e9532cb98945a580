import 'reflect-metadata';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { findUnsafeFields } from '@slipway/contracts';
import type { z } from 'zod';

/**
 * Every DTO a controller binds (body, query, path params — read from the handlers' parameter types, so an inline
 * DTO in a controller is covered too) is built from the safe primitives: probed by behaviour, no field accepts
 * NUL, a lone surrogate, unbounded text, a coerced or out-of-range number or a year outside 0001..9999.
 */
function controllerFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === '__tests__' ? [] : controllerFiles(path);
    return entry.name.endsWith('.controller.ts') ? [path] : [];
  });
}

type ZodDtoClass = { name: string; schema: z.ZodType };
const isZodDto = (type: unknown): type is ZodDtoClass =>
  typeof type === 'function' && typeof (type as { schema?: { safeParse?: unknown } }).schema?.safeParse === 'function';

function boundDtos(): [string, z.ZodType][] {
  const found = new Map<string, z.ZodType>();
  for (const file of controllerFiles(join(__dirname, '..'))) {
    const module = require(file) as Record<string, unknown>;
    for (const exported of Object.values(module)) {
      if (typeof exported !== 'function' || Reflect.getMetadata('path', exported) === undefined) continue;
      const prototype = (exported as { prototype: object }).prototype;
      for (const method of Object.getOwnPropertyNames(prototype)) {
        const types = (Reflect.getMetadata('design:paramtypes', prototype, method) ?? []) as unknown[];
        for (const type of types.filter(isZodDto)) found.set(`${(exported as { name: string }).name}.${method}: ${type.name}`, type.schema);
      }
    }
  }
  return [...found.entries()];
}

const dtos = boundDtos();

describe('DTOs bound by the controllers are built from the safe primitives', () => {
  it('finds the bound DTOs', () => {
    expect(dtos.length).toBeGreaterThan(30);
  });

  it.each(dtos)('%s', (_name, schema) => {
    expect(findUnsafeFields(schema)).toEqual([]);
  });
});
