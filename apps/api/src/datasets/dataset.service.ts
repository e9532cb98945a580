import { createHash, randomUUID } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pipeline, Readable, Transform } from 'node:stream';
import { Inject, Injectable, Logger } from '@nestjs/common';
import type { PlatformConfig } from '@slipway/config';
import {
  DATASET_DELIMITERS,
  datasetSchema,
  parseImageSize,
  ErrorCode,
  SlipwayError,
  type DatasetList,
  type DatasetProfileView,
  type DatasetQuery,
  type DatasetSampleList,
  type DatasetUploadQuery,
  type DatasetView,
  type UpdateDatasetRequest,
} from '@slipway/contracts';
import { UnitOfWork, type ChangeContext, type DatasetEntity, type Transaction } from '@slipway/db';
import type { BuiltinDatasetName } from '@slipway/ml-datasets';
import type { ObjectStore } from '@slipway/storage';
import type { RequestActor } from '../auth/auth.decorators';
import { inRequestFields } from '../common/request-fields';
import { respondWithin } from '../common/respond-within';
import { OBJECT_STORE, PLATFORM_CONFIG } from '../infrastructure/tokens';
import { IMAGE_SAMPLE_NAMES, SAMPLE_NAMES, SAMPLE_PROVENANCE, sampleCsv, sampleImageBundle, type ImageSampleName } from './builtin-samples';
import {
  CsvProfiler,
  decodeImageZip,
  datasetFileKey,
  datasetFormatOf,
  FileTooLargeError,
  imageProfile,
  PARQUET_MAGIC,
  profileParquetFile,
  profileTable,
  spoolToTempFile,
  withTempDir,
  type ProfiledTable,
  type SpooledFile,
} from '@slipway/dataset-files';
import { toDatasetProfileView, toDatasetView } from './datasets.views';

class DatasetTooLarge extends Error {}

export interface DatasetUpload {
  body: Readable;
  declaredBytes: number | null;
  /** Defence in depth: create-api-app.ts keeps body parsers off the upload route. */
  consumed: boolean;
}

const CONTENT_TYPES = { csv: 'text/csv', parquet: 'application/vnd.apache.parquet', images: 'application/octet-stream' } as const;

/** The first bytes of a stream (to tell formats apart) and a stream that still yields all of it. */
async function peek(body: Readable, bytes: number): Promise<{ head: Buffer; all: Readable }> {
  const iterator = body[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
  const chunks: Buffer[] = [];
  let size = 0;
  while (size < bytes) {
    const next = await iterator.next();
    if (next.done) break;
    chunks.push(next.value);
    size += next.value.length;
  }
  const head = Buffer.concat(chunks);
  async function* all(): AsyncGenerator<Buffer> {
    try {
      if (head.length) yield head;
      for (;;) {
        const next = await iterator.next();
        if (next.done) return;
        yield next.value;
      }
    } finally {
      await iterator.return?.();
    }
  }
  return { head, all: Readable.from(all(), { objectMode: false }) };
}

const interrupted = () => new SlipwayError(ErrorCode.INVALID_ARGUMENT, 'The upload was interrupted before its end');

const noDataset = (id: string) => new SlipwayError(ErrorCode.NOT_FOUND, `No dataset ${id}`, [{ field: 'params.id', message: 'no such dataset' }]);

@Injectable()
export class DatasetService {
  private readonly logger = new Logger(DatasetService.name);
  maxBytes: number;
  /** sha256 of each built-in sample's bytes → its name: how a dataset knows it is a sample without a column for it. */
  private sampleShas: Map<string, BuiltinDatasetName> | null = null;

  constructor(
    private readonly db: UnitOfWork,
    @Inject(OBJECT_STORE) private readonly objects: ObjectStore,
    @Inject(PLATFORM_CONFIG) config: PlatformConfig,
  ) {
    this.maxBytes = config.datasetMaxBytes;
  }

  /**
   * Streams the CSV into the object store and through the profiler in the same pass (nothing buffered whole), then
   * records the dataset. The same bytes twice answer the dataset already stored (`created: false`). Any failure
   * — bad content, over the limit, a database error — removes the object it wrote: nothing is left half-stored.
   */
  async upload(query: DatasetUploadQuery, upload: DatasetUpload, actor: RequestActor): Promise<{ view: DatasetView; created: boolean }> {
    if (upload.consumed)
      throw new SlipwayError(ErrorCode.INVALID_ARGUMENT, 'Upload the CSV with a Content-Type such as text/csv or application/octet-stream', [
        { field: 'headers.content-type', message: 'bodies of this type are parsed by the API, not streamed' },
      ]);
    if (upload.declaredBytes !== null && upload.declaredBytes > this.maxBytes) throw this.tooLarge();
    const fields = { targetColumn: 'query.targetColumn', columnTypes: 'query.columnTypes' };
    return inRequestFields(fields, () => this.ingest(query, upload.body, actor));
  }

  /** Materialises a built-in sample through the same path as an upload (same profiler, same sha256 dedupe). */
  async createSample(name: BuiltinDatasetName, actor: RequestActor): Promise<{ view: DatasetView; created: boolean }> {
    const sample = sampleCsv(name);
    return this.ingest({ name, targetColumn: sample.targetColumn }, Readable.from([sample.csv]), actor);
  }

  listSamples(): DatasetSampleList {
    return {
      samples: SAMPLE_NAMES.map((name) => {
        const sample = sampleCsv(name);
        return { name, rows: sample.rows, targetColumn: sample.targetColumn, task: sample.task, provenance: SAMPLE_PROVENANCE[name] };
      }),
    };
  }

  private async ingest(query: DatasetUploadQuery, body: Readable, actor: RequestActor): Promise<{ view: DatasetView; created: boolean }> {
    let format = query.format;
    let source = body;
    if (format === undefined) {
      // No format named: a Parquet file says so in its first four bytes; anything else is read as CSV.
      const { head, all } = await peek(body, PARQUET_MAGIC.length).catch((error: unknown) => {
        if (body.destroyed) throw interrupted();
        throw error;
      });
      format = head.subarray(0, PARQUET_MAGIC.length).toString('latin1') === PARQUET_MAGIC ? 'parquet' : 'csv';
      source = all;
    }
    if (format === 'images') return this.ingestImages(query, source, body, actor);
    if (format === 'parquet') return this.ingestParquet(query, source, body, actor);
    return this.ingestCsv(query, source, body, actor);
  }

  private async ingestCsv(query: DatasetUploadQuery, body: Readable, request: Readable, actor: RequestActor): Promise<{ view: DatasetView; created: boolean }> {
    const id = randomUUID();
    const key = datasetFileKey(id, 'csv');
    const profiler = new CsvProfiler(query.delimiter ? DATASET_DELIMITERS[query.delimiter] : undefined);
    let written = false;
    try {
      written = true;
      const stored = await this.objects
        .put(
          key,
          pipeline(body, this.reader(profiler), () => undefined),
          { contentType: CONTENT_TYPES.csv },
        )
        .catch((error: unknown) => {
          if (error instanceof DatasetTooLarge) throw this.tooLarge();
          if (error instanceof SlipwayError) throw error;
          if (request.destroyed) throw interrupted();
          throw error;
        });
      const table = profiler.finish({ overrides: query.columnTypes, targetColumn: query.targetColumn ?? null });
      const existing = await this.db.read.datasets.findBySha256(stored.sha256);
      if (existing) {
        await this.remove(key);
        written = false;
        return this.answerExisting(existing, actor);
      }
      const result = await this.record(query, id, stored, table, actor);
      // Our copy stays only when our row is the dataset.
      written = !result.created;
      return result;
    } finally {
      if (written) await this.remove(key);
    }
  }

  /**
   * Parquet needs its footer, so the upload is spooled to a private temporary file (streamed, bounded by the
   * upload limit, removed afterwards), profiled from there, and only then copied to the object store.
   */
  private async ingestParquet(
    query: DatasetUploadQuery,
    body: Readable,
    request: Readable,
    actor: RequestActor,
  ): Promise<{ view: DatasetView; created: boolean }> {
    const file = await this.spool(body, request);
    try {
      const table = await profileParquetFile(file.path, { overrides: query.columnTypes, targetColumn: query.targetColumn ?? null });
      return await this.storeFile(query, 'parquet', { path: file.path, sha256: file.sha256 }, table, actor);
    } finally {
      await file.remove();
    }
  }

  /**
   * A zip of class-named folders of PNG/JPEG images: spooled like Parquet (a zip's directory is at its end), every
   * image decoded and resized to the declared size into one bundle (`images.bin`), which is what is stored — so the
   * dataset's sha256 is that of its decoded images at that size, and training never decodes again.
   */
  private async ingestImages(
    query: DatasetUploadQuery,
    body: Readable,
    request: Readable,
    actor: RequestActor,
  ): Promise<{ view: DatasetView; created: boolean }> {
    const shape = parseImageSize(query.imageSize as string);
    const zip = await this.spool(body, request);
    try {
      return await withTempDir(async (folder) => {
        const bundlePath = join(folder, 'images.bin');
        const decoded = await decodeImageZip(zip.path, shape, bundlePath);
        return this.storeFile(
          query,
          'images',
          { path: bundlePath, sha256: decoded.sha256 },
          { columns: [], profile: decoded.profile, rows: decoded.header.count },
          actor,
        );
      });
    } finally {
      await zip.remove();
    }
  }

  /** Materialises a built-in sample as an image dataset (digits: 8×8×1), through the same dedupe and recording as an upload. */
  async createImageSample(name: ImageSampleName, actor: RequestActor): Promise<{ view: DatasetView; created: boolean }> {
    const sample = sampleImageBundle(name);
    return withTempDir(async (folder) => {
      const path = join(folder, 'images.bin');
      await writeFile(path, sample.bytes, { mode: 0o600 });
      const sha256 = createHash('sha256').update(sample.bytes).digest('hex');
      const table = { columns: [], rows: sample.header.count, profile: imageProfile(sample.header, sample.labels) };
      return this.storeFile({ name: `${name}-images` }, 'images', { path, sha256 }, table, actor);
    });
  }

  private async spool(body: Readable, request: Readable): Promise<SpooledFile> {
    try {
      return await spoolToTempFile(body, { maxBytes: this.maxBytes });
    } catch (error) {
      if (error instanceof FileTooLargeError) throw this.tooLarge();
      if (request.destroyed) throw interrupted();
      throw error;
    }
  }

  /** Stores a profiled file from disk as a dataset, unless the same bytes are one already. */
  private async storeFile(
    query: Pick<DatasetUploadQuery, 'name' | 'targetColumn'>,
    format: 'parquet' | 'images',
    file: { path: string; sha256: string },
    table: ProfiledTable,
    actor: RequestActor,
  ): Promise<{ view: DatasetView; created: boolean }> {
    const existing = await this.db.read.datasets.findBySha256(file.sha256);
    if (existing) return this.answerExisting(existing, actor);
    const id = randomUUID();
    const key = datasetFileKey(id, format);
    let written = true;
    try {
      const stored = await this.objects.put(key, createReadStream(file.path), { contentType: CONTENT_TYPES[format] });
      const result = await this.record(query, id, stored, table, actor);
      // Our copy stays only when our row is the dataset.
      written = !result.created;
      return result;
    } finally {
      if (written) await this.remove(key);
    }
  }

  /** Inserts the dataset whose file is stored; when a concurrent upload of the same bytes won, answers its dataset (`created: false`: the caller removes its copy). */
  private async record(
    query: Pick<DatasetUploadQuery, 'name' | 'targetColumn'>,
    id: string,
    stored: { sha256: string; uri: string; sizeBytes: number },
    table: ProfiledTable,
    actor: RequestActor,
  ): Promise<{ view: DatasetView; created: boolean }> {
    const created = await this.db.run(actor, async (tx) => {
      const dataset = await tx.datasets.create({
        id,
        name: query.name,
        sha256: stored.sha256,
        rows: table.rows,
        columns: table.columns,
        targetColumn: query.targetColumn ?? null,
        storageUri: stored.uri,
        sizeBytes: stored.sizeBytes,
        profile: table.profile,
      });
      if (!dataset) return null;
      const view = this.view(dataset);
      await tx.record({ action: 'dataset.create', entity: { type: 'dataset', id }, after: view });
      return respondWithin(tx, datasetSchema, view);
    });
    if (created) return { view: created, created: true };
    // A concurrent upload of the same bytes committed first: answer its dataset.
    const winner = await this.db.read.datasets.findBySha256(stored.sha256);
    if (!winner) throw new SlipwayError(ErrorCode.CONFLICT, 'A concurrent upload of the same file was removed while this one finished; retry');
    return this.answerExisting(winner, actor);
  }

  /**
   * The same bytes again: answered 200 with the stored dataset. Under an Idempotency-Key the answer is stored with
   * that status, so a retry replays the 200 rather than the route's 201 for a dataset it did not create.
   */
  private async answerExisting(existing: DatasetEntity, actor: RequestActor): Promise<{ view: DatasetView; created: boolean }> {
    const view = this.view(existing);
    const claim = (actor as RequestActor & ChangeContext).idempotency;
    // Only a request with a key has an answer to keep; without one there is nothing to write.
    if (claim) await this.db.run(actor, (tx) => respondWithin(tx, datasetSchema, view, { status: 200 }));
    return { view, created: false };
  }

  async list(query: DatasetQuery): Promise<DatasetList> {
    const page = await inRequestFields({ cursor: 'query.cursor' }, () => this.db.read.datasets.list(query));
    return { datasets: page.datasets.map((d) => this.view(d)), nextCursor: page.nextCursor };
  }

  async get(id: string): Promise<DatasetView> {
    return this.view(await this.found(id));
  }

  async profile(id: string): Promise<DatasetProfileView> {
    return toDatasetProfileView(await this.found(id));
  }

  /**
   * Renames, changes the target and/or overrides column types. Types and target are checked against the stored
   * file, re-read through the profiler, so the new profile is what the file holds under the new types.
   */
  async update(id: string, request: UpdateDatasetRequest, actor: RequestActor): Promise<DatasetView> {
    const current = await this.found(id);
    let table: ProfiledTable | null = null;
    if (request.columnTypes !== undefined || request.targetColumn !== undefined) {
      const overrides = { ...Object.fromEntries(current.columns.map((c) => [c.name, c.type])), ...request.columnTypes };
      const targetColumn = request.targetColumn === undefined ? current.targetColumn : request.targetColumn;
      table = await inRequestFields({ targetColumn: 'body.targetColumn', columnTypes: 'body.columnTypes' }, () =>
        this.reprofile(current, overrides, targetColumn),
      );
    }
    return this.db.run(actor, async (tx: Transaction) => {
      const locked = await tx.datasets.lock(id);
      if (!locked) throw noDataset(id);
      if (locked.sha256 !== current.sha256) throw new SlipwayError(ErrorCode.CONFLICT, `Dataset ${id} changed while it was being re-profiled; retry`);
      const before = this.view(locked);
      const updated = await tx.datasets.update(id, {
        name: request.name,
        targetColumn: request.targetColumn,
        columns: table?.columns,
        profile: table?.profile,
      });
      const after = this.view(updated);
      await tx.record({ action: 'dataset.update', entity: { type: 'dataset', id }, before, after });
      return respondWithin(tx, datasetSchema, after);
    });
  }

  /** Deletes the dataset and its file; refused (409) while a run, training job or study references it. */
  async delete(id: string, actor: RequestActor): Promise<void> {
    const removed = await this.db.run(actor, async (tx) => {
      const dataset = await tx.datasets.lock(id);
      if (!dataset) throw noDataset(id);
      const refs = await tx.datasets.references(id);
      const users = [
        refs.runs && `${refs.runs} run(s)`,
        refs.trainingJobs && `${refs.trainingJobs} training job(s)`,
        refs.studies && `${refs.studies} study(ies)`,
      ].filter(Boolean);
      if (users.length) throw new SlipwayError(ErrorCode.CONFLICT, `Dataset ${id} is used by ${users.join(', ')}; delete those first`);
      await tx.datasets.delete(id);
      await tx.record({ action: 'dataset.delete', entity: { type: 'dataset', id }, before: this.view(dataset) });
      return dataset;
    });
    // After commit: a rollback must never lose the bytes of a dataset that still exists.
    await this.remove(datasetFileKey(removed.id, datasetFormatOf(removed.profile)));
  }

  private async reprofile(
    dataset: DatasetEntity,
    overrides: Record<string, DatasetEntity['columns'][number]['type']>,
    targetColumn: string | null,
  ): Promise<ProfiledTable> {
    const format = datasetFormatOf(dataset.profile);
    if (format === 'images')
      throw new SlipwayError(ErrorCode.FAILED_PRECONDITION, 'An image dataset has no columns to retype; its classes are its folders', [
        { field: 'columnTypes', message: 'image datasets have no column types' },
      ]);
    let body: Readable;
    try {
      body = await this.objects.get(datasetFileKey(dataset.id, format));
    } catch {
      throw new SlipwayError(ErrorCode.UNAVAILABLE, `The file of dataset ${dataset.id} cannot be read from the object store`);
    }
    return profileTable(body, { format, delimiter: dataset.profile?.delimiter }, { overrides, targetColumn });
  }

  private async found(id: string): Promise<DatasetEntity> {
    const dataset = await this.db.read.datasets.get(id);
    if (!dataset) throw noDataset(id);
    return dataset;
  }

  private view(dataset: DatasetEntity): DatasetView {
    const sample = this.sampleOf(dataset.sha256);
    return toDatasetView(dataset, sample ? { sample, provenance: SAMPLE_PROVENANCE[sample] } : null);
  }

  private sampleOf(sha256: string): BuiltinDatasetName | null {
    if (!this.sampleShas) {
      this.sampleShas = new Map([
        ...SAMPLE_NAMES.map((name) => [createHash('sha256').update(sampleCsv(name).csv).digest('hex'), name] as const),
        ...IMAGE_SAMPLE_NAMES.map((name) => [createHash('sha256').update(sampleImageBundle(name).bytes).digest('hex'), name] as const),
      ]);
    }
    return this.sampleShas.get(sha256) ?? null;
  }

  /** Passes the bytes on to the store, profiling them on the way and cutting off at the size limit. */
  private reader(profiler: CsvProfiler): Transform {
    let seen = 0;
    const max = this.maxBytes;
    return new Transform({
      transform(chunk: Buffer, _encoding, done) {
        seen += chunk.length;
        if (seen > max) return done(new DatasetTooLarge());
        try {
          profiler.push(chunk);
        } catch (error) {
          return done(error as Error);
        }
        done(null, chunk);
      },
    });
  }

  private async remove(key: string): Promise<void> {
    await this.objects.delete(key).catch((error: unknown) => this.logger.warn(`could not remove dataset file ${key}: ${(error as Error).message}`));
  }

  private tooLarge(): SlipwayError {
    return new SlipwayError(ErrorCode.PAYLOAD_TOO_LARGE, `Dataset uploads are limited to ${this.maxBytes} bytes (SLIPWAY_DATASET_MAX_BYTES)`);
  }
}
