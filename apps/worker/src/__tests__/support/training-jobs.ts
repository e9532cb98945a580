import { randomUUID } from 'node:crypto';
import { evaluationPlanSchema, type EvaluationPlanInput, type RegisterAs, type TrainingAlgorithm } from '@slipway/contracts';
import { CsvProfiler, datasetFileKey, encodeImageBundle, imageProfile } from '@slipway/dataset-files';
import { UnitOfWork, type DatasetEntity, type TrainingJobEntity } from '@slipway/db';
import { loadBuiltinDataset, type BuiltinDatasetName } from '@slipway/ml-datasets';
import { JobQueue, QueueName } from '@slipway/queue';
import { LocalObjectStore } from '@slipway/storage';

const IRIS_NAMES = ['setosa', 'versicolor', 'virginica'];

/**
 * A built-in sample as the CSV an upload would store: iris with its species as text (so the label map is
 * exercised), the others with numeric targets; `rows` keeps only the first rows (small, fast networks).
 */
export function sampleCsv(
  name: BuiltinDatasetName,
  options: { rows?: number; target?: (row: number, value: number) => string } = {},
): { csv: Buffer; target: string } {
  const data = loadBuiltinDataset(name);
  const rows = Math.min(options.rows ?? data.nRows, data.nRows);
  const label = options.target ?? (name === 'iris' ? (_: number, value: number) => IRIS_NAMES[value] : (_: number, value: number) => String(value));
  const lines = [[...data.featureNames, data.targetName].join(',')];
  for (let i = 0; i < rows; i++) {
    const row: string[] = [];
    for (let j = 0; j < data.nFeatures; j++) row.push(String(data.features[i * data.nFeatures + j]));
    row.push(label(i, data.targets[i]));
    lines.push(row.join(','));
  }
  return { csv: Buffer.from(lines.join('\n') + '\n'), target: data.targetName };
}

/** Stores a dataset the way the API's upload does: the file at its key, profiled, one row by sha256. */
export async function seedDataset(uow: UnitOfWork, objects: LocalObjectStore, name: string, csv: Buffer, targetColumn: string | null): Promise<DatasetEntity> {
  const id = randomUUID();
  const stored = await objects.put(datasetFileKey(id, 'csv'), csv, { contentType: 'text/csv' });
  const existing = await uow.read.datasets.findBySha256(stored.sha256);
  if (existing) {
    await objects.delete(datasetFileKey(id, 'csv'));
    return existing;
  }
  const profiler = new CsvProfiler();
  profiler.push(csv);
  const table = profiler.finish({ targetColumn });
  const dataset = await uow.run({ tokenId: null, name: 'test' }, (tx) =>
    tx.datasets.create({
      id,
      name,
      sha256: stored.sha256,
      rows: table.rows,
      columns: table.columns,
      targetColumn,
      storageUri: stored.uri,
      sizeBytes: stored.sizeBytes,
      profile: table.profile,
    }),
  );
  if (!dataset) throw new Error('dataset not created');
  return dataset;
}

/**
 * The first `count` built-in digits as an 8×8×1 image dataset, stored as the API's image upload stores one: the
 * decoded bundle at its key, profiled by class, no columns and no target.
 */
export async function seedDigitImages(uow: UnitOfWork, objects: LocalObjectStore, count: number): Promise<DatasetEntity> {
  const digits = loadBuiltinDataset('digits');
  const classes = Array.from({ length: 10 }, (_, i) => String(i));
  const header = { height: 8, width: 8, channels: 1 as const, count, classes, source: 'digits' };
  const labels = Uint32Array.from({ length: count }, (_, i) => digits.targets[i]);
  const pixels = Uint8Array.from({ length: count * 64 }, (_, i) => digits.features[i]);
  const id = randomUUID();
  const stored = await objects.put(datasetFileKey(id, 'images'), encodeImageBundle(header, labels, pixels));
  const dataset = await uow.run({ tokenId: null, name: 'test' }, (tx) =>
    tx.datasets.create({
      id,
      name: `digits-${count}`,
      sha256: stored.sha256,
      rows: count,
      columns: [],
      targetColumn: null,
      storageUri: stored.uri,
      sizeBytes: stored.sizeBytes,
      profile: imageProfile(header, labels),
    }),
  );
  if (!dataset) throw new Error('dataset not created');
  return dataset;
}

export interface NewJob {
  dataset: DatasetEntity;
  algorithm: TrainingAlgorithm;
  hyperparameters?: Record<string, unknown>;
  evaluationPlan?: EvaluationPlanInput;
  seed?: number;
  targetColumn?: string | null;
  registerAs?: RegisterAs | null;
  name?: string;
}

/**
 * Creates a QUEUED job through the store, as the API's create does (the API sends its message after commit;
 * `send: false` leaves it without one, as when that send failed).
 */
export async function createJob(uow: UnitOfWork, queue: JobQueue, job: NewJob, options: { send?: boolean } = {}): Promise<TrainingJobEntity> {
  const id = randomUUID();
  const created = await uow.run({ tokenId: null, name: 'alice' }, async (tx) => {
    const experiment = await tx.experiments.getOrCreateByName('training');
    return tx.trainingJobs.create({
      id,
      name: job.name ?? `${job.algorithm} on ${job.dataset.name}`,
      algorithm: job.algorithm,
      hyperparameters: job.hyperparameters ?? {},
      evaluationPlan: evaluationPlanSchema.parse(job.evaluationPlan ?? { kind: 'split' }),
      seed: job.seed ?? 7,
      datasetId: job.dataset.id,
      targetColumn: job.targetColumn === undefined ? job.dataset.targetColumn : job.targetColumn,
      featureColumns: null,
      experimentId: experiment.entity.id,
      registerAs: job.registerAs ?? null,
      maxAttempts: 3,
      createdBy: 'alice',
    });
  });
  if (options.send !== false) {
    const messageId = await queue.send(QueueName.Training, { trainingJobId: id });
    await uow.read.trainingJobs.setQueueJobId(id, messageId);
  }
  return created;
}
