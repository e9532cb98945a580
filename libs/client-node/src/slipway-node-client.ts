import { createWriteStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as NodeReadableStream } from 'node:stream/web';
import { artifactFilePath, SlipwayClient, SlipwayIntegrityError, versionFilePath, type CreateVersionInput, type SlipwayClientOptions } from '@slipway/client';
import {
  artifactSchema,
  datasetSchema,
  uploadedFileSchema,
  type ArtifactView,
  type DatasetUploadQuery,
  type DatasetView,
  type UploadedFile,
  type VersionView,
} from '@slipway/contracts';
import { streamingFetch } from './streaming-fetch';
import { HashingMeter, openUploadSource, type ProgressCallback, type UploadSource } from './transfer';

export interface UploadOptions {
  contentType?: string;
  /** Size of a stream source, when known (files and buffers know theirs). */
  sizeBytes?: number;
  onProgress?: ProgressCallback;
}

export interface DownloadOptions {
  onProgress?: ProgressCallback;
}

export interface FileToRegister {
  /** Path inside the version, e.g. `model.json` or `weights/group1.bin`. */
  path: string;
  source: UploadSource;
  sizeBytes?: number;
}

export interface RegisterFilesOptions extends Omit<CreateVersionInput, 'artifactPath'> {
  /** Called for every file as it uploads: which file, bytes so far, its size. */
  onProgress?: (file: string, progress: { bytes: number; totalBytes: number | null }) => void;
}

export interface DownloadedFile {
  sha256: string;
  sizeBytes: number;
}

/**
 * The Slipway client with byte transfers for Node: files, buffers and streams are streamed to the API and
 * from it into files, hashed (sha256) on the way and checked against what the server says it stored. Every
 * JSON route is the isomorphic `@slipway/client`'s, inherited unchanged; only these helpers need Node.
 */
export class SlipwayNodeClient extends SlipwayClient {
  // The core's routes first: `this` read as the base class is the namespace its constructor just built.
  override readonly artifacts = {
    ...(this as SlipwayClient).artifacts,
    /** Streams a file, buffer or stream into the run's artifacts; the sha256 is computed here and checked against the server's. */
    upload: async (runId: string, path: string, source: UploadSource, options: UploadOptions = {}): Promise<ArtifactView> => {
      const { response, sha256 } = await this.upload(artifactFilePath(runId, path), source, options);
      const artifact = await this.parseBody(artifactSchema, response);
      if (artifact.sha256 !== sha256) throw new SlipwayIntegrityError(`artifact ${path} of run ${runId}`, sha256, artifact.sha256);
      return artifact;
    },
    /** Streams an artifact into a file, checking its sha256 against the server's on the way (the file is removed when it differs). */
    download: (runId: string, path: string, destination: string, options: DownloadOptions = {}): Promise<DownloadedFile> =>
      this.download(artifactFilePath(runId, path), destination, options, `artifact ${path} of run ${runId}`),
  };

  override readonly datasets = {
    ...(this as SlipwayClient).datasets,
    /**
     * Uploads a CSV, a Parquet file or (format `images`, with `imageSize`) a zip of class-named folders of images,
     * streamed from disk; the server profiles it on the way in. Without a format, a path ending in `.parquet` is
     * Parquet and `.zip` is images; the server also detects Parquet by its first bytes. The same bytes as a stored
     * dataset answer that dataset. Tables: the sha256 computed here must match the server's. Images: the server
     * stores the decoded, resized images, so the dataset's sha256 is theirs, not the zip's.
     */
    upload: async (
      source: UploadSource,
      query: Omit<DatasetUploadQuery, 'columnTypes'> & { columnTypes?: Record<string, string> },
      options: UploadOptions = {},
    ): Promise<DatasetView> => {
      const format = query.format ?? datasetFormatOfPath(source);
      const params = new URLSearchParams({ name: query.name });
      if (format !== undefined) params.set('format', format);
      if (query.imageSize !== undefined) params.set('imageSize', query.imageSize);
      if (query.targetColumn !== undefined) params.set('targetColumn', query.targetColumn);
      if (query.delimiter !== undefined) params.set('delimiter', query.delimiter);
      if (query.columnTypes !== undefined) params.set('columnTypes', JSON.stringify(query.columnTypes));
      const contentType = format === 'images' ? 'application/zip' : format === 'parquet' ? 'application/vnd.apache.parquet' : 'text/csv';
      const { response, sha256 } = await this.upload(`/api/v1/datasets?${params.toString()}`, source, { contentType, ...options });
      const dataset = await this.parseBody(datasetSchema, response);
      if (dataset.format !== 'images' && dataset.sha256 !== sha256) throw new SlipwayIntegrityError(`dataset ${query.name}`, sha256, dataset.sha256);
      return dataset;
    },
  };

  override readonly versions = {
    ...(this as SlipwayClient).versions,
    /** Uploads one file of a PENDING_UPLOAD version (streamed, sha256 checked). */
    uploadFile: async (model: string, version: number, path: string, source: UploadSource, options: UploadOptions = {}): Promise<UploadedFile> => {
      const { response, sha256 } = await this.upload(versionFilePath(model, version, path), source, options);
      const uploaded = await this.parseBody(uploadedFileSchema, response);
      if (uploaded.sha256 !== sha256) throw new SlipwayIntegrityError(`file ${path} of ${model} version ${version}`, sha256, uploaded.sha256);
      return uploaded;
    },
    /**
     * Registers local files as the model's next version: create (PENDING_UPLOAD), upload each file, finalize with
     * the hashes computed here so the server refuses anything that arrived different. Creates the model when missing.
     */
    registerFiles: async (model: string, files: FileToRegister[], options: RegisterFilesOptions = {}): Promise<VersionView> => {
      if (files.length === 0) throw new Error('registerFiles: give at least one file');
      const { onProgress, ...body } = options;
      // The API creates the model with its first version.
      const pending = await this.versions.create(model, body);
      const uploaded: UploadedFile[] = [];
      for (const file of files) {
        uploaded.push(
          await this.versions.uploadFile(model, pending.version, file.path, file.source, {
            sizeBytes: file.sizeBytes,
            onProgress: onProgress && ((p) => onProgress(file.path, p)),
          }),
        );
      }
      return this.versions.finalize(model, pending.version, { files: uploaded.map(({ path, sha256, sizeBytes }) => ({ path, sha256, sizeBytes })) });
    },
    downloadFile: (model: string, version: number, path: string, destination: string, options: DownloadOptions = {}): Promise<DownloadedFile> =>
      this.download(versionFilePath(model, version, path), destination, options, `file ${path} of ${model} version ${version}`),
  };

  private async upload(path: string, source: UploadSource, options: UploadOptions): Promise<{ response: Response; sha256: string }> {
    const opened = await openUploadSource(source, options.sizeBytes);
    const meter = new HashingMeter(opened.sizeBytes, options.onProgress);
    const headers: Record<string, string> = { 'content-type': options.contentType ?? 'application/octet-stream' };
    // A declared length lets the server refuse an over-limit upload before reading it.
    if (opened.sizeBytes !== null) headers['content-length'] = String(opened.sizeBytes);
    const body = Readable.toWeb(opened.stream.pipe(meter)) as ReadableStream<Uint8Array>;
    opened.stream.once('error', (error) => meter.destroy(error));
    // Not the client's fetch: undici's would hold the whole body in memory (see streamingFetch). A fetch the
    // caller injected (tests, proxies) is used as given.
    const transport = this.options.fetch ?? streamingFetch;
    const response = await this.send(path, { method: 'PUT', headers, body, duplex: 'half' } as RequestInit & { duplex: 'half' }, transport);
    return { response, sha256: meter.sha256() };
  }

  private async download(path: string, destination: string, options: DownloadOptions, what: string): Promise<DownloadedFile> {
    const response = await this.send(path, { method: 'GET' });
    const length = response.headers.get('content-length');
    const meter = new HashingMeter(length !== null && /^\d+$/.test(length) ? Number(length) : null, options.onProgress);
    try {
      if (!response.body) throw new Error(`${what}: the response has no body`);
      await pipeline(Readable.fromWeb(response.body as NodeReadableStream), meter, createWriteStream(destination));
      const expected = response.headers.get('x-slipway-sha256');
      const actual = meter.sha256();
      if (expected !== null && expected !== actual) throw new SlipwayIntegrityError(what, expected, actual);
      return { sha256: actual, sizeBytes: meter.bytes };
    } catch (error) {
      await rm(destination, { force: true });
      throw error;
    }
  }
}

export function createSlipwayNodeClient(options: SlipwayClientOptions): SlipwayNodeClient {
  return new SlipwayNodeClient(options);
}

/** The upload format a file's extension names (`.parquet`, `.zip`); undefined leaves it to the server (CSV, or Parquet by its magic bytes). */
export function datasetFormatOfPath(source: UploadSource): DatasetUploadQuery['format'] {
  if (typeof source !== 'string') return undefined;
  const lower = source.toLowerCase();
  if (lower.endsWith('.parquet') || lower.endsWith('.pq')) return 'parquet';
  if (lower.endsWith('.zip')) return 'images';
  return undefined;
}
