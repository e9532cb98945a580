import type { ChoiceValue } from '@slipway/contracts';
import { fieldSpecOf, numberProblem, type FieldProblem, type FieldSpec, type NumberSpec } from '../hyperparameter-form';

// The search-space editor's rows as the user types them (text fields, tags) and their reading back into the
// contract's `searchSpace` object, every problem named by the request path the API would name
// (`searchSpace.maxDepth.high`), so client-side and server-side refusals land on the same field.

export type DimensionType = 'int' | 'float' | 'categorical';

export interface DimensionDraft {
  /** Stable React key: the name can be edited. */
  key: string;
  name: string;
  type: DimensionType;
  low: string;
  high: string;
  log: boolean;
  step: string;
  /** Categorical choices as typed (tags); read back as numbers, booleans or null where they look like one. */
  choices: string[];
  /** The categorical parameter this one depends on ('' for none), and the values of it that activate this one. */
  whenParam: string;
  whenIn: string[];
}

/** A hyper-parameter of the chosen algorithm that a study can search over, with what the schema allows. */
export interface TunableParam {
  name: string;
  /** The bounds of the numeric option, when it has one (also of `integer | null`). */
  number?: NumberSpec;
  /** Fixed choices the schema lists (an enum, a boolean, the constant options of a union, `null` of a nullable). */
  choices: ChoiceValue[];
  /** Whether the choices are all the parameter can take (an enum or a boolean): then a typed tag stays text. */
  closed: boolean;
  default?: unknown;
  description?: string;
}

function choicesOf(spec: FieldSpec): { number?: NumberSpec; choices: ChoiceValue[]; closed: boolean } | undefined {
  switch (spec.kind) {
    case 'number':
      return { number: spec, choices: [], closed: false };
    case 'enum':
      return { choices: [...spec.options], closed: true };
    case 'boolean':
      return { choices: [true, false], closed: true };
    case 'choice': {
      let number: NumberSpec | undefined;
      const choices: ChoiceValue[] = [];
      let open = false;
      for (const variant of spec.variants) {
        const inner = variant.spec;
        if (inner.kind === 'const' && (inner.value === null || ['string', 'number', 'boolean'].includes(typeof inner.value)))
          choices.push(inner.value as ChoiceValue);
        else if (inner.kind === 'enum') choices.push(...inner.options);
        else if (inner.kind === 'number') {
          // The first numeric option is the range a study searches; a union of an integer count and a fraction offers the count.
          number ??= inner;
          open = true;
        } else return undefined;
      }
      return { number, choices, closed: !open };
    }
    default:
      return undefined;
  }
}

/** The algorithm's top-level hyper-parameters a search can vary: numbers, enums, booleans and unions of those; lists and settings objects are not. */
export function tunableParams(hyperparameterSchema: Record<string, unknown>, defaults: Record<string, unknown>): TunableParam[] {
  const spec = fieldSpecOf(hyperparameterSchema);
  if (spec.kind !== 'object') return [];
  const params: TunableParam[] = [];
  for (const field of spec.fields) {
    const read = choicesOf(field.spec);
    if (!read) continue;
    params.push({ name: field.name, ...read, default: defaults[field.name] ?? field.default, description: field.description });
  }
  return params;
}

let keys = 0;
const nextKey = () => `dim-${++keys}`;

/** A number as a short text for a field. */
const text = (n: number) => String(Number(n.toPrecision(6)));

/**
 * The row a newly added parameter starts as: a range inside the schema's bounds around its default (a log range
 * for a positive float), or every choice the schema lists.
 */
export function draftForParam(param: TunableParam | undefined, name: string): DimensionDraft {
  const base: DimensionDraft = { key: nextKey(), name, type: 'float', low: '', high: '', log: false, step: '', choices: [], whenParam: '', whenIn: [] };
  if (!param) return base;
  const spec = param.number;
  if (spec === undefined || (param.closed && param.choices.length > 0)) return { ...base, type: 'categorical', choices: param.choices.map(choiceText) };
  const min = spec.minimum ?? spec.exclusiveMinimum;
  const max = spec.maximum ?? spec.exclusiveMaximum;
  const fallback = typeof param.default === 'number' ? param.default : undefined;
  if (spec.integer) {
    const low = spec.minimum ?? (spec.exclusiveMinimum !== undefined ? spec.exclusiveMinimum + 1 : Math.min(1, fallback ?? 1));
    // A huge allowed range (1..1e6 samples) is no useful first guess: start with a short one above the low end.
    const wide = Math.max(low + 1, Math.min(max ?? Number.POSITIVE_INFINITY, Math.max(low * 10, (fallback ?? low) * 4, low + 10)));
    const high = max !== undefined && max - low <= 32 ? (spec.maximum ?? max - 1) : wide;
    return { ...base, type: 'int', low: String(low), high: String(high) };
  }
  if (fallback !== undefined && fallback > 0) {
    let low = fallback / 10;
    let high = fallback * 10;
    if (min !== undefined && low <= min) low = spec.exclusiveMinimum !== undefined ? Math.max(fallback / 10, min + (fallback - min) / 10) : min;
    if (max !== undefined && high >= max) high = spec.exclusiveMaximum !== undefined ? fallback + (max - fallback) / 2 : max;
    return { ...base, type: 'float', low: text(low), high: text(high), log: low > 0 };
  }
  const low =
    spec.minimum ?? (spec.exclusiveMinimum !== undefined ? spec.exclusiveMinimum + ((max ?? spec.exclusiveMinimum + 1) - spec.exclusiveMinimum) / 10 : 0);
  const high = max !== undefined ? (spec.maximum ?? max - (max - low) / 10) : low + 1;
  return { ...base, type: 'float', low: text(low), high: text(high) };
}

/** How a choice is written in a tag: strings as they are, null as `null`. */
export function choiceText(value: ChoiceValue): string {
  return value === null ? 'null' : String(value);
}

const NUMBER_TEXT = /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/;

/** A tag read back: a number, `true`/`false` or `null` where it looks like one, unless the parameter only takes text. */
export function readChoice(tag: string, param: TunableParam | undefined): ChoiceValue {
  if (param?.closed && param.choices.some((c) => typeof c === 'string' && c === tag)) return tag;
  if (tag === 'null' || tag === 'none') return null;
  if (tag === 'true') return true;
  if (tag === 'false') return false;
  if (NUMBER_TEXT.test(tag)) return Number(tag);
  return tag;
}

export interface ReadSpace {
  /** The search space as the request carries it (the contract's own checks run on it afterwards). */
  space: Record<string, Record<string, unknown>>;
  problems: FieldProblem[];
}

/** The path of a row's name field: by name once it has one, by position before (an empty or duplicated name). */
export function dimensionPath(draft: DimensionDraft, index: number): string {
  return draft.name.trim() === '' ? `searchSpace.#${index}` : `searchSpace.${draft.name.trim()}`;
}

function readNumber(textValue: string, integer: boolean, path: string, problems: FieldProblem[], required: boolean): number | undefined {
  const t = textValue.trim();
  if (t === '') {
    if (required) problems.push({ field: path, message: 'is required' });
    return undefined;
  }
  if (!NUMBER_TEXT.test(t)) {
    problems.push({ field: path, message: integer ? 'must be a whole number' : 'must be a number' });
    return undefined;
  }
  const value = Number(t);
  if (!Number.isFinite(value)) problems.push({ field: path, message: 'must be a finite number' });
  else if (integer && !Number.isInteger(value)) problems.push({ field: path, message: 'must be a whole number' });
  else return value;
  return undefined;
}

/**
 * The rows as the request's `searchSpace`, with the problems the contract cannot see: names missing or used twice,
 * numbers that do not read, and bounds outside what the algorithm's schema allows for that parameter.
 */
export function readSearchSpace(rows: readonly DimensionDraft[], params: readonly TunableParam[]): ReadSpace {
  const problems: FieldProblem[] = [];
  const space: Record<string, Record<string, unknown>> = {};
  if (rows.length === 0) problems.push({ field: 'searchSpace', message: 'add at least one parameter to search over' });
  const byName = new Map(params.map((p) => [p.name, p]));
  const seen = new Set<string>();
  rows.forEach((row, index) => {
    const name = row.name.trim();
    const path = dimensionPath(row, index);
    if (name === '') {
      problems.push({ field: path, message: 'name the hyper-parameter' });
      return;
    }
    if (seen.has(name)) {
      problems.push({ field: path, message: `${name} is searched twice` });
      return;
    }
    seen.add(name);
    const param = byName.get(name);
    const dimension: Record<string, unknown> = { type: row.type };
    if (row.type === 'categorical') {
      if (row.choices.length === 0) problems.push({ field: `${path}.choices`, message: 'add at least one choice' });
      dimension['choices'] = row.choices.map((c) => readChoice(c, param));
    } else {
      const integer = row.type === 'int';
      const low = readNumber(row.low, integer, `${path}.low`, problems, true);
      const high = readNumber(row.high, integer, `${path}.high`, problems, true);
      const step = readNumber(row.step, integer, `${path}.step`, problems, false);
      const bounds = param?.number;
      if (bounds) {
        for (const [value, field] of [
          [low, 'low'],
          [high, 'high'],
        ] as const) {
          if (value === undefined) continue;
          const why = numberProblem({ ...bounds, integer: false }, value);
          if (why) problems.push({ field: `${path}.${field}`, message: `${name} ${why}` });
        }
        if (bounds.integer && row.type === 'float') problems.push({ field: `${path}.type`, message: `${name} takes whole numbers: use int` });
      }
      if (low !== undefined) dimension['low'] = low;
      if (high !== undefined) dimension['high'] = high;
      dimension['log'] = row.log;
      if (step !== undefined) dimension['step'] = step;
    }
    if (row.whenParam !== '') {
      const parent = rows.find((r) => r.name.trim() === row.whenParam);
      if (row.whenIn.length === 0) problems.push({ field: `${path}.when.in`, message: `choose the values of ${row.whenParam} that turn ${name} on` });
      dimension['when'] = { param: row.whenParam, in: row.whenIn.map((c) => readChoice(c, byName.get(parent?.name.trim() ?? ''))) };
    }
    space[name] = dimension;
  });
  return { space, problems };
}
