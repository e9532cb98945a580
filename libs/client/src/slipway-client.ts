import { createWriteStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import createClient, { type Client } from 'openapi-fetch';
import { z } from 'zod';
import {
  aliasSchema,
  artifactListSchema,
  artifactSchema,
  compareResultSchema,
  experimentListSchema,
  experimentSchema,
  logBatchResultSchema,
  metricHistorySchema,
  modelListSchema,
  modelSchema,
  publicKeySchema,
  resolvedRefSchema,
  runSchema,
  runSearchResultSchema,
  uploadedFileSchema,
  verificationResultSchema,
  versionListSchema,
  versionSchema,
  whoAmISchema,
  type AliasView,
  type ArtifactList,
  type ArtifactView,
  type CompareResult,
  type ExperimentList,
  type ExperimentView,
  type LogBatchResult,
  type MetricHistory,
  type ModelList,
  type ModelView,
  type PublicKeyView,
  type ResolvedRef,
  type RunSearchResult,
  type RunSummaryView,
  type RunView,
  type UploadedFile,
  type VerificationResult,
  type VersionList,
  type VersionView,
  type WhoAmI,
} from '@slipway/contracts';
import type { components, paths } from './generated/api-types';
import { SlipwayApiError, SlipwayIntegrityError } from './slipway-api-error';
import { encodePath, HashingMeter, openUploadSource, type ProgressCallback, type UploadSource } from './transfer';

type Schemas = components['schemas'];
/** Request bodies as the OpenAPI document describes them. */
export type CreateExperimentInput = Schemas['CreateExperimentDto'];
export type CreateRunInput = Schemas['CreateRunDto'];
export type LogBatchInput = Schemas['LogBatchDto'];
export type SearchRunsInput = Schemas['SearchRunsDto'];
export type CreateModelInput = Schemas['CreateModelDto'];
export type CreateVersionInput = Schemas['CreateVersionDto'];
export type FinalizeVersionInput = Schemas['FinalizeVersionDto'];
export type CompareInput = Schemas['CompareDto'];
export type RunEndStatus = Schemas['EndRunDto']['status'];
export type ListExperimentsQuery = NonNullable<paths['/api/v1/experiments']['get']['parameters']['query']>;
export type ListModelsQuery = NonNullable<paths['/api/v1/models']['get']['parameters']['query']>;
export type ListVersionsQuery = NonNullable<paths['/api/v1/models/{name}/versions']['get']['parameters']['query']>;
export type MetricHistoryQuery = NonNullable<paths['/api/v1/runs/{id}/metrics/{key}/history']['get']['parameters']['query']>;

export interface SlipwayClientOptions {
  /** Where the API is, e.g. http://127.0.0.1:3000 (a trailing /api/v1 is accepted too). */
  baseUrl: string;
  /** An API token (`slw_…`). */
  token: string;
  /** Defaults to the global fetch. */
  fetch?: typeof fetch;
}

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

type FetchResult = { data?: unknown; error?: unknown; response: Response };

/**
 * The typed Slipway API client. Paths, parameters and request bodies are typed from the API's OpenAPI
 * document (generated into ./generated); responses are parsed with the same zod contracts the API answers
 * with, so a drift between client and server fails loudly instead of handing out wrong shapes. Every failure
 * is a SlipwayApiError (or a SlipwayIntegrityError when bytes do not hash as expected).
 */
export class SlipwayClient {
  /** The openapi-fetch client, for routes this class does not wrap: `client.raw.GET('/api/v1/audit', …)`. */
  readonly raw: Client<paths>;
  readonly baseUrl: string;
  private readonly token: string;
  private readonly fetchImpl: typeof fetch;

  constructor(options: SlipwayClientOptions) {
    this.baseUrl = options.baseUrl.replace(/\/+$/, '').replace(/\/api\/v1$/, '');
    this.token = options.token;
    this.fetchImpl = options.fetch ?? globalThis.fetch;
    const fetchImpl = this.fetchImpl;
    this.raw = createClient<paths>({
      baseUrl: this.baseUrl,
      headers: { authorization: `Bearer ${options.token}` },
      fetch: async (request: Request) => {
        try {
          return await fetchImpl(request);
        } catch (error) {
          throw SlipwayApiError.unreachable(this.baseUrl, error);
        }
      },
    });
  }

  /** The calling token's name and role. */
  whoami(): Promise<WhoAmI> {
    return this.json(whoAmISchema, this.raw.GET('/api/v1/whoami'));
  }

  readonly experiments = {
    create: (body: CreateExperimentInput): Promise<ExperimentView> => this.json(experimentSchema, this.raw.POST('/api/v1/experiments', { body })),
    list: (query: ListExperimentsQuery = {}): Promise<ExperimentList> =>
      this.json(experimentListSchema, this.raw.GET('/api/v1/experiments', { params: { query } })),
    get: (id: string): Promise<ExperimentView> => this.json(experimentSchema, this.raw.GET('/api/v1/experiments/{id}', { params: { path: { id } } })),
    /** The experiment with exactly this name, or null. */
    findByName: async (name: string): Promise<ExperimentView | null> => {
      for await (const experiment of this.pages(
        (cursor) => this.experiments.list({ nameContains: name, limit: 1000, cursor }),
        (page) => page.experiments,
      )) {
        if (experiment.name === name) return experiment;
      }
      return null;
    },
  };

  readonly runs = {
    /** Starts a run; `experimentName` creates the experiment when it does not exist yet. */
    create: (body: CreateRunInput): Promise<RunView> => this.json(runSchema, this.raw.POST('/api/v1/runs', { body })),
    get: (id: string): Promise<RunView> => this.json(runSchema, this.raw.GET('/api/v1/runs/{id}', { params: { path: { id } } })),
    logBatch: (id: string, body: LogBatchInput): Promise<LogBatchResult> =>
      this.json(logBatchResultSchema, this.raw.POST('/api/v1/runs/{id}/log-batch', { params: { path: { id } }, body })),
    end: (id: string, status: RunEndStatus = 'FINISHED'): Promise<RunView> =>
      this.json(runSchema, this.raw.POST('/api/v1/runs/{id}/end', { params: { path: { id } }, body: { status } })),
    /** One page of runs matching a filter like `metrics.f1 > 0.9 AND params.criterion = 'gini'`. */
    search: (body: SearchRunsInput = {}): Promise<RunSearchResult> => this.json(runSearchResultSchema, this.raw.POST('/api/v1/runs/search', { body })),
    /** Every matching run, page after page. */
    searchAll: (body: Omit<SearchRunsInput, 'cursor'> = {}): AsyncIterable<RunSummaryView> =>
      this.pages(
        (cursor) => this.runs.search({ ...body, cursor }),
        (page) => page.runs,
      ),
    metricHistory: (id: string, key: string, query: MetricHistoryQuery = {}): Promise<MetricHistory> =>
      this.json(metricHistorySchema, this.raw.GET('/api/v1/runs/{id}/metrics/{key}/history', { params: { path: { id, key }, query } })),
  };

  readonly artifacts = {
    list: (runId: string): Promise<ArtifactList> =>
      this.json(artifactListSchema, this.raw.GET('/api/v1/runs/{id}/artifacts', { params: { path: { id: runId } } })),
    /** Streams a file, buffer or stream into the run's artifacts; the sha256 is computed here and checked against the server's. */
    upload: async (runId: string, path: string, source: UploadSource, options: UploadOptions = {}): Promise<ArtifactView> => {
      const url = `/api/v1/runs/${encodeURIComponent(runId)}/artifacts/${encodePath(path)}`;
      const { body, sha256 } = await this.upload(url, source, options);
      const artifact = artifactSchema.parse(body);
      if (artifact.sha256 !== sha256) throw new SlipwayIntegrityError(`artifact ${path} of run ${runId}`, sha256, artifact.sha256);
      return artifact;
    },
    /** Streams an artifact into a file, checking its sha256 against the server's on the way (the file is removed when it differs). */
    download: (runId: string, path: string, destination: string, options: DownloadOptions = {}): Promise<DownloadedFile> =>
      this.download(`/api/v1/runs/${encodeURIComponent(runId)}/artifacts/${encodePath(path)}`, destination, options, `artifact ${path} of run ${runId}`),
  };

  readonly models = {
    create: (body: CreateModelInput): Promise<ModelView> => this.json(modelSchema, this.raw.POST('/api/v1/models', { body })),
    list: (query: ListModelsQuery = {}): Promise<ModelList> => this.json(modelListSchema, this.raw.GET('/api/v1/models', { params: { query } })),
    listAll: (query: Omit<ListModelsQuery, 'cursor'> = {}): AsyncIterable<ModelView> =>
      this.pages(
        (cursor) => this.models.list({ ...query, limit: query.limit ?? 200, cursor }),
        (page) => page.models,
      ),
    get: (name: string): Promise<ModelView> => this.json(modelSchema, this.raw.GET('/api/v1/models/{name}', { params: { path: { name } } })),
    /** The model, created (with no description or tags) when it does not exist yet. */
    ensure: async (name: string): Promise<ModelView> => {
      try {
        return await this.models.get(name);
      } catch (error) {
        if (!(error instanceof SlipwayApiError) || error.status !== 404) throw error;
      }
      try {
        return await this.models.create({ name });
      } catch (error) {
        // Created concurrently by someone else: theirs is as good as ours.
        if (error instanceof SlipwayApiError && error.status === 409) return this.models.get(name);
        throw error;
      }
    },
  };

  readonly versions = {
    /** With `runId` + `artifactPath`: READY at once, copied from the run. Without `artifactPath`: PENDING_UPLOAD. */
    create: (model: string, body: CreateVersionInput = {}): Promise<VersionView> =>
      this.json(versionSchema, this.raw.POST('/api/v1/models/{name}/versions', { params: { path: { name: model } }, body })),
    list: (model: string, query: ListVersionsQuery = {}): Promise<VersionList> =>
      this.json(versionListSchema, this.raw.GET('/api/v1/models/{name}/versions', { params: { path: { name: model }, query } })),
    get: (model: string, version: number): Promise<VersionView> =>
      this.json(versionSchema, this.raw.GET('/api/v1/models/{name}/versions/{version}', { params: { path: { name: model, version: String(version) } } })),
    /** Uploads one file of a PENDING_UPLOAD version (streamed, sha256 checked). */
    uploadFile: async (model: string, version: number, path: string, source: UploadSource, options: UploadOptions = {}): Promise<UploadedFile> => {
      const url = `/api/v1/models/${encodeURIComponent(model)}/versions/${version}/files/${encodePath(path)}`;
      const { body, sha256 } = await this.upload(url, source, options);
      const uploaded = uploadedFileSchema.parse(body);
      if (uploaded.sha256 !== sha256) throw new SlipwayIntegrityError(`file ${path} of ${model} version ${version}`, sha256, uploaded.sha256);
      return uploaded;
    },
    finalize: (model: string, version: number, body: FinalizeVersionInput = {}): Promise<VersionView> =>
      this.json(
        versionSchema,
        this.raw.POST('/api/v1/models/{name}/versions/{version}/finalize', { params: { path: { name: model, version: String(version) } }, body }),
      ),
    /** Registers a run's artifact (a file or a folder) as the model's next version; creates the model when missing. */
    registerFromRun: async (model: string, body: CreateVersionInput & { runId: string; artifactPath: string }): Promise<VersionView> => {
      await this.models.ensure(model);
      return this.versions.create(model, body);
    },
    /**
     * Registers local files as the model's next version: create (PENDING_UPLOAD), upload each file, finalize with
     * the hashes computed here so the server refuses anything that arrived different. Creates the model when missing.
     */
    registerFiles: async (model: string, files: FileToRegister[], options: RegisterFilesOptions = {}): Promise<VersionView> => {
      if (files.length === 0) throw new Error('registerFiles: give at least one file');
      const { onProgress, ...body } = options;
      await this.models.ensure(model);
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
      this.download(
        `/api/v1/models/${encodeURIComponent(model)}/versions/${version}/files/${encodePath(path)}`,
        destination,
        options,
        `file ${path} of ${model} version ${version}`,
      ),
    verify: (model: string, version: number): Promise<VerificationResult> =>
      this.json(
        verificationResultSchema,
        this.raw.GET('/api/v1/models/{name}/versions/{version}/verify', { params: { path: { name: model, version: String(version) } } }),
      ),
  };

  readonly aliases = {
    get: (model: string, alias: string): Promise<AliasView> =>
      this.json(aliasSchema, this.raw.GET('/api/v1/models/{name}/aliases/{alias}', { params: { path: { name: model, alias } } })),
    /** Points `alias` at a READY version (moving it if it exists); `previousVersion` says where it pointed before. */
    set: (model: string, alias: string, version: number): Promise<AliasView> =>
      this.json(aliasSchema, this.raw.PUT('/api/v1/models/{name}/aliases/{alias}', { params: { path: { name: model, alias } }, body: { version } })),
    delete: async (model: string, alias: string): Promise<void> => {
      await this.ok(this.raw.DELETE('/api/v1/models/{name}/aliases/{alias}', { params: { path: { name: model, alias } } }));
    },
  };

  /** `name@alias`, `name@latest`, `name@3` or `name/3` → the version. */
  resolve(ref: string): Promise<ResolvedRef> {
    return this.json(resolvedRefSchema, this.raw.GET('/api/v1/registry/resolve/{ref}', { params: { path: { ref } } }));
  }

  /** Up to 50 versions (`{ versions: [{ model, version }] }`) or runs (`{ runIds }`) side by side. */
  compare(body: CompareInput): Promise<CompareResult> {
    return this.json(compareResultSchema, this.raw.POST('/api/v1/registry/compare', { body }));
  }

  publicKey(): Promise<PublicKeyView> {
    return this.json(publicKeySchema, this.raw.GET('/api/v1/registry/public-key'));
  }

  private async ok(call: Promise<FetchResult>): Promise<FetchResult> {
    const result = await call;
    if (!result.response.ok) throw SlipwayApiError.fromBody(result.response.status, result.error, result.response.headers.get('x-request-id') ?? undefined);
    return result;
  }

  private async json<S extends z.ZodType>(schema: S, call: Promise<FetchResult>): Promise<z.infer<S>> {
    const { data, response } = await this.ok(call);
    const parsed = schema.safeParse(data);
    if (!parsed.success) {
      throw new SlipwayApiError(
        response.status,
        'INTERNAL' as SlipwayApiError['code'],
        `unexpected response from ${response.url}: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
      );
    }
    return parsed.data;
  }

  private async *pages<P extends { nextCursor: string | null }, T>(
    fetchPage: (cursor: string | undefined) => Promise<P>,
    items: (page: P) => T[],
  ): AsyncGenerator<T> {
    let cursor: string | undefined;
    do {
      const page = await fetchPage(cursor);
      yield* items(page);
      cursor = page.nextCursor ?? undefined;
    } while (cursor !== undefined);
  }

  private async send(path: string, init: RequestInit): Promise<Response> {
    const url = `${this.baseUrl}${path}`;
    let response: Response;
    try {
      response = await this.fetchImpl(url, { ...init, headers: { authorization: `Bearer ${this.token}`, ...(init.headers as Record<string, string>) } });
    } catch (error) {
      throw SlipwayApiError.unreachable(this.baseUrl, error);
    }
    if (!response.ok) throw await SlipwayApiError.fromResponse(response);
    return response;
  }

  private async upload(path: string, source: UploadSource, options: UploadOptions): Promise<{ body: unknown; sha256: string }> {
    const opened = await openUploadSource(source, options.sizeBytes);
    const meter = new HashingMeter(opened.sizeBytes, options.onProgress);
    const headers: Record<string, string> = { 'content-type': options.contentType ?? 'application/octet-stream' };
    // A declared length lets the server refuse an over-limit upload before reading it.
    if (opened.sizeBytes !== null) headers['content-length'] = String(opened.sizeBytes);
    const body = Readable.toWeb(opened.stream.pipe(meter)) as ReadableStream<Uint8Array>;
    opened.stream.once('error', (error) => meter.destroy(error));
    const response = await this.send(path, { method: 'PUT', headers, body, duplex: 'half' } as RequestInit & { duplex: 'half' });
    return { body: await response.json(), sha256: meter.sha256() };
  }

  private async download(path: string, destination: string, options: DownloadOptions, what: string): Promise<DownloadedFile> {
    const response = await this.send(path, { method: 'GET' });
    const length = response.headers.get('content-length');
    const meter = new HashingMeter(length !== null && /^\d+$/.test(length) ? Number(length) : null, options.onProgress);
    try {
      if (!response.body) throw new Error(`${what}: the response has no body`);
      await pipeline(Readable.fromWeb(response.body as import('node:stream/web').ReadableStream), meter, createWriteStream(destination));
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

export function createSlipwayClient(options: SlipwayClientOptions): SlipwayClient {
  return new SlipwayClient(options);
}
