import { z } from 'zod';
import { cursorSchema } from '../common/cursor';
import { int32, isWellFormedText, nameText, queryInt, text, timestampSchema } from '../common/primitives';
import { metricValueInputSchema, metricValueSchema } from '../common/metric-value';
import { tagsSchema, tagsViewSchema } from '../common/tags.contract';
import { keyValueSchema, TRACKING_LIMITS, trackingKeySchema, uniqueKeys } from './experiment.contract';
import { parseRunFilter, parseRunOrderBy, RUN_FILTER_MAX_LENGTH, RUN_STATUSES } from './run-filter';

export const runStatusSchema = z.enum(RUN_STATUSES);
export type RunStatusName = z.infer<typeof runStatusSchema>;
/** The statuses a run may end with. */
export const terminalRunStatusSchema = z.enum(['FINISHED', 'FAILED', 'KILLED']);

export const paramListSchema = z.array(keyValueSchema).max(TRACKING_LIMITS.paramsPerBatch).superRefine(uniqueKeys);

export const createRunRequestSchema = z
  .object({
    experimentId: z.string().uuid().optional(),
    /** Used when experimentId is absent: the experiment with this name, created if it does not exist yet. */
    experimentName: nameText(TRACKING_LIMITS.nameLength, { trim: true }).optional(),
    name: nameText(TRACKING_LIMITS.nameLength, { trim: true, min: 0 }).default(''),
    tags: tagsSchema.default({}),
    params: paramListSchema.default([]),
    seed: int32().optional(),
    datasetSha256: z
      .string()
      .regex(/^[0-9a-f]{64}$/, 'a sha256 in lowercase hex')
      .optional(),
    codeVersion: text({ max: 128 }).optional(),
  })
  .strict()
  .superRefine((body, ctx) => {
    if ((body.experimentId === undefined) === (body.experimentName === undefined)) {
      ctx.addIssue({ code: 'custom', path: ['experimentId'], message: 'give exactly one of experimentId and experimentName' });
    }
  });
export type CreateRunRequest = z.infer<typeof createRunRequestSchema>;

/**
 * One metric point. The value is a finite number (stored bit-exact) or "NaN" / "Infinity" / "-Infinity" for a
 * diverged metric; a number literal that JSON.parse turns into ±Infinity (1e999) is refused, not stored as one.
 */
export const metricPointSchema = z
  .object({
    key: trackingKeySchema,
    value: metricValueInputSchema,
    step: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER).default(0),
    /** Epoch ms or ISO-8601; defaults to the time the server received the batch. */
    timestamp: timestampSchema.optional(),
  })
  .strict();
export type MetricPoint = z.infer<typeof metricPointSchema>;

export const logBatchRequestSchema = z
  .object({
    metrics: z.array(metricPointSchema).max(TRACKING_LIMITS.metricsPerBatch).default([]),
    params: paramListSchema.default([]),
    tags: tagsSchema.default({}),
  })
  .strict()
  .refine((b) => b.metrics.length + b.params.length + Object.keys(b.tags).length > 0, 'an empty batch: give metrics, params or tags');
export type LogBatchRequest = z.infer<typeof logBatchRequestSchema>;

export const logBatchResultSchema = z.object({ metrics: z.number().int(), params: z.number().int(), tags: z.number().int() });
export type LogBatchResult = z.infer<typeof logBatchResultSchema>;

export const endRunRequestSchema = z
  .object({
    status: terminalRunStatusSchema,
    /** Defaults to now. */
    endTime: timestampSchema.optional(),
  })
  .strict();
export type EndRunRequest = z.infer<typeof endRunRequestSchema>;

export const latestMetricSchema = z.object({ key: z.string(), value: metricValueSchema, step: z.number().int(), timestamp: z.string().datetime() });

export const artifactSchema = z.object({
  path: z.string(),
  sizeBytes: z.number().int(),
  sha256: z.string(),
  contentType: z.string(),
  createdAt: z.string().datetime(),
});
export type ArtifactView = z.infer<typeof artifactSchema>;
export const artifactListSchema = z.object({ artifacts: z.array(artifactSchema) });
export type ArtifactList = z.infer<typeof artifactListSchema>;

export const runSummarySchema = z.object({
  id: z.string().uuid(),
  experimentId: z.string().uuid(),
  name: z.string(),
  status: runStatusSchema,
  seed: z.number().int().nullable(),
  datasetSha256: z.string().nullable(),
  codeVersion: z.string().nullable(),
  createdBy: z.string().nullable(),
  createdAt: z.string().datetime(),
  startedAt: z.string().datetime().nullable(),
  endedAt: z.string().datetime().nullable(),
  /** Set while the run is soft-deleted. */
  deletedAt: z.string().datetime().nullable(),
  params: z.array(z.object({ key: z.string(), value: z.string() })),
  tags: tagsViewSchema,
  /** The latest point (highest step, then newest) of every metric. */
  metrics: z.array(latestMetricSchema),
});
export type RunSummaryView = z.infer<typeof runSummarySchema>;
export const runSchema = runSummarySchema.extend({ artifacts: z.array(artifactSchema) });
export type RunView = z.infer<typeof runSchema>;

export const metricHistoryParamsSchema = z.object({ id: z.string().uuid(), key: trackingKeySchema }).strict();
export const metricHistoryQuerySchema = z
  .object({
    limit: queryInt({ min: 1, max: 10_000, default: 1000 }),
    cursor: cursorSchema.optional(),
  })
  .strict();
export type MetricHistoryQuery = z.infer<typeof metricHistoryQuerySchema>;
export const metricHistorySchema = z.object({
  key: z.string(),
  points: z.array(z.object({ value: metricValueSchema, step: z.number().int(), timestamp: z.string().datetime() })),
  nextCursor: z.string().nullable(),
});
export type MetricHistory = z.infer<typeof metricHistorySchema>;

export const RUN_LIFECYCLES = ['active', 'deleted', 'all'] as const;
export const DEFAULT_RUN_ORDER_BY = 'attributes.created_at DESC';

const filterSchema = z
  .string()
  .max(RUN_FILTER_MAX_LENGTH)
  .superRefine((filter, ctx) => {
    const parsed = parseRunFilter(filter);
    if (!parsed.ok) ctx.addIssue({ code: 'custom', message: parsed.error.message, params: { column: parsed.error.column } });
  });
const orderBySchema = z
  .string()
  .max(400)
  .superRefine((orderBy, ctx) => {
    const parsed = parseRunOrderBy(orderBy);
    if (!parsed.ok) ctx.addIssue({ code: 'custom', message: parsed.error.message });
  });

export const searchRunsRequestSchema = z
  .object({
    /** Only runs of these experiments (all experiments when omitted). */
    experimentIds: z.array(z.string().uuid()).max(100).optional(),
    /** e.g. `metrics.f1 > 0.9 AND (params.criterion = 'gini' OR params.maxDepth IN (4, 8))`; empty matches every run. */
    filter: filterSchema.default(''),
    /** One field and a direction: `metrics.f1 DESC`, `attributes.created_at`, `params.lr ASC`. Runs missing the field sort last. */
    orderBy: orderBySchema.default(DEFAULT_RUN_ORDER_BY),
    limit: z.number().int().min(1).max(1000).default(100),
    /** Opaque cursor from the previous page's `nextCursor`, valid with the same filter and order. */
    cursor: cursorSchema.optional(),
    /** Soft-deleted runs are left out unless asked for. */
    lifecycle: z.enum(RUN_LIFECYCLES).default('active'),
  })
  .strict();
export type SearchRunsRequest = z.infer<typeof searchRunsRequestSchema>;

/** The same search as query parameters: `experimentIds` comma-separated. */
export const searchRunsQuerySchema = z
  .object({
    experimentIds: text({ max: 100 * 37 })
      .transform((ids) => ids.split(',').filter((id) => id !== ''))
      .pipe(z.array(z.string().uuid()).max(100))
      .optional(),
    filter: filterSchema.default(''),
    orderBy: orderBySchema.default(DEFAULT_RUN_ORDER_BY),
    limit: queryInt({ min: 1, max: 1000, default: 100 }),
    cursor: cursorSchema.optional(),
    lifecycle: z.enum(RUN_LIFECYCLES).default('active'),
  })
  .strict();

export const runSearchResultSchema = z.object({ runs: z.array(runSummarySchema), nextCursor: z.string().nullable() });
export type RunSearchResult = z.infer<typeof runSearchResultSchema>;

export const ARTIFACT_PATH_MAX_LENGTH = 900;
/** A path inside a run's artifact folder: relative, `/`-separated, no `.`/`..`/empty segments, backslashes or control characters. */
export function artifactPathProblem(path: string): string | null {
  if (path.length === 0) return 'empty';
  if (path.length > ARTIFACT_PATH_MAX_LENGTH) return `longer than ${ARTIFACT_PATH_MAX_LENGTH} characters`;
  if (path.startsWith('/')) return 'absolute paths are not allowed';
  if (path.includes('\\')) return 'backslashes are not allowed';
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(path)) return 'control characters are not allowed';
  if (!isWellFormedText(path)) return 'must be well-formed Unicode (a lone UTF-16 surrogate is not allowed)';
  if (path.split('/').some((s) => s === '' || s === '.' || s === '..')) return 'empty, "." and ".." path segments are not allowed';
  return null;
}
