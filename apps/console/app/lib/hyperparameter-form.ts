/**
 * The "New training job" form's hyper-parameter fields, generated from the JSON Schema the API serves for each
 * algorithm (GET /api/v1/training-jobs/algorithms, input side: defaults and bounds). Pure data in and out, so the
 * same code renders the form, checks it as the user types and builds the request body, and a unit test can feed
 * it the contracts' own schemas.
 *
 * The form keeps a draft per field (number inputs as the text typed, so "0." or "1e-" can be on their way to a
 * number) and reads the draft back into JSON with problems named by dotted path (`hyperparameters.maxDepth`),
 * the same path the API names in its 400 field errors once `body.` is taken off.
 */

export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

export interface NumberSpec {
  kind: 'number';
  integer: boolean;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
}

export type FieldSpec =
  | NumberSpec
  | { kind: 'enum'; options: string[] }
  | { kind: 'string'; minLength?: number; maxLength?: number }
  | { kind: 'boolean' }
  /** One fixed value (null, or one enum value of a union): a choice's option with nothing to type. */
  | { kind: 'const'; value: JsonValue }
  | { kind: 'choice'; variants: ChoiceVariant[] }
  | { kind: 'object'; fields: ObjectField[] }
  | { kind: 'array'; item: FieldSpec; minItems?: number; maxItems?: number; itemDefault: JsonValue | undefined }
  | { kind: 'tuple'; items: FieldSpec[] }
  /** Anything this reader does not know how to lay out: edited as JSON text, checked by the API. */
  | { kind: 'json' };

export interface ChoiceVariant {
  label: string;
  spec: FieldSpec;
}

export interface ObjectField {
  name: string;
  spec: FieldSpec;
  required: boolean;
  default?: JsonValue;
  description?: string;
}

export type Draft =
  | { kind: 'text'; text: string }
  | { kind: 'bool'; value: boolean }
  | { kind: 'choice'; variant: number; inner: Draft }
  | { kind: 'object'; fields: Record<string, Draft> }
  | { kind: 'list'; items: Draft[] }
  | { kind: 'none' };

export interface FieldProblem {
  /** Dotted path, e.g. `hyperparameters.hiddenLayers.0.units`. */
  field: string;
  message: string;
}

type Schema = Record<string, unknown>;

const isSchema = (value: unknown): value is Schema => typeof value === 'object' && value !== null && !Array.isArray(value);
const numberOrUndefined = (value: unknown): number | undefined => (typeof value === 'number' && Number.isFinite(value) ? value : undefined);

function isNullSchema(schema: Schema): boolean {
  return schema['type'] === 'null' || (Array.isArray(schema['enum']) && schema['enum'].length === 1 && schema['enum'][0] === null);
}

/** The variants of a schema's anyOf/oneOf (nested unions flattened; enum variants split into one option per value). */
function unionVariants(options: unknown[]): ChoiceVariant[] {
  const variants: ChoiceVariant[] = [];
  for (const option of options) {
    if (!isSchema(option)) {
      variants.push({ label: 'JSON', spec: { kind: 'json' } });
      continue;
    }
    const nested = option['anyOf'] ?? option['oneOf'];
    if (Array.isArray(nested)) {
      variants.push(...unionVariants(nested));
      continue;
    }
    if (isNullSchema(option)) {
      variants.push({ label: 'none', spec: { kind: 'const', value: null } });
      continue;
    }
    const spec = fieldSpecOf(option);
    if (spec.kind === 'enum') for (const value of spec.options) variants.push({ label: value, spec: { kind: 'const', value } });
    else variants.push({ label: variantLabel(spec), spec });
  }
  return variants;
}

/** "integer 1–1000", "number > 0 and < 1", "settings": what an option of a choice lets the user type. */
export function variantLabel(spec: FieldSpec): string {
  switch (spec.kind) {
    case 'number':
      return `${spec.integer ? 'integer' : 'number'} ${boundsText(spec)}`.trim();
    case 'object':
      return 'settings';
    case 'array':
    case 'tuple':
      return 'list';
    case 'boolean':
      return 'yes / no';
    case 'string':
      return 'text';
    case 'const':
      return spec.value === null ? 'none' : String(spec.value);
    default:
      return 'JSON';
  }
}

/** The bounds of a number field in words: "1–1000", "> 0 and ≤ 10", "≥ 0". */
export function boundsText(spec: NumberSpec): string {
  const low = spec.exclusiveMinimum !== undefined ? `> ${spec.exclusiveMinimum}` : spec.minimum !== undefined ? `≥ ${spec.minimum}` : undefined;
  const high = spec.exclusiveMaximum !== undefined ? `< ${spec.exclusiveMaximum}` : spec.maximum !== undefined ? `≤ ${spec.maximum}` : undefined;
  if (spec.minimum !== undefined && spec.maximum !== undefined && spec.exclusiveMinimum === undefined && spec.exclusiveMaximum === undefined) {
    return `${spec.minimum}–${spec.maximum}`;
  }
  return [low, high].filter((part) => part !== undefined).join(' and ');
}

/** Reads one JSON Schema node (draft 2020-12 as zod writes it; draft-07 tuples and OpenAPI `nullable` too). */
export function fieldSpecOf(schema: unknown): FieldSpec {
  if (!isSchema(schema)) return { kind: 'json' };
  const union = schema['anyOf'] ?? schema['oneOf'];
  if (Array.isArray(union)) return { kind: 'choice', variants: unionVariants(union) };
  let type = schema['type'];
  // ["integer", "null"] and OpenAPI 3.0's nullable: a choice between the value and none.
  if (Array.isArray(type)) {
    const others = type.filter((t) => t !== 'null');
    if (others.length === 1 && type.includes('null')) return nullable(fieldSpecOf({ ...schema, type: others[0] }));
    return { kind: 'json' };
  }
  if (schema['nullable'] === true) return nullable(fieldSpecOf({ ...schema, nullable: undefined }));
  if (Array.isArray(schema['enum'])) {
    const options = schema['enum'];
    if (options.every((o): o is string => typeof o === 'string')) return { kind: 'enum', options };
    return { kind: 'json' };
  }
  if (type === undefined && isSchema(schema['properties'])) type = 'object';
  switch (type) {
    case 'integer':
    case 'number': {
      // Draft-04 writes exclusive bounds as booleans beside minimum/maximum.
      const minimum = numberOrUndefined(schema['minimum']);
      const maximum = numberOrUndefined(schema['maximum']);
      const exclusiveMinimum = schema['exclusiveMinimum'] === true ? minimum : numberOrUndefined(schema['exclusiveMinimum']);
      const exclusiveMaximum = schema['exclusiveMaximum'] === true ? maximum : numberOrUndefined(schema['exclusiveMaximum']);
      const spec: NumberSpec = { kind: 'number', integer: type === 'integer' };
      if (exclusiveMinimum !== undefined) spec.exclusiveMinimum = exclusiveMinimum;
      else if (minimum !== undefined) spec.minimum = minimum;
      if (exclusiveMaximum !== undefined) spec.exclusiveMaximum = exclusiveMaximum;
      else if (maximum !== undefined) spec.maximum = maximum;
      return spec;
    }
    case 'boolean':
      return { kind: 'boolean' };
    case 'string':
      return { kind: 'string', minLength: numberOrUndefined(schema['minLength']), maxLength: numberOrUndefined(schema['maxLength']) };
    case 'object':
      return objectSpecOf(schema);
    case 'array': {
      const tuple = Array.isArray(schema['prefixItems']) ? schema['prefixItems'] : Array.isArray(schema['items']) ? schema['items'] : undefined;
      if (tuple) return { kind: 'tuple', items: tuple.map(fieldSpecOf) };
      const item = fieldSpecOf(schema['items']);
      return {
        kind: 'array',
        item,
        minItems: numberOrUndefined(schema['minItems']),
        maxItems: numberOrUndefined(schema['maxItems']),
        itemDefault: isSchema(schema['items']) ? defaultOf(item, schema['items']) : undefined,
      };
    }
    default:
      return { kind: 'json' };
  }
}

function nullable(spec: FieldSpec): FieldSpec {
  const none: ChoiceVariant = { label: 'none', spec: { kind: 'const', value: null } };
  if (spec.kind === 'choice') return { kind: 'choice', variants: [...spec.variants, none] };
  if (spec.kind === 'enum')
    return { kind: 'choice', variants: [...spec.options.map((value) => ({ label: value, spec: { kind: 'const' as const, value } })), none] };
  return { kind: 'choice', variants: [{ label: variantLabel(spec), spec }, none] };
}

function objectSpecOf(schema: Schema): FieldSpec {
  const properties = isSchema(schema['properties']) ? schema['properties'] : {};
  const required = new Set(Array.isArray(schema['required']) ? schema['required'].filter((r): r is string => typeof r === 'string') : []);
  return {
    kind: 'object',
    fields: Object.entries(properties).map(([name, property]) => {
      const spec = fieldSpecOf(property);
      const field: ObjectField = { name, spec, required: required.has(name) };
      if (isSchema(property)) {
        if ('default' in property) field.default = property['default'] as JsonValue;
        if (typeof property['description'] === 'string') field.description = property['description'];
      }
      return field;
    }),
  };
}

/** The value a new item starts with (a new hidden layer): its schema's default, else its fields' defaults. */
function defaultOf(spec: FieldSpec, schema: Schema): JsonValue | undefined {
  if ('default' in schema) return schema['default'] as JsonValue;
  if (spec.kind !== 'object') return undefined;
  const value: Record<string, JsonValue> = {};
  for (const field of spec.fields) if (field.default !== undefined) value[field.name] = field.default;
  return value;
}

// ── drafts ──────────────────────────────────────────────────────────────────

/** The draft a field starts from: the value given (the algorithm's default), else empty. */
export function draftOf(spec: FieldSpec, value: JsonValue | undefined): Draft {
  switch (spec.kind) {
    case 'number':
      return { kind: 'text', text: typeof value === 'number' ? String(value) : '' };
    case 'enum':
      return { kind: 'text', text: typeof value === 'string' && spec.options.includes(value) ? value : (spec.options[0] ?? '') };
    case 'string':
      return { kind: 'text', text: typeof value === 'string' ? value : '' };
    case 'boolean':
      return { kind: 'bool', value: value === true };
    case 'const':
      return { kind: 'none' };
    case 'json':
      return { kind: 'text', text: value === undefined ? '' : JSON.stringify(value) };
    case 'choice': {
      const variant =
        value === undefined
          ? 0
          : Math.max(
              0,
              spec.variants.findIndex((v) => accepts(v.spec, value)),
            );
      const chosen = spec.variants[variant];
      return { kind: 'choice', variant, inner: chosen ? draftOf(chosen.spec, value === undefined ? undefined : value) : { kind: 'none' } };
    }
    case 'object': {
      const source = isPlainObject(value) ? value : {};
      return { kind: 'object', fields: Object.fromEntries(spec.fields.map((f) => [f.name, draftOf(f.spec, source[f.name] ?? f.default)])) };
    }
    case 'array':
      return { kind: 'list', items: (Array.isArray(value) ? value : []).map((item) => draftOf(spec.item, item)) };
    case 'tuple': {
      const source = Array.isArray(value) ? value : [];
      return { kind: 'list', items: spec.items.map((item, index) => draftOf(item, source[index])) };
    }
  }
}

/** A choice switched to another option: that option's default-less draft (a number to type, the settings' defaults). */
export function draftForVariant(spec: FieldSpec): Draft {
  return draftOf(spec, undefined);
}

const isPlainObject = (value: unknown): value is Record<string, JsonValue> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** Whether a value fits a spec, to pick the option of a choice that an existing value belongs to. */
function accepts(spec: FieldSpec, value: JsonValue): boolean {
  switch (spec.kind) {
    case 'number':
      return typeof value === 'number' && numberProblem(spec, value) === undefined;
    case 'enum':
      return typeof value === 'string' && spec.options.includes(value);
    case 'string':
      return typeof value === 'string';
    case 'boolean':
      return typeof value === 'boolean';
    case 'const':
      return value === spec.value;
    case 'object':
      return isPlainObject(value);
    case 'array':
    case 'tuple':
      return Array.isArray(value);
    case 'choice':
      return spec.variants.some((v) => accepts(v.spec, value));
    case 'json':
      return true;
  }
}

/** Why a number is out of the spec's bounds, in the words the form shows; undefined when it fits. */
export function numberProblem(spec: NumberSpec, value: number): string | undefined {
  if (!Number.isFinite(value)) return 'must be a finite number';
  if (spec.integer && !Number.isInteger(value)) return 'must be a whole number';
  if (spec.minimum !== undefined && value < spec.minimum) return `must be at least ${spec.minimum}`;
  if (spec.exclusiveMinimum !== undefined && value <= spec.exclusiveMinimum) return `must be greater than ${spec.exclusiveMinimum}`;
  if (spec.maximum !== undefined && value > spec.maximum) return `must be at most ${spec.maximum}`;
  if (spec.exclusiveMaximum !== undefined && value >= spec.exclusiveMaximum) return `must be less than ${spec.exclusiveMaximum}`;
  return undefined;
}

/** A number as typed: plain decimal or exponent notation, nothing Number() would also take (hex, "Infinity", blanks). */
const NUMBER_TEXT = /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/;

export interface ReadResult {
  /** The value to send; undefined when the field is left empty and may be (the API applies its default). */
  value: JsonValue | undefined;
  problems: FieldProblem[];
}

/** Reads a draft back into JSON, with every problem named by its dotted path. */
export function readDraft(spec: FieldSpec, draft: Draft, path: string, required = false): ReadResult {
  const problem = (message: string): ReadResult => ({ value: undefined, problems: [{ field: path, message }] });
  switch (spec.kind) {
    case 'number': {
      const text = draft.kind === 'text' ? draft.text.trim() : '';
      if (text === '') return required ? problem('is required') : { value: undefined, problems: [] };
      if (!NUMBER_TEXT.test(text)) return problem(spec.integer ? 'must be a whole number' : 'must be a number');
      const value = Number(text);
      const why = numberProblem(spec, value);
      return why ? problem(why) : { value, problems: [] };
    }
    case 'enum': {
      const text = draft.kind === 'text' ? draft.text : '';
      if (!spec.options.includes(text)) return problem(`must be one of ${spec.options.join(', ')}`);
      return { value: text, problems: [] };
    }
    case 'string': {
      const text = draft.kind === 'text' ? draft.text : '';
      if (text === '' && !required) return { value: undefined, problems: [] };
      if (spec.minLength !== undefined && text.length < spec.minLength) return problem(`must have at least ${spec.minLength} characters`);
      if (spec.maxLength !== undefined && text.length > spec.maxLength) return problem(`must have at most ${spec.maxLength} characters`);
      return { value: text, problems: [] };
    }
    case 'boolean':
      return { value: draft.kind === 'bool' && draft.value, problems: [] };
    case 'const':
      return { value: spec.value, problems: [] };
    case 'json': {
      const text = draft.kind === 'text' ? draft.text.trim() : '';
      if (text === '') return required ? problem('is required') : { value: undefined, problems: [] };
      try {
        return { value: JSON.parse(text) as JsonValue, problems: [] };
      } catch {
        return problem('must be JSON');
      }
    }
    case 'choice': {
      if (draft.kind !== 'choice') return problem('choose an option');
      const chosen = spec.variants[draft.variant];
      if (!chosen) return problem('choose an option');
      // Choosing a numeric option and leaving it empty is a mistake, not "use the default".
      return readDraft(chosen.spec, draft.inner, path, true);
    }
    case 'object': {
      const fields = draft.kind === 'object' ? draft.fields : {};
      const value: Record<string, JsonValue> = {};
      const problems: FieldProblem[] = [];
      for (const field of spec.fields) {
        const read = readDraft(field.spec, fields[field.name] ?? draftOf(field.spec, field.default), joinPath(path, field.name), field.required);
        problems.push(...read.problems);
        if (read.value !== undefined) value[field.name] = read.value;
      }
      return { value, problems };
    }
    case 'array':
    case 'tuple': {
      const items = draft.kind === 'list' ? draft.items : [];
      const problems: FieldProblem[] = [];
      if (spec.kind === 'array') {
        if (spec.maxItems !== undefined && items.length > spec.maxItems) problems.push({ field: path, message: `at most ${spec.maxItems} items` });
        if (spec.minItems !== undefined && items.length < spec.minItems) problems.push({ field: path, message: `at least ${spec.minItems} items` });
      }
      const value: JsonValue[] = [];
      items.forEach((item, index) => {
        const itemSpec = spec.kind === 'array' ? spec.item : spec.items[index];
        if (!itemSpec) return;
        const read = readDraft(itemSpec, item, joinPath(path, String(index)), true);
        problems.push(...read.problems);
        if (read.value !== undefined) value.push(read.value);
      });
      return { value, problems };
    }
  }
}

export function joinPath(path: string, key: string): string {
  return path === '' ? key : `${path}.${key}`;
}

/** `maxDepth` → "Max depth", `l2` → "L2": labels from the schema's property names. */
export function fieldLabel(name: string): string {
  const words = name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/[_-]+/g, ' ')
    .trim()
    .toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** Field errors of an API 400 (`body.hyperparameters.maxDepth`) as form paths (`hyperparameters.maxDepth`). */
export function formPathOfApiField(field: string): string {
  return field.replace(/^body\.?/, '');
}

/** The first problem of each path: what a field shows beside itself (the form's summary lists them all). */
export function problemsByField(problems: readonly FieldProblem[]): Map<string, string> {
  const map = new Map<string, string>();
  for (const p of problems) if (!map.has(p.field)) map.set(p.field, p.message);
  return map;
}
