/**
 * What `npm run generate:client` writes into libs/client/src/generated, from the API's OpenAPI document:
 * the document itself (canonical JSON) and its TypeScript types (openapi-typescript). One function each, so
 * the generator and the up-to-date tests produce byte-identical text.
 */
import { join } from 'node:path';
import openapiTS, { astToString, UNKNOWN } from 'openapi-typescript';

export const GENERATED_DIR = join('libs', 'client', 'src', 'generated');
export const OPENAPI_JSON = join(GENERATED_DIR, 'openapi.json');
export const API_TYPES_TS = join(GENERATED_DIR, 'api-types.ts');
export const REGENERATE_HINT = 'the generated client is out of date with the API: run npm run generate:client';

/** Keys sorted at every level, two-space indent, final newline: a diff shows only real changes. */
export function canonicalOpenApiJson(document: unknown): string {
  const sort = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(sort);
    if (value && typeof value === 'object') {
      return Object.fromEntries(
        Object.keys(value)
          .sort()
          .map((key) => [key, sort((value as Record<string, unknown>)[key])]),
      );
    }
    return value;
  };
  return `${JSON.stringify(sort(document), null, 2)}\n`;
}

const HEADER = [
  '/* eslint-disable */',
  "// Generated from the API's OpenAPI document (openapi.json beside this file) by tools/openapi/generate-client.ts.",
  '// Do not edit: run `npm run generate:client`.',
  '',
].join('\n');

export async function renderApiTypes(openApiJson: string): Promise<string> {
  const ast = await openapiTS(JSON.parse(openApiJson) as Parameters<typeof openapiTS>[0], {
    alphabetize: true,
    // A request field with a default is optional to the caller (the API fills it in), not required.
    defaultNonNullable: false,
    // A schema that contains itself (z.json(): any JSON value) would be a type alias referring to itself,
    // which TypeScript refuses in an interface; it is typed as what it is, unknown JSON.
    transform(schema, { path }) {
      const name = path?.match(/^#\/components\/schemas\/([^/]+)$/)?.[1];
      if (name && JSON.stringify(schema).includes(`"#/components/schemas/${name}"`)) return UNKNOWN;
      return undefined;
    },
  });
  return `${HEADER}\n${astToString(ast)}`;
}
