import { z } from 'zod';
import { cursorSchema } from '../common/cursor';
import { freeText, int32, isoDateTime, nameText, queryInt, recordKey, safeInt, text, uuidText } from '../common/primitives';
import { sha256HexSchema } from '../registry/registry-names.contract';
import { imageSizeTextSchema } from './image-dataset.contract';
import { columnTypeSchema, datasetColumnsSchema, datasetFormatSchema, datasetProfileSchema } from './dataset-columns.contract';

/** The delimiters an upload may use (and name explicitly instead of having them detected). */
export const DATASET_DELIMITERS = { comma: ',', semicolon: ';', tab: '\t', pipe: '|' } as const;
export const datasetDelimiterSchema = z.enum(['comma', 'semicolon', 'tab', 'pipe']);
export type DatasetDelimiter = z.infer<typeof datasetDelimiterSchema>;

export const datasetNameSchema = nameText(256, { trim: true });

/** `{ "column": "type" }` overrides of the inferred column types. */
export const columnTypeOverridesSchema = z.record(recordKey(256), columnTypeSchema);
export type ColumnTypeOverrides = z.infer<typeof columnTypeOverridesSchema>;

/**
 * Overrides as they arrive in a query string: a JSON object `{"col":"integer"}`. Parsed here so the error names
 * `query.columnTypes` whether the JSON or an entry of it is wrong.
 */
const columnTypeOverridesQuery = text({ max: 65_536 })
  .transform((raw, ctx) => {
    try {
      return JSON.parse(raw) as unknown;
    } catch {
      ctx.addIssue({ code: 'custom', message: 'a JSON object of column name to type, e.g. {"age":"integer"}' });
      return z.NEVER;
    }
  })
  .pipe(columnTypeOverridesSchema)
  .meta({ type: 'string', description: 'JSON object of column name to type, e.g. {"age":"integer"}' } as Record<string, unknown>);

/**
 * Formats an upload may name: a table upload without one is Parquet when it starts with `PAR1`, CSV otherwise;
 * `images` is a zip of class-named folders of PNG/JPEG images and needs `imageSize`.
 */
export const datasetUploadFormatSchema = z.enum(['csv', 'parquet', 'images']);

/** Query of `PUT /api/v1/datasets`: the body is the raw file. */
export const datasetUploadQuerySchema = z
  .object({
    name: datasetNameSchema,
    format: datasetUploadFormatSchema.optional(),
    /** Images: the size every image is resized to, `HxWxC` (e.g. 32x32x3; channels 1 = grayscale, 3 = RGB). */
    imageSize: imageSizeTextSchema.optional(),
    targetColumn: nameText(256).optional(),
    /** Detected from the header line when absent. */
    delimiter: datasetDelimiterSchema.optional(),
    columnTypes: columnTypeOverridesQuery.optional(),
  })
  .strict()
  .superRefine((query, ctx) => {
    if (query.format === 'images') {
      if (query.imageSize === undefined) ctx.addIssue({ code: 'custom', path: ['imageSize'], message: 'an image upload declares its size, e.g. 32x32x3' });
      for (const field of ['targetColumn', 'delimiter', 'columnTypes'] as const)
        if (query[field] !== undefined) ctx.addIssue({ code: 'custom', path: [field], message: 'not for image uploads (their classes are their folders)' });
    } else if (query.imageSize !== undefined) ctx.addIssue({ code: 'custom', path: ['imageSize'], message: 'only for format=images' });
    if (query.format === 'parquet' && query.delimiter !== undefined)
      ctx.addIssue({ code: 'custom', path: ['delimiter'], message: 'not for Parquet (its columns are not delimited text)' });
  });
export type DatasetUploadQuery = z.infer<typeof datasetUploadQuerySchema>;

/** PATCH: a new name, a new (or no) target, type overrides (the profile is recomputed from the stored file). */
export const updateDatasetRequestSchema = z
  .object({
    name: datasetNameSchema.optional(),
    targetColumn: nameText(256).nullable().optional(),
    columnTypes: columnTypeOverridesSchema.optional(),
  })
  .strict()
  .refine((body) => body.name !== undefined || body.targetColumn !== undefined || body.columnTypes !== undefined, 'give name, targetColumn and/or columnTypes');
export type UpdateDatasetRequest = z.infer<typeof updateDatasetRequestSchema>;

export const datasetQuerySchema = z
  .object({
    /** Part of the name, case-insensitive. */
    search: text({ max: 128 }).optional(),
    limit: queryInt({ min: 1, max: 200, default: 50 }),
    cursor: cursorSchema.optional(),
  })
  .strict();
export type DatasetQuery = z.infer<typeof datasetQuerySchema>;

export const datasetIdParamsSchema = z.object({ id: uuidText() }).strict();

export const BUILTIN_SAMPLE_NAMES = ['iris', 'wine', 'breast_cancer', 'digits', 'regression_20k'] as const;
export const datasetSampleParamsSchema = z.object({ name: z.enum(BUILTIN_SAMPLE_NAMES) }).strict();
/** Samples that are also image datasets (`POST /api/v1/datasets/samples/digits/images`: 8×8×1). */
export const datasetImageSampleParamsSchema = z.object({ name: z.enum(['digits']) }).strict();

// Views are built from the same primitives as requests: the console and the CLI send them back (as PATCH bodies,
// as training-job references), and a bounded, NUL-free view can always be.
export const datasetSourceSchema = z.object({ sample: nameText(256), provenance: freeText(1024) });

// Names in views are bounded, NUL-free text without the control-character rule: a row planted before that rule
// must still be readable.
export const datasetSchema = z.object({
  id: uuidText(),
  name: text({ max: 256 }),
  sha256: sha256HexSchema,
  rows: int32(0),
  sizeBytes: safeInt(0),
  columns: datasetColumnsSchema,
  targetColumn: text({ max: 256 }).nullable(),
  /** The stored file's format (`csv` for datasets stored before formats existed). */
  format: datasetFormatSchema,
  /** Where a built-in sample came from; null for uploads. */
  source: datasetSourceSchema.nullable(),
  createdAt: isoDateTime(),
});
export type DatasetView = z.infer<typeof datasetSchema>;

export const datasetListSchema = z.object({ datasets: z.array(datasetSchema).max(200), nextCursor: cursorSchema.nullable() });
export type DatasetList = z.infer<typeof datasetListSchema>;

export const datasetProfileViewSchema = z.object({ datasetId: uuidText(), targetColumn: text({ max: 256 }).nullable(), profile: datasetProfileSchema });
export type DatasetProfileView = z.infer<typeof datasetProfileViewSchema>;

export const datasetSampleSchema = z.object({
  name: z.enum(BUILTIN_SAMPLE_NAMES),
  rows: int32(0),
  targetColumn: nameText(256),
  task: z.enum(['classification', 'regression']),
  provenance: freeText(1024),
});
export const datasetSampleListSchema = z.object({ samples: z.array(datasetSampleSchema).max(BUILTIN_SAMPLE_NAMES.length) });
export type DatasetSampleList = z.infer<typeof datasetSampleListSchema>;
