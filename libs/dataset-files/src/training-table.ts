import {
  ErrorCode,
  MAX_ONE_HOT_CATEGORIES,
  MAX_PREPROCESSED_FEATURES,
  SlipwayError,
  type ColumnType,
  type DatasetColumns,
  type DatasetProfile,
  type TabularInputEncoding,
  type TabularPreprocessing,
} from '@slipway/contracts';
import type { ClassLabel, TabularTrainingData } from '@slipway/ml-algorithms';
import { booleanOfCell, isMissingCell, numberOfCell } from './cell-values';
import { contentError } from './content-error';
import { datasetFormatOf } from './dataset-file-key';
import type { CsvRecordSink } from './csv-reader';
import { encodeScalarCell } from './preprocessing';
import type { ByteSource } from './spool';
import { forEachRecord, type TableFormat } from './table-records';

/** A stored tabular dataset as the reader needs it: its file format and the columns (names, types) recorded for it. */
export interface TableSource {
  format: TableFormat;
  /** CSV only: the delimiter the file was profiled with (the dataset profile's `delimiter`); detected when absent. */
  delimiter?: ',' | ';' | '\t' | '|';
  /** The dataset's columns in file order, with their (inferred or overridden) types. */
  columns: DatasetColumns;
}

/**
 * The reader's view of a stored dataset (its entity's `columns` and `profile`): CSV with its delimiter, or Parquet.
 * An image dataset has no table: 422, read it with `readTrainingImages`.
 */
export function tableSourceOf(dataset: { columns: DatasetColumns; profile: DatasetProfile | null }): TableSource {
  const format = datasetFormatOf(dataset.profile);
  if (format === 'images')
    throw new SlipwayError(ErrorCode.FAILED_PRECONDITION, 'This is an image dataset: it trains the CNN, and has no columns to read as a table', [
      { field: 'datasetId', message: 'an image dataset, not a table' },
    ]);
  return { format, delimiter: format === 'csv' ? dataset.profile?.delimiter : undefined, columns: dataset.columns };
}

export interface TrainingColumnSelection {
  /** The column to predict; null for none (clustering without labels). */
  target: string | null;
  /** Input columns in this order; null for every usable column but the target, in file order (free-text columns left out). */
  features: string[] | null;
}

export interface TrainingTable {
  data: TabularTrainingData;
  /** One name per model input (`column`, or `column=category` for one-hot inputs). */
  featureNames: string[];
  /** What the worker writes as `preprocessing.json` and serving applies with `applyPreprocessing`. */
  preprocessing: TabularPreprocessing;
  rows: number;
}

export interface ReadTableOptions {
  /** Parquet is spooled to a temporary file here (default: the OS temp folder); removed afterwards. */
  tempDir?: string;
  /** Parquet: refuse a file larger than this (default: no bound beyond the disk). */
  maxBytes?: number;
}

const ENCODING_OF: Record<ColumnType, TabularInputEncoding['encoding'] | null> = {
  number: 'number',
  integer: 'number',
  boolean: 'boolean',
  datetime: 'datetime',
  categorical: 'one-hot',
  string: null,
};

const selectionError = (field: string, message: string) => new SlipwayError(ErrorCode.FAILED_PRECONDITION, `${field}: ${message}`, [{ field, message }]);

interface PlannedInput {
  column: string;
  index: number;
  encoding: TabularInputEncoding['encoding'];
}

/** Which columns feed the model and which is the target, checked against the dataset's columns. */
export function planTrainingColumns(
  columns: DatasetColumns,
  select: TrainingColumnSelection,
): { inputs: PlannedInput[]; target: { index: number; type: ColumnType } | null } {
  const indexOf = new Map(columns.map((c, i) => [c.name, i]));
  let target: { index: number; type: ColumnType } | null = null;
  if (select.target !== null) {
    const index = indexOf.get(select.target);
    if (index === undefined) throw selectionError('target', `the dataset has no column "${select.target}"`);
    target = { index, type: columns[index].type };
  }
  let inputs: PlannedInput[];
  if (select.features === null) {
    inputs = columns.flatMap((c, index) => {
      const encoding = ENCODING_OF[c.type];
      return encoding === null || index === target?.index ? [] : [{ column: c.name, index, encoding }];
    });
    if (inputs.length === 0) throw selectionError('features', 'the dataset has no usable input columns besides the target (free-text columns are not inputs)');
  } else {
    if (select.features.length === 0) throw selectionError('features', 'name at least one input column, or leave features out for all of them');
    const seen = new Set<string>();
    inputs = select.features.map((name, i) => {
      const field = `features.${i}`;
      const index = indexOf.get(name);
      if (index === undefined) throw selectionError(field, `the dataset has no column "${name}"`);
      if (index === target?.index) throw selectionError(field, `"${name}" is the target; it cannot also be an input`);
      if (seen.has(name)) throw selectionError(field, `"${name}" is listed twice`);
      seen.add(name);
      const encoding = ENCODING_OF[columns[index].type];
      if (encoding === null)
        throw selectionError(field, `"${name}" is free text (type string), which is not a model input; override its type to categorical if it is one`);
      return { column: name, index, encoding };
    });
  }
  return { inputs, target };
}

/** Grows in doubling steps: one typed array per input column, not one JS array per row. */
class Float64Column {
  data = new Float64Array(1024);
  length = 0;
  push(value: number): void {
    if (this.length === this.data.length) {
      const grown = new Float64Array(this.data.length * 2);
      grown.set(this.data);
      this.data = grown;
    }
    this.data[this.length++] = value;
  }
}

const byCodeUnit = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * Reads a stored tabular dataset (CSV or Parquet bytes, streamed) into the ML libs' training data with the
 * preprocessing that produced it: numbers as doubles, booleans as 0/1, datetimes as epoch milliseconds (UTC when
 * the text has no zone), categorical inputs one-hot over their categories in code-unit order. Nothing is imputed: a
 * missing input or target value is a 422 naming line and column. The target keeps its raw values (numbers for
 * number/integer columns, booleans for boolean ones, the text otherwise) so the ML libs' label map encodes classes.
 */
export async function readTrainingTable(
  bytes: ByteSource,
  source: TableSource,
  select: TrainingColumnSelection,
  options: ReadTableOptions = {},
): Promise<TrainingTable> {
  const { inputs, target } = planTrainingColumns(source.columns, select);
  const numeric = inputs.map((input) => (input.encoding === 'one-hot' ? null : new Float64Column()));
  // One-hot columns collect category ids in order of first sight; remapped to sorted order at the end.
  const categories = inputs.map((input) => (input.encoding === 'one-hot' ? new Map<string, number>() : null));
  const categoryIds = inputs.map((input) => (input.encoding === 'one-hot' ? new Float64Column() : null));
  const targetValues: ClassLabel[] = [];
  let rows = 0;
  const names = source.columns.map((c) => c.name);

  const sink: CsvRecordSink = {
    header(header, line) {
      if (header.length !== names.length || header.some((name, i) => name !== names[i]))
        throw contentError(
          `the stored file's header (${header.length} columns) does not match the dataset's columns (${names.length}); re-upload the dataset`,
          line,
        );
    },
    row(fields, line) {
      inputs.forEach((input, k) => {
        const raw = fields[input.index];
        const at = { index: input.index + 1, name: input.column };
        if (input.encoding === 'one-hot') {
          if (isMissingCell(raw)) throw contentError('has no value (missing values are not imputed: fill or drop them)', line, at);
          const seen = categories[k] as Map<string, number>;
          let id = seen.get(raw);
          if (id === undefined) {
            if (seen.size === MAX_ONE_HOT_CATEGORIES)
              throw contentError(`has more than ${MAX_ONE_HOT_CATEGORIES} categories, too many to one-hot encode; leave it out of the features`, line, at);
            id = seen.size;
            seen.set(raw, id);
          }
          (categoryIds[k] as Float64Column).push(id);
          return;
        }
        const encoded = encodeScalarCell(input.encoding, raw);
        if (encoded.problem !== null) throw contentError(encoded.problem, line, at);
        (numeric[k] as Float64Column).push(encoded.value);
      });
      if (target) targetValues.push(targetValue(fields[target.index], target.type, line, { index: target.index + 1, name: names[target.index] }));
      rows++;
    },
  };
  await forEachRecord(bytes, { format: source.format, delimiter: source.delimiter }, sink, options);
  if (rows === 0) throw contentError('the file has a header but no data rows', 2);

  const encodings: TabularInputEncoding[] = [];
  const featureNames: string[] = [];
  const remaps: (Int32Array | null)[] = [];
  inputs.forEach((input, k) => {
    const seen = categories[k];
    if (seen === null) {
      encodings.push({ column: input.column, encoding: input.encoding as 'number' | 'boolean' | 'datetime' });
      featureNames.push(input.column);
      remaps.push(null);
      return;
    }
    const sorted = [...seen.keys()].sort(byCodeUnit);
    const remap = new Int32Array(sorted.length);
    sorted.forEach((category, position) => (remap[seen.get(category) as number] = position));
    encodings.push({ column: input.column, encoding: 'one-hot', categories: sorted });
    featureNames.push(...sorted.map((category) => `${input.column}=${category}`));
    remaps.push(remap);
  });
  const width = featureNames.length;
  const named = new Set<string>();
  for (const name of featureNames) {
    if (named.has(name))
      throw selectionError('features', `two model inputs would both be named "${name}" (a column named like a one-hot input of another); leave one out`);
    named.add(name);
  }
  if (width > MAX_PREPROCESSED_FEATURES)
    throw selectionError('features', `the inputs encode to ${width} model inputs, more than ${MAX_PREPROCESSED_FEATURES}; leave wide categorical columns out`);

  const matrix = new Float64Array(rows * width);
  let offset = 0;
  inputs.forEach((_, k) => {
    const remap = remaps[k];
    if (remap === null) {
      const values = (numeric[k] as Float64Column).data;
      for (let r = 0; r < rows; r++) matrix[r * width + offset] = values[r];
      offset++;
      return;
    }
    const ids = (categoryIds[k] as Float64Column).data;
    for (let r = 0; r < rows; r++) matrix[r * width + offset + remap[ids[r]]] = 1;
    offset += remap.length;
  });

  const targetColumn = target ? source.columns[target.index] : null;
  const preprocessing: TabularPreprocessing = {
    format: 'slipway.preprocessing',
    formatVersion: 1,
    kind: 'tabular',
    inputs: encodings,
    featureNames,
    target: targetColumn ? { column: targetColumn.name, type: targetColumn.type } : null,
    rows,
  };
  const data: TabularTrainingData = {
    kind: 'tabular',
    features: { data: matrix, nRows: rows, nFeatures: width },
    featureNames,
    ...(targetColumn ? { target: targetValues, targetName: targetColumn.name } : {}),
  };
  return { data, featureNames, preprocessing, rows };
}

function targetValue(raw: string, type: ColumnType, line: number, at: { index: number; name: string }): ClassLabel {
  if (isMissingCell(raw)) throw contentError('the target has no value (drop the rows without one)', line, at);
  if (type === 'number' || type === 'integer') {
    const value = numberOfCell(raw);
    if (!Number.isFinite(value)) throw contentError(`${JSON.stringify(raw.slice(0, 64))} is not a number`, line, at);
    return value;
  }
  if (type === 'boolean') {
    const value = booleanOfCell(raw);
    if (Number.isNaN(value)) throw contentError(`${JSON.stringify(raw.slice(0, 64))} is not a boolean (true or false)`, line, at);
    return value === 1;
  }
  // Categories, text and datetimes are labels as written (the profile's class balance counts the same strings).
  return raw;
}
