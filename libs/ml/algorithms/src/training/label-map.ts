import { MlInputError, MlInputErrorCode } from '../common';

/** A class label as a dataset holds it: a number, a string (`setosa`) or a boolean. */
export type ClassLabel = number | string | boolean;

/** The file of a model artifact that holds its label map (format version 2 on). */
export const LABEL_MAP_FILE = 'labels.json';
export const LABEL_MAP_FORMAT = 'slipway.labels';
export const LABEL_MAP_VERSION = 1;

/**
 * The target encoded once: `codes[i]` is the class id 0..k-1 of row i and `labels[c]` the original label of
 * class c. The order is fixed by the values alone (numbers ascending, strings by UTF-16 code unit, false
 * before true), so the same data always gives the same ids, the same model and the same artifact bytes.
 */
export interface EncodedLabels {
  codes: Float64Array;
  labels: ClassLabel[];
}

type LabelKind = 'number' | 'string' | 'boolean';

function kindOf(value: unknown): LabelKind | 'missing' | 'other' {
  if (value === null || value === undefined) return 'missing';
  if (typeof value === 'number') return Number.isNaN(value) ? 'missing' : 'number';
  if (typeof value === 'string') return value.trim() === '' ? 'missing' : 'string';
  if (typeof value === 'boolean') return 'boolean';
  return 'other';
}

export function rowWhere(column: string | undefined, i: number): string {
  return `${column === undefined ? '' : `column ${JSON.stringify(column)} `}row ${i}`;
}

// Labels become names in evaluations and the registry (the contracts' nameString): at most 256 characters,
// no control characters, well-formed UTF-16. Checked here so a bad label names its row instead of failing later.
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL = /[\u0000-\u001f\u007f]/;
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
export const MAX_LABEL_LENGTH = 256;

function labelTextProblem(label: string): string | null {
  if (label.length > MAX_LABEL_LENGTH) return `is longer than ${MAX_LABEL_LENGTH} characters`;
  if (CONTROL.test(label)) return 'has control characters';
  if (LONE_SURROGATE.test(label)) return 'is not well-formed UTF-16';
  return null;
}

function compare(a: ClassLabel, b: ClassLabel): number {
  if (typeof a === 'string' && typeof b === 'string') return a < b ? -1 : a > b ? 1 : 0;
  return Number(a) - Number(b);
}

/**
 * Encodes class labels. One kind per target (a column mixing `1` and `"1"` is ambiguous, so it is refused
 * naming the first row that differs); missing labels (null, NaN, blank) name their row; ±Infinity is refused;
 * a single class is refused unless `allowSingleClass` (clustering's ARI reference).
 */
export function encodeClassLabels(
  values: ArrayLike<unknown>,
  nRows: number,
  options: { argument: string; column?: string; allowSingleClass?: boolean },
): EncodedLabels {
  const { argument, column } = options;
  if (values.length === 0) throw new MlInputError(MlInputErrorCode.EMPTY_INPUT, argument, 'has no labels');
  if (values.length !== nRows) throw new MlInputError(MlInputErrorCode.SHAPE_MISMATCH, argument, `has ${values.length} labels for ${nRows} rows`);
  let kind: LabelKind | null = null;
  let firstRow = 0;
  const distinct = new Map<ClassLabel, number>();
  for (let i = 0; i < values.length; i++) {
    const value = values[i];
    const k = kindOf(value);
    if (k === 'missing') throw new MlInputError(MlInputErrorCode.MISSING_LABEL, argument, `${rowWhere(column, i)} has no label`);
    if (k === 'other') throw new MlInputError(MlInputErrorCode.BAD_LABELS, argument, `${rowWhere(column, i)}: a label must be a number, string or boolean`);
    if (k === 'number' && !Number.isFinite(value))
      throw new MlInputError(MlInputErrorCode.BAD_LABELS, argument, `${rowWhere(column, i)}: label ${String(value)} is not finite`);
    if (k === 'string') {
      const problem = labelTextProblem(value as string);
      if (problem) throw new MlInputError(MlInputErrorCode.BAD_LABELS, argument, `${rowWhere(column, i)}: label ${JSON.stringify(value)} ${problem}`);
    }
    if (kind === null) {
      kind = k;
      firstRow = i;
    } else if (k !== kind) {
      throw new MlInputError(
        MlInputErrorCode.BAD_LABELS,
        argument,
        `${rowWhere(column, i)} is a ${k} label but row ${firstRow} is a ${kind}; one target holds one kind of label`,
      );
    }
    // -0 and 0 are one class (Map keys compare with SameValueZero).
    if (!distinct.has(value as ClassLabel)) distinct.set(value === 0 ? 0 : (value as ClassLabel), distinct.size);
  }
  const labels = [...distinct.keys()].sort(compare);
  if (labels.length < 2 && !options.allowSingleClass) {
    throw new MlInputError(
      MlInputErrorCode.SINGLE_CLASS,
      argument,
      `${column === undefined ? 'the target' : `column ${JSON.stringify(column)}`} has one class (${JSON.stringify(labels[0])}); a classifier needs at least two`,
    );
  }
  const index = new Map(labels.map((label, c) => [label, c]));
  const codes = new Float64Array(values.length);
  for (let i = 0; i < values.length; i++) codes[i] = index.get(values[i] as ClassLabel) as number;
  return { codes, labels };
}

/** The display name of a label (confusion matrix rows, per-class metrics). */
export const labelName = (label: ClassLabel): string => String(label);

/** The label map file: versioned so a later reader can tell what it holds. Deterministic bytes for the same labels. */
export function serializeLabelMap(labels: readonly ClassLabel[]): Uint8Array {
  return new TextEncoder().encode(JSON.stringify({ format: LABEL_MAP_FORMAT, version: LABEL_MAP_VERSION, labels }));
}

/** Reads and checks a label map file: at least `nClasses` distinct labels of one kind. */
export function parseLabelMap(bytes: Uint8Array, nClasses: number): ClassLabel[] {
  const bad = (detail: string) => new MlInputError(MlInputErrorCode.BAD_ARTIFACT, `artifact.files["${LABEL_MAP_FILE}"]`, detail);
  let raw: unknown;
  try {
    raw = JSON.parse(new TextDecoder().decode(bytes));
  } catch (error) {
    throw bad(`is not valid JSON (${(error as Error).message})`);
  }
  const map = raw as { format?: unknown; version?: unknown; labels?: unknown } | null;
  if (!map || map.format !== LABEL_MAP_FORMAT) throw bad(`format must be "${LABEL_MAP_FORMAT}"`);
  if (map.version !== LABEL_MAP_VERSION) throw bad(`this reader understands version ${LABEL_MAP_VERSION}, got ${JSON.stringify(map.version)}`);
  if (!Array.isArray(map.labels)) throw bad('labels must be an array');
  const labels = map.labels as unknown[];
  // More labels than the model's classes is a model whose training part missed the last classes: it never predicts them.
  if (labels.length < nClasses) throw bad(`names ${labels.length} classes but the model has ${nClasses}`);
  const kinds = new Set(labels.map(kindOf));
  if (kinds.size !== 1 || ![...kinds].every((k) => k === 'number' || k === 'string' || k === 'boolean')) {
    throw bad('labels must all be numbers, all strings or all booleans');
  }
  if (new Set(labels).size !== labels.length) throw bad('labels must be distinct');
  return labels as ClassLabel[];
}
