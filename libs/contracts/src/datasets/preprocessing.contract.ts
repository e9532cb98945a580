import { z } from 'zod';
import { int32, nameText, text } from '../common/primitives';
import { columnTypeSchema } from './dataset-columns.contract';

/** Most categories one categorical feature may one-hot into (a wider column is free text, not a category). */
export const MAX_ONE_HOT_CATEGORIES = 1000;
/** Most model inputs a table's preprocessing may produce. */
export const MAX_PREPROCESSED_FEATURES = 10_000;

const columnName = nameText(256);

/**
 * How one input column becomes model inputs, in order:
 * - `number`: the value as a double (number and integer columns);
 * - `boolean`: true → 1, false → 0;
 * - `datetime`: milliseconds since 1970-01-01T00:00Z (a time without a zone is UTC);
 * - `one-hot`: one input per category, 1 for the row's category and 0 for the others (`categories` sorted by code
 *   unit, as the training data held them); a value outside them is refused, not zeroed.
 */
export const tabularInputEncodingSchema = z.discriminatedUnion('encoding', [
  z.object({ column: columnName, encoding: z.literal('number') }).strict(),
  z.object({ column: columnName, encoding: z.literal('boolean') }).strict(),
  z.object({ column: columnName, encoding: z.literal('datetime') }).strict(),
  z
    .object({
      column: columnName,
      encoding: z.literal('one-hot'),
      categories: z
        .array(text({ max: 1024 }))
        .min(1)
        .max(MAX_ONE_HOT_CATEGORIES),
    })
    .strict(),
]);
export type TabularInputEncoding = z.infer<typeof tabularInputEncodingSchema>;

/**
 * `preprocessing.json` of a tabular model artifact: how request rows (objects of column → value) become the
 * matrix the model was trained on. Written by the training reader from the dataset, applied unchanged by serving,
 * so training and serving cannot encode a row differently. Missing values are refused on both sides (no imputation).
 */
export const tabularPreprocessingSchema = z
  .object({
    format: z.literal('slipway.preprocessing'),
    formatVersion: z.literal(1),
    kind: z.literal('tabular'),
    /** Input columns in model-input order. */
    inputs: z.array(tabularInputEncodingSchema).min(1).max(MAX_PREPROCESSED_FEATURES),
    /** One name per model input: the column's name, or `column=category` for one-hot inputs. */
    featureNames: z
      .array(text({ max: 2048 }))
      .min(1)
      .max(MAX_PREPROCESSED_FEATURES),
    /** The column the model predicts and its type in the dataset; null for clustering without labels. */
    target: z.object({ column: columnName, type: columnTypeSchema }).strict().nullable(),
    /** Rows the training data had. */
    rows: int32(0),
  })
  .strict()
  .refine((p) => p.featureNames.length === p.inputs.reduce((n, input) => n + (input.encoding === 'one-hot' ? input.categories.length : 1), 0), {
    message: 'needs one feature name per model input',
    path: ['featureNames'],
  });
export type TabularPreprocessing = z.infer<typeof tabularPreprocessingSchema>;
