import { z } from 'zod';
import { finiteNumber, freeText, int32, nameText, text } from '../common/primitives';

/**
 * The serving process's wire contracts: Slipway's own predict route and the Open Inference Protocol (KServe v2),
 * so existing KServe/Triton clients work unchanged. Every answer names the version that produced it (body field
 * and `x-slipway-version` header) and carries the request id (`x-request-id`).
 */

export const SERVING_HEADERS = { version: 'x-slipway-version', revision: 'x-slipway-revision', requestId: 'x-request-id' } as const;

/** The most rows one request may carry (a batch); larger batches are split by the caller. */
export const MAX_PREDICT_ROWS = 10_000;

/** One input value: a number, a category or a boolean; null for missing (refused unless the model imputes it). */
export const inputValueSchema = z.union([finiteNumber, text({ max: 1024 }), z.boolean(), z.null()]);
/** Largest image side and channel count a request image may have (what an image dataset may declare). */
const IMAGE_SIDE = 512;
const IMAGE_CHANNELS = 3;
/**
 * One image as nested arrays: H rows of W pixels, each pixel C channel values (or one number for a grayscale
 * pixel). The model's own shape is checked by the serving replica, which names the image and the shape it takes.
 */
export const imageRowSchema = z.array(z.array(z.union([finiteNumber, z.array(finiteNumber).max(IMAGE_CHANNELS)])).max(IMAGE_SIDE)).max(IMAGE_SIDE);
/** A row: values in the model's column order, or named columns. Images: nested H×W×C arrays, or the flattened H*W*C numbers. */
export const inputRowSchema = z.union([z.array(inputValueSchema).max(1_000_000), imageRowSchema, z.record(nameText(256), inputValueSchema)]);

export const predictRequestSchema = z
  .object({
    inputs: z.array(inputRowSchema).min(1).max(MAX_PREDICT_ROWS),
    /** Also answer class probabilities (classifiers). */
    probabilities: z.boolean().default(true),
  })
  .strict();
export type PredictRequest = z.infer<typeof predictRequestSchema>;

export const predictResponseSchema = z.object({
  deployment: z.string(),
  revision: z.number().int(),
  model: z.string(),
  version: z.number().int(),
  /** Which route of the revision answered: stable or canary (shadow never answers). */
  role: z.enum(['stable', 'canary']),
  predictions: z.array(z.union([z.number(), z.string(), z.boolean()])),
  /** Classifiers: one row per input, in `labels` order. */
  probabilities: z.object({ labels: z.array(z.union([z.number(), z.string(), z.boolean()])), values: z.array(z.array(z.number())) }).nullable(),
  requestId: z.string(),
});
export type PredictResponse = z.infer<typeof predictResponseSchema>;

/**
 * `POST /v1/deployments/:name/feedback`: a business metric for earlier predictions, named by their request id. Any
 * replica takes it: the replica that answered remembers the id; a request id the replica made up carries the
 * revision and version (`<uuid>.<revision>.<version>`); for an id the caller chose, `version` (the predict answer's
 * `version`) says which version answered.
 */
export const feedbackRequestSchema = z
  .object({
    requestId: text({ max: 128 }),
    metric: nameText(128),
    value: finiteNumber,
    note: freeText(1000).optional(),
    version: int32(1).optional(),
  })
  .strict();
export type FeedbackRequest = z.infer<typeof feedbackRequestSchema>;

// ─── Open Inference Protocol (KServe v2) ───

export const V2_DATATYPES = ['BOOL', 'UINT8', 'UINT16', 'UINT32', 'UINT64', 'INT8', 'INT16', 'INT32', 'INT64', 'FP16', 'FP32', 'FP64', 'BYTES'] as const;
export const v2DatatypeSchema = z.enum(V2_DATATYPES);

/** One tensor element: a number, a BYTES string or a BOOL. */
const v2Scalar = z.union([finiteNumber, text({ max: 65_536 }), z.boolean()]);

const v2Parameters = z.record(nameText(128), z.union([text({ max: 1024 }), finiteNumber, z.boolean()])).optional();

export const v2TensorSchema = z
  .object({
    name: nameText(256),
    shape: z.array(z.number().int().min(0).max(1_000_000_000)).min(1).max(8),
    datatype: v2DatatypeSchema,
    parameters: v2Parameters,
    /** Row-major, flattened; one level of nesting (rows) is accepted and flattened, as KServe's servers do. */
    data: z.array(z.union([v2Scalar, z.array(v2Scalar).max(1_000_000)])).max(10_000_000),
  })
  .strict();
export type V2Tensor = z.infer<typeof v2TensorSchema>;

export const v2InferRequestSchema = z
  .object({
    id: text({ max: 256 }).optional(),
    parameters: v2Parameters,
    inputs: z.array(v2TensorSchema).min(1).max(10_000),
    outputs: z
      .array(z.object({ name: nameText(256), parameters: v2Parameters }).strict())
      .max(16)
      .optional(),
  })
  .strict();
export type V2InferRequest = z.infer<typeof v2InferRequestSchema>;

export const v2InferResponseSchema = z.object({
  model_name: z.string(),
  model_version: z.string(),
  id: z.string(),
  parameters: z.record(z.string(), z.unknown()).optional(),
  outputs: z.array(z.object({ name: z.string(), shape: z.array(z.number().int()), datatype: v2DatatypeSchema, data: z.array(z.unknown()) })),
});
export type V2InferResponse = z.infer<typeof v2InferResponseSchema>;

/** `GET /v2/models/:name`: the model's metadata (its inputs and outputs as tensors). */
export const v2ModelMetadataSchema = z.object({
  name: z.string(),
  versions: z.array(z.string()),
  platform: z.string(),
  inputs: z.array(z.object({ name: z.string(), datatype: v2DatatypeSchema, shape: z.array(z.number().int()) })),
  outputs: z.array(z.object({ name: z.string(), datatype: v2DatatypeSchema, shape: z.array(z.number().int()) })),
});

// ─── per-version traffic aggregates (deployment_metrics) ───

/** Upper bounds (ms) of the latency histogram buckets every serving replica counts into; the last bucket is +Inf. */
export const LATENCY_BUCKETS_MS = [0.5, 1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10_000] as const;

/** Seconds of one aggregate window: replicas add their counts into the row of the window a request ended in. */
export const METRICS_WINDOW_SECONDS = 10;

/**
 * deployment_metrics.features / .predictions: counts per bin. Numeric features and regression outputs use the
 * training profile's histogram edges (so PSI compares like with like; values outside go to the first/last bin);
 * categories count per value (top 100, the rest under `__other__`).
 */
export const binnedCountsSchema = z.union([
  z.object({ kind: z.literal('histogram'), edges: z.array(finiteNumber).min(2).max(1001), counts: z.array(z.number().int().min(0)).max(1000) }).strict(),
  z
    .object({
      kind: z.literal('categories'),
      counts: z.record(text({ max: 1024 }), z.number().int().min(0)).refine((c) => Object.keys(c).length <= 101, 'at most 101 categories'),
    })
    .strict(),
]);
export type BinnedCounts = z.infer<typeof binnedCountsSchema>;
export const featureCountsSchema = z.record(nameText(256), binnedCountsSchema).refine((f) => Object.keys(f).length <= 1000, 'at most 1000 features');
