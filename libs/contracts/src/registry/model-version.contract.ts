import { z } from 'zod';
import { metricValueSchema } from '../common/metric-value';
import { cursorSchema } from '../common/cursor';
import { boundedJson, nameText, queryInt, recordKey, safeInt, text } from '../common/primitives';
import { tagsSchema, tagsViewSchema } from '../common/tags.contract';
import { datasetProfileSchema, modelInputSchemaSchema } from '../datasets/dataset-columns.contract';
import {
  aliasNameSchema,
  artifactPathSchema,
  descriptionSchema,
  MAX_VERSION_NUMBER,
  modelNameSchema,
  sha256HexSchema,
  versionNumberBodySchema,
  versionNumberSchema,
} from './registry-names.contract';

export const VERSION_STATUSES = ['PENDING_UPLOAD', 'READY', 'FAILED', 'ARCHIVED'] as const;
export const versionStatusSchema = z.enum(VERSION_STATUSES);
export type VersionStatus = z.infer<typeof versionStatusSchema>;

const MAX_CURVE_POINTS = 10_000;
const numbers = z.array(z.number()).max(MAX_CURVE_POINTS);

/** One curve (ROC or precision-recall), optionally for one class of a multi-class model. */
export const curveSchema = z
  .object({
    label: text({ max: 256 }).optional(),
    x: numbers,
    y: numbers,
    thresholds: numbers.optional(),
    auc: z.number().optional(),
  })
  .strict()
  .refine((c) => c.x.length === c.y.length, { message: 'x and y must have the same length', path: ['y'] });

export const confusionMatrixSchema = z
  .object({
    labels: z
      .array(text({ max: 256 }))
      .min(1)
      .max(1000),
    /** matrix[actual][predicted] counts. */
    matrix: z.array(z.array(z.number().nonnegative()).max(1000)).max(1000),
  })
  .strict()
  .refine((m) => m.matrix.length === m.labels.length && m.matrix.every((row) => row.length === m.labels.length), {
    message: 'must be labels × labels',
    path: ['matrix'],
  });

/** The evaluation stored with a version: what compare shows next to each other. */
export const evaluationSchema = z
  .object({
    metrics: z.record(recordKey(256), z.number()).optional(),
    /** ROC curve(s): x = false-positive rate, y = true-positive rate. */
    roc: z.union([curveSchema, z.array(curveSchema).max(100)]).optional(),
    /** Precision-recall curve(s): x = recall, y = precision. */
    pr: z.union([curveSchema, z.array(curveSchema).max(100)]).optional(),
    confusionMatrix: confusionMatrixSchema.optional(),
    /** CV mean ± std and anything else, as given. */
    extra: z.record(recordKey(256), boundedJson({ maxDepth: 8, maxStringLength: 10_000, maxEntries: 1000 })).optional(),
  })
  .strict();
export type Evaluation = z.infer<typeof evaluationSchema>;

/**
 * A new version. With `runId` + `artifactPath` its files are copied from the run's artifact folder (or
 * file) and it is READY in this response; without `artifactPath` it is PENDING_UPLOAD: PUT its files, then
 * finalize. `runId` alone links an uploaded version to the run it came from (lineage).
 */
export const createVersionRequestSchema = z
  .object({
    runId: z.string().uuid().optional(),
    artifactPath: artifactPathSchema.optional(),
    description: descriptionSchema.default(''),
    tags: tagsSchema.default({}),
    algorithm: nameText(64).optional(),
    framework: nameText(64).optional(),
    // The same contracts the columns are read back with: a shape the store would refuse is a 400 here,
    // never a 500 after the fact.
    inputSchema: modelInputSchemaSchema.optional(),
    trainingProfile: datasetProfileSchema.optional(),
    evaluation: evaluationSchema.optional(),
  })
  .strict()
  .refine((body) => body.artifactPath === undefined || body.runId !== undefined, { message: 'artifactPath needs the runId it belongs to', path: ['runId'] });
export type CreateVersionRequest = z.infer<typeof createVersionRequestSchema>;

export const updateVersionRequestSchema = z
  .object({ description: descriptionSchema.optional(), tags: tagsSchema.optional() })
  .strict()
  .refine((body) => body.description !== undefined || body.tags !== undefined, 'give description and/or tags');
export type UpdateVersionRequest = z.infer<typeof updateVersionRequestSchema>;

export const manifestEntrySchema = z.object({ path: z.string(), sha256: z.string(), sizeBytes: z.number().int() });
export type ManifestEntryView = z.infer<typeof manifestEntrySchema>;

/** Optional expected hashes: finalize refuses when the stored files differ (missing, extra or changed). */
export const finalizeVersionRequestSchema = z
  .object({
    files: z
      .array(z.object({ path: artifactPathSchema, sha256: sha256HexSchema, sizeBytes: safeInt(0).optional() }).strict())
      .min(1)
      .max(10_000)
      .optional(),
  })
  .strict();
export type FinalizeVersionRequest = z.infer<typeof finalizeVersionRequestSchema>;

export const versionQuerySchema = z
  .object({
    status: versionStatusSchema.optional(),
    limit: queryInt({ min: 1, max: 500, default: 100 }),
    /** Opaque cursor from the previous page's `nextCursor`. */
    cursor: cursorSchema.optional(),
  })
  .strict();
export type VersionQuery = z.infer<typeof versionQuerySchema>;

export const versionParamsSchema = z.object({ name: modelNameSchema, version: versionNumberSchema }).strict();

/** Where a version came from: the run, its params and final metrics, the data and the code. */
export const lineageSchema = z.object({
  runId: z.string().uuid(),
  runName: z.string(),
  experimentId: z.string().uuid(),
  runStatus: z.string(),
  runDeleted: z.boolean(),
  datasetId: z.string().nullable(),
  datasetSha256: z.string().nullable(),
  codeVersion: z.string().nullable(),
  seed: z.number().int().nullable(),
  params: z.record(z.string(), z.string()),
  metrics: z.record(z.string(), metricValueSchema),
});
export type LineageView = z.infer<typeof lineageSchema>;

export const versionSchema = z.object({
  id: z.string().uuid(),
  model: z.string(),
  version: z.number().int(),
  status: versionStatusSchema,
  description: z.string(),
  tags: tagsViewSchema,
  aliases: z.array(z.string()),
  /** sha256 of the canonical manifest (see the artifacts lib): covers every file's name and content. */
  sha256: z.string().nullable(),
  /** base64 ed25519 signature over the sha256's 32 bytes, with the key at GET /registry/public-key. */
  signature: z.string().nullable(),
  /** Which key made `signature` (the keyId GET /registry/public-key lists, current or retired); null for versions signed before key ids. */
  signatureKeyId: z.string().nullable(),
  sizeBytes: z.number().int().nullable(),
  files: z.array(manifestEntrySchema).nullable(),
  artifactUri: z.string().nullable(),
  algorithm: z.string().nullable(),
  framework: z.string().nullable(),
  inputSchema: z.unknown().nullable(),
  trainingProfile: z.unknown().nullable(),
  evaluation: z.unknown().nullable(),
  runId: z.string().uuid().nullable(),
  lineage: lineageSchema.nullable(),
  createdBy: z.string().nullable(),
  createdAt: z.string().datetime(),
  readyAt: z.string().datetime().nullable(),
  archivedAt: z.string().datetime().nullable(),
});
export type VersionView = z.infer<typeof versionSchema>;

export const versionListSchema = z.object({ versions: z.array(versionSchema), nextCursor: z.string().nullable() });
export type VersionList = z.infer<typeof versionListSchema>;

export const uploadedFileSchema = z.object({ path: z.string(), sha256: z.string(), sizeBytes: z.number().int() });
export type UploadedFile = z.infer<typeof uploadedFileSchema>;

export const verificationResultSchema = z.object({
  model: z.string(),
  version: z.number().int(),
  sha256: z.string(),
  keyId: z.string(),
  files: z.number().int(),
  verified: z.literal(true),
});
export type VerificationResult = z.infer<typeof verificationResultSchema>;

export const setAliasRequestSchema = z.object({ version: versionNumberBodySchema }).strict();
export type SetAliasRequest = z.infer<typeof setAliasRequestSchema>;

export const aliasParamsSchema = z.object({ name: modelNameSchema, alias: aliasNameSchema }).strict();

export const aliasSchema = z.object({
  model: z.string(),
  alias: z.string(),
  version: z.number().int(),
  /** The version it pointed at before this request; null when it is new. Equal to `version` for a no-op. */
  previousVersion: z.number().int().nullable(),
  updatedAt: z.string().datetime(),
});
export type AliasView = z.infer<typeof aliasSchema>;

/** `name@alias`, `name@latest`, `name@3`, `name@v3` or `name/3`. */
export const modelRefSchema = z
  .string()
  .min(3)
  .max(256)
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*(@[a-z0-9][a-z0-9_-]*|\/\d{1,10})$/, 'a ref like name@alias, name@latest, name@3 or name/3')
  // A numbered ref names model_versions.version (int4): `name@99999999999` is a 400 here, not a failed query.
  .refine((ref) => {
    const digits = /(?:@v?|\/)(\d+)$/.exec(ref)?.[1];
    return digits === undefined || (digits.length <= 10 && Number(digits) >= 1 && Number(digits) <= MAX_VERSION_NUMBER);
  }, `a version number from 1 to ${MAX_VERSION_NUMBER}`);
export const resolveParamsSchema = z.object({ ref: modelRefSchema }).strict();

export const resolvedRefSchema = z.object({ ref: z.string(), alias: z.string().nullable(), version: versionSchema });
export type ResolvedRef = z.infer<typeof resolvedRefSchema>;

export const publicKeySchema = z.object({
  algorithm: z.literal('ed25519'),
  pem: z.string(),
  rawBase64: z.string(),
  keyId: z.string(),
  /** How to check a version yourself. */
  scheme: z.string(),
  /** Public keys retired by a rotation, still valid for versions signed before it (their signatureKeyId names them). */
  retired: z.array(z.object({ algorithm: z.literal('ed25519'), pem: z.string(), rawBase64: z.string(), keyId: z.string() })),
});
export type PublicKeyView = z.infer<typeof publicKeySchema>;
