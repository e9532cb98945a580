import { z } from 'zod';
import { finiteNumber, nameString, safeString } from '../common/primitives';

/** Column types a dataset upload infers and a model's input schema declares. */
export const COLUMN_TYPES = ['number', 'integer', 'boolean', 'string', 'categorical', 'datetime'] as const;
export const columnTypeSchema = z.enum(COLUMN_TYPES);
export type ColumnType = z.infer<typeof columnTypeSchema>;

const MAX_COLUMNS = 10_000;

/** datasets.columns: `[{ name, type }]` as inferred at upload, in file order. */
export const datasetColumnSchema = z.object({ name: nameString, type: columnTypeSchema }).strict();
export const datasetColumnsSchema = z
  .array(datasetColumnSchema)
  .max(MAX_COLUMNS)
  .refine((columns) => new Set(columns.map((c) => c.name)).size === columns.length, 'column names must be unique');
export type DatasetColumns = z.infer<typeof datasetColumnsSchema>;

const count = z.number().int().min(0);

/** What a dataset's stored file is: a CSV or Parquet table (profiled per column), or images in class folders. */
export const DATASET_FORMATS = ['csv', 'parquet', 'images'] as const;
export const datasetFormatSchema = z.enum(DATASET_FORMATS);
export type DatasetFormat = z.infer<typeof datasetFormatSchema>;

/** Statistics of one column; which fields are present depends on its type (numbers get moments and a histogram). */
export const columnProfileSchema = z
  .object({
    name: nameString,
    type: columnTypeSchema,
    count,
    missing: count,
    distinct: count.optional(),
    /** False when the column had more distinct values than the profiler counts exactly: `distinct` is then a lower bound. */
    distinctExact: z.boolean().optional(),
    /** True when quantiles and histogram come from a uniform sample of the values rather than all of them. */
    sampled: z.boolean().optional(),
    mean: finiteNumber.optional(),
    std: finiteNumber.min(0).optional(),
    min: finiteNumber.optional(),
    max: finiteNumber.optional(),
    /** Quantile → value, e.g. { "0.5": 3.2 }. */
    quantiles: z.record(z.string().regex(/^(0(\.\d+)?|1)$/, 'a quantile in [0, 1]'), finiteNumber).optional(),
    /** `counts[i]` rows fall in [edges[i], edges[i + 1]). */
    histogram: z
      .object({ edges: z.array(finiteNumber).min(2).max(1001), counts: z.array(count).max(1000) })
      .strict()
      .refine((h) => h.counts.length === h.edges.length - 1, { message: 'needs one count per bin (edges − 1)', path: ['counts'] })
      .optional(),
    /** Most frequent values of a categorical or string column. */
    topValues: z
      .array(z.object({ value: safeString(1024), count }).strict())
      .max(100)
      .optional(),
  })
  .strict();

/**
 * datasets.profile and model_versions.training_profile: per-column statistics of a table, shown in the
 * console and used as the reference distribution for drift checks.
 */
export const datasetProfileSchema = z
  .object({
    rowCount: count,
    columns: z.array(columnProfileSchema).max(MAX_COLUMNS),
    /** The stored file's format; absent on CSV datasets (profiled before formats existed). */
    format: datasetFormatSchema.optional(),
    /** Image datasets: the declared size every image was resized to, and how many there are (`classBalance` counts each class). */
    images: z
      .object({ height: z.number().int().min(1).max(65_536), width: z.number().int().min(1).max(65_536), channels: z.number().int().min(1).max(64), count })
      .strict()
      .optional(),
    /** The field delimiter the file was read with (detected or given at upload). */
    delimiter: z.enum([',', ';', '\t', '|']).optional(),
    /** The target column's values and how many rows have each (classification targets). */
    classBalance: z
      .array(z.object({ value: safeString(1024), count }).strict())
      .max(10_000)
      .optional(),
  })
  .strict();
export type DatasetProfile = z.infer<typeof datasetProfileSchema>;

/**
 * model_versions.input_schema: the columns (names, types, order) a model takes, the target it predicts,
 * and for image models the shape of one sample ([height, width, channels]).
 */
export const modelInputSchemaSchema = z
  .object({
    columns: z
      .array(z.object({ name: nameString, type: columnTypeSchema, nullable: z.boolean().optional() }).strict())
      .max(MAX_COLUMNS)
      .optional(),
    target: z.object({ name: nameString, type: columnTypeSchema }).strict().optional(),
    shape: z.array(z.number().int().min(1).max(65_536)).min(1).max(8).optional(),
    /** Names of the classes 0..k-1 a classifier outputs. */
    classLabels: z.array(nameString).max(10_000).optional(),
  })
  .strict();
export type ModelInputSchema = z.infer<typeof modelInputSchemaSchema>;
