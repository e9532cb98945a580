import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { expectNamed } from '@slipway/testing-matchers';
import { findWorkspaceRoot } from '@slipway/config';
import { API_TYPES_TS, canonicalOpenApiJson, OPENAPI_JSON, REGENERATE_HINT, renderApiTypes } from '../client-files';

const root = findWorkspaceRoot(__dirname);

describe('the generated client files', () => {
  // The API's side of the chain (its live document equals openapi.json) is apps/api/src/__tests__/client-openapi.http.spec.ts.
  it('api-types.ts is what openapi-typescript renders from the committed openapi.json', async () => {
    const json = readFileSync(join(root, OPENAPI_JSON), 'utf8');
    const committed = readFileSync(join(root, API_TYPES_TS), 'utf8');
    expectNamed(committed === (await renderApiTypes(json)), REGENERATE_HINT).toBe(true);
  });

  it('openapi.json is in canonical form (keys sorted), so regenerating only shows real changes', () => {
    const json = readFileSync(join(root, OPENAPI_JSON), 'utf8');
    expectNamed(json === canonicalOpenApiJson(JSON.parse(json)), REGENERATE_HINT).toBe(true);
  });

  it('canonical JSON sorts keys at every depth and keeps array order', () => {
    expect(canonicalOpenApiJson({ b: 1, a: { d: [3, { z: 1, y: 2 }], c: null } })).toBe(
      '{\n  "a": {\n    "c": null,\n    "d": [\n      3,\n      {\n        "y": 2,\n        "z": 1\n      }\n    ]\n  },\n  "b": 1\n}\n',
    );
  });

  it('types a self-containing schema (any JSON value) as unknown instead of a type that refers to itself', async () => {
    const document = {
      openapi: '3.0.0',
      info: { title: 't', version: '1' },
      paths: {},
      components: {
        schemas: {
          Json: { anyOf: [{ type: 'string' }, { type: 'array', items: { $ref: '#/components/schemas/Json' } }], nullable: true },
          Body: { type: 'object', properties: { limit: { type: 'integer', default: 100 }, meta: { $ref: '#/components/schemas/Json' } } },
        },
      },
    };
    const types = await renderApiTypes(JSON.stringify(document));
    expect(types).toMatch(/Json: unknown;/);
    // A field with a default stays optional for the caller.
    expect(types).toMatch(/limit\?: number;/);
  });
});
