/**
 * The slice of OpenAPI 3 the fuzzer reads: operations, their parameters and JSON bodies, and the JSON-schema
 * keywords nestjs-zod emits. Resolution is done once so generators never meet a `$ref`.
 */
export interface JsonSchema {
  $ref?: string;
  type?: string | string[];
  allOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  anyOf?: JsonSchema[];
  nullable?: boolean;
  enum?: unknown[];
  const?: unknown;
  format?: string;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number | boolean;
  exclusiveMaximum?: number | boolean;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  items?: JsonSchema;
  minItems?: number;
  maxItems?: number;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: boolean | JsonSchema;
  default?: unknown;
}

export interface OpenApiParameter {
  in: 'path' | 'query' | 'header' | 'cookie';
  name: string;
  required?: boolean;
  schema?: JsonSchema;
}

export interface OpenApiDocument {
  paths: Record<
    string,
    Record<
      string,
      { operationId?: string; parameters?: OpenApiParameter[]; requestBody?: { required?: boolean; content: Record<string, { schema?: JsonSchema }> } }
    >
  >;
  components?: { schemas?: Record<string, JsonSchema> };
}

export interface Operation {
  /** `POST /api/v1/runs/{id}/end` */
  id: string;
  method: string;
  path: string;
  pathParams: OpenApiParameter[];
  queryParams: OpenApiParameter[];
  headerParams: OpenApiParameter[];
  /** The JSON body schema, resolved one level (nested `$ref`s are resolved lazily by `resolve`). */
  jsonBody?: JsonSchema;
  bodyRequired: boolean;
  /** application/octet-stream uploads. */
  binaryBody: boolean;
}

const METHODS = ['get', 'put', 'post', 'patch', 'delete'];

export class SchemaResolver {
  constructor(private readonly document: OpenApiDocument) {}

  /** Follows `$ref`s and folds `allOf` into one object schema. */
  resolve(schema: JsonSchema | undefined): JsonSchema {
    let current = schema ?? {};
    for (let hops = 0; current.$ref && hops < 32; hops++) {
      const name = current.$ref.replace('#/components/schemas/', '');
      const target = this.document.components?.schemas?.[name];
      if (!target) throw new Error(`OpenAPI: unresolved $ref ${current.$ref}`);
      current = target;
    }
    if (current.allOf?.length) {
      const parts = current.allOf.map((part) => this.resolve(part));
      const properties: Record<string, JsonSchema> = {};
      const required: string[] = [];
      const merged: JsonSchema = { ...current, allOf: undefined, type: 'object', properties, required };
      for (const part of parts) {
        Object.assign(properties, part.properties ?? {});
        required.push(...(part.required ?? []));
        if (part.additionalProperties !== undefined) merged.additionalProperties = part.additionalProperties;
        if (!part.properties && part.type && part.type !== 'object') return { ...part, nullable: current.nullable ?? part.nullable };
      }
      return merged;
    }
    return current;
  }
}

export function operationsOf(document: OpenApiDocument): Operation[] {
  const resolver = new SchemaResolver(document);
  const operations: Operation[] = [];
  for (const [path, item] of Object.entries(document.paths)) {
    for (const method of METHODS) {
      const op = item[method];
      if (!op) continue;
      const parameters = op.parameters ?? [];
      const content = op.requestBody?.content ?? {};
      operations.push({
        id: `${method.toUpperCase()} ${path}`,
        method: method.toUpperCase(),
        path,
        pathParams: parameters.filter((p) => p.in === 'path'),
        queryParams: parameters.filter((p) => p.in === 'query'),
        headerParams: parameters.filter((p) => p.in === 'header'),
        jsonBody: content['application/json'] ? resolver.resolve(content['application/json'].schema) : undefined,
        bodyRequired: op.requestBody?.required ?? false,
        binaryBody: !!content['application/octet-stream'],
      });
    }
  }
  return operations;
}

export function typesOf(schema: JsonSchema): string[] {
  if (Array.isArray(schema.type)) return schema.type;
  if (schema.type) return [schema.type];
  if (schema.properties || schema.additionalProperties !== undefined) return ['object'];
  if (schema.items) return ['array'];
  return [];
}
