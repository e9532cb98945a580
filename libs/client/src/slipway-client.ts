import createClient, { type Client } from 'openapi-fetch';
import { z } from 'zod';
import {
  ErrorCode,
  aliasSchema,
  artifactListSchema,
  artifactSchema,
  compareResultSchema,
  createdApiTokenSchema,
  experimentListSchema,
  experimentSchema,
  healthResponseSchema,
  logBatchResultSchema,
  metricHistorySchema,
  modelListSchema,
  modelSchema,
  datasetListSchema,
  datasetProfileViewSchema,
  datasetSampleListSchema,
  datasetSchema,
  deploymentEventListSchema,
  deploymentListSchema,
  deploymentMetricsSchema,
  deploymentRevisionListSchema,
  deploymentSchema,
  predictResponseSchema,
  SERVING_HEADERS,
  overviewResponseSchema,
  publicKeySchema,
  resolvedRefSchema,
  runSchema,
  runSearchResultSchema,
  trainingAlgorithmListSchema,
  trainingJobListSchema,
  trainingJobSchema,
  tuningStudyDetailSchema,
  tuningStudyListSchema,
  tuningStudySchema,
  verificationResultSchema,
  versionListSchema,
  versionSchema,
  whoAmISchema,
  workerListResponseSchema,
  type AliasView,
  type ArtifactList,
  type ArtifactView,
  type CompareResult,
  type CreatedApiToken,
  type ExperimentList,
  type ExperimentView,
  type HealthResponse,
  type LogBatchResult,
  type MetricHistory,
  type ModelList,
  type ModelView,
  type DatasetList,
  type DatasetProfileView,
  type DatasetSampleList,
  type DatasetView,
  type UpdateDatasetRequest,
  type DeploymentList,
  type DeploymentMetricsView,
  type DeploymentView,
  type FeedbackRequest,
  type PredictResponse,
  type OverviewResponse,
  type PublicKeyView,
  type ResolvedRef,
  type RunSearchResult,
  type RunSummaryView,
  type RunView,
  type CreateTrainingJobRequestInput,
  type RegisterTrainingJobRequest,
  type TrainingAlgorithmList,
  type TrainingJobList,
  type TrainingJobView,
  type CreateStudyRequestInput,
  type RegisterBestRequest,
  type ResumeStudyRequest,
  type TuningStudyDetail,
  type TuningStudyList,
  type TuningStudyView,
  type VerificationResult,
  type VersionList,
  type VersionView,
  type WhoAmI,
  type WorkerListResponse,
} from '@slipway/contracts';
import type { components, paths } from './generated/api-types';
import {
  DEFAULT_SERVING_URL,
  DeploymentConflictError,
  waitForRollout,
  type DeploymentActionRoute,
  type RolloutOutcome,
  type WaitForRolloutOptions,
} from './deployments';
import { artifactFilePath } from './paths';
import { SlipwayApiError, SlipwayIntegrityError } from './slipway-api-error';
import { waitForStudy, type WaitForStudyOptions } from './studies';
import { waitForTrainingJob, type WaitForTrainingJobOptions } from './training-jobs';

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
export type ListDatasetsQuery = NonNullable<paths['/api/v1/datasets']['get']['parameters']['query']>;
export type ListModelsQuery = NonNullable<paths['/api/v1/models']['get']['parameters']['query']>;
export type ListVersionsQuery = NonNullable<paths['/api/v1/models/{name}/versions']['get']['parameters']['query']>;
export type MetricHistoryQuery = NonNullable<paths['/api/v1/runs/{id}/metrics/{key}/history']['get']['parameters']['query']>;
export type CreateTokenInput = Schemas['CreateApiTokenDto'];
export type ListTrainingJobsQuery = NonNullable<paths['/api/v1/training-jobs']['get']['parameters']['query']>;
export type ListStudiesQuery = NonNullable<paths['/api/v1/studies']['get']['parameters']['query']>;
export type CreateDeploymentInput = Schemas['CreateDeploymentDto'];
export type UpdateDeploymentInput = Schemas['UpdateDeploymentDto'];
export type StartCanaryInput = Schemas['StartCanaryDto'];
export type SetShadowInput = Schemas['SetShadowDto'];
export type StartRolloutInput = Schemas['StartRolloutDto'];
export type DeploymentActionInput = Schemas['DeploymentActionDto'];
export type ListDeploymentsQuery = NonNullable<paths['/api/v1/deployments']['get']['parameters']['query']>;
export type DeploymentRevisionsQuery = NonNullable<paths['/api/v1/deployments/{name}/revisions']['get']['parameters']['query']>;
export type DeploymentEventsQuery = NonNullable<paths['/api/v1/deployments/{name}/events']['get']['parameters']['query']>;
/** The body of each revision-writing action, by its route. */
export interface DeploymentActionBodies {
  canary: StartCanaryInput;
  shadow: SetShadowInput;
  rollout: StartRolloutInput;
  promote: DeploymentActionInput;
  rollback: DeploymentActionInput;
  abort: DeploymentActionInput;
}
/** `act`'s body: `baseRevision` may be left out, and is then read from the deployment first. */
export type ActBody<A extends DeploymentActionRoute> = Omit<DeploymentActionBodies[A], 'baseRevision'> & { baseRevision?: number };

export interface PredictOptions {
  /** The serving process (default: the client's `servingUrl`, else http://127.0.0.1:8090). */
  servingUrl?: string;
  /** Class probabilities for classifiers; default true. */
  probabilities?: boolean;
  /** Sent as x-request-id (and answered back); the serving process makes one up otherwise. Feedback names it. */
  requestId?: string;
  /** Extra request headers, e.g. the one a sticky canary hashes (`x-user`). */
  headers?: Record<string, string>;
}

/** `trainingJobs.register`: the version, and whether this call made it (false: the job was already registered to that model). */
export interface RegisteredTrainingJob {
  version: VersionView;
  created: boolean;
}

/** `trainingJobs.create`: a key of its own unless one is given, so its retries (and the caller's) never queue twice. */
export interface CreateTrainingJobOptions extends CreateOptions {
  /** Retries after an UNAVAILABLE answer (unreachable, timed out, 503), with the same key; default 2. */
  retries?: number;
}

/** `studies.create`: as trainingJobs.create, always with a key, so a retried create never makes a second study. */
export type CreateStudyOptions = CreateTrainingJobOptions;

/** A token, or a function asked before every request (the console's signed-in person changes per request); none sends no authorization header. */
export type TokenSource = string | (() => string | undefined | Promise<string | undefined>);

export interface SlipwayClientOptions {
  /** Where the API is, e.g. http://127.0.0.1:3000 (a trailing /api/v1 is accepted too). */
  baseUrl: string;
  /** An API token (`slw_…`) or where to get one per request; without one, requests carry no authorization header. */
  token?: TokenSource;
  /** Defaults to the global fetch. */
  fetch?: typeof fetch;
  /** A JSON call that has not answered within this many ms fails as UNAVAILABLE. Byte transfers are never cut short. */
  timeoutMs?: number;
  /** Where the serving process answers predictions (its own port, not the API's); default http://127.0.0.1:8090. */
  servingUrl?: string;
}

/**
 * For calls that create something. The client never retries by itself (trainingJobs.create excepted: it always
 * sends a key, so a retry is safe); a caller that retries a create (after
 * a timeout, say) passes the same `idempotencyKey` each time, and the API answers every retry with the first
 * result instead of creating again.
 */
export interface CreateOptions {
  /** Sent as `Idempotency-Key`: 1-255 visible ASCII characters, e.g. crypto.randomUUID(), kept for the retries. */
  idempotencyKey?: string;
}

const idempotency = (options: CreateOptions | undefined): { headers?: Record<string, string> } =>
  options?.idempotencyKey === undefined ? {} : { headers: { 'Idempotency-Key': options.idempotencyKey } };

export interface BytesUploadOptions {
  contentType?: string;
}

/** What a JSON call accepts besides 2xx: health answers 503 with its report when the platform is down. */
interface JsonCallOptions {
  acceptStatuses?: readonly number[];
}

type FetchResult = { data?: unknown; error?: unknown; response: Response };

/**
 * The typed Slipway API client, the one every caller uses (CLI, console server, e2e suite, scripts). Paths,
 * parameters and request bodies are typed from the API's OpenAPI document (generated into ./generated);
 * responses are parsed with the same zod contracts the API answers with, so a drift between client and
 * server fails loudly instead of handing out wrong shapes. Every failure is a SlipwayApiError (or a
 * SlipwayIntegrityError when bytes do not hash as expected).
 *
 * Isomorphic: fetch, Request and WebCrypto only, no Node built-ins, so it runs in Node, in a browser and in
 * Next's server. Streaming files from and to disk is `@slipway/client-node`, which extends this class.
 */
export class SlipwayClient {
  /** The openapi-fetch client, for routes this class does not wrap: `client.raw.GET('/api/v1/audit', …)`. */
  readonly raw: Client<paths>;
  readonly baseUrl: string;
  protected readonly options: SlipwayClientOptions;
  private readonly fetchImpl: typeof fetch;

  constructor(options: SlipwayClientOptions) {
    this.options = options;
    this.baseUrl = options.baseUrl.replace(/\/+$/, '').replace(/\/api\/v1$/, '');
    this.fetchImpl = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
    const { timeoutMs } = options;
    this.raw = createClient<paths>({
      baseUrl: this.baseUrl,
      fetch: async (request: Request) => {
        await this.authorize(request.headers);
        try {
          return await this.fetchImpl(request, timeoutMs === undefined ? undefined : { signal: AbortSignal.timeout(timeoutMs) });
        } catch (error) {
          throw SlipwayApiError.unreachable(this.baseUrl, error, { requestUrl: request.url, timeoutMs });
        }
      },
    });
  }

  /** The same client acting with another token (the console checks a pasted token before signing in with it). */
  withToken(token: TokenSource | undefined): this {
    return new (this.constructor as new (options: SlipwayClientOptions) => this)({ ...this.options, token });
  }

  // ── platform ──────────────────────────────────────────────────────────────

  /** Counts for the overview page. */
  overview(): Promise<OverviewResponse> {
    return this.json(overviewResponseSchema, this.raw.GET('/api/v1/overview'));
  }

  workers(): Promise<WorkerListResponse> {
    return this.json(workerListResponseSchema, this.raw.GET('/api/v1/workers'));
  }

  /** The platform's health; a platform that is down answers 503 with the same report, which is data here, not an error. */
  health(): Promise<HealthResponse> {
    return this.json(healthResponseSchema, this.raw.GET('/health'), { acceptStatuses: [503] });
  }

  // ── identity ──────────────────────────────────────────────────────────────

  /** The calling token's name and role. */
  whoami(): Promise<WhoAmI> {
    return this.json(whoAmISchema, this.raw.GET('/api/v1/whoami'));
  }

  readonly tokens = {
    /** A new token (admin only); the answer is the only place its secret ever appears. */
    create: (body: CreateTokenInput, options?: CreateOptions): Promise<CreatedApiToken> =>
      this.json(createdApiTokenSchema, this.raw.POST('/api/v1/tokens', { body, ...idempotency(options) })),
  };

  // ── experiment tracking ───────────────────────────────────────────────────

  readonly experiments = {
    create: (body: CreateExperimentInput, options?: CreateOptions): Promise<ExperimentView> =>
      this.json(experimentSchema, this.raw.POST('/api/v1/experiments', { body, ...idempotency(options) })),
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
    create: (body: CreateRunInput, options?: CreateOptions): Promise<RunView> =>
      this.json(runSchema, this.raw.POST('/api/v1/runs', { body, ...idempotency(options) })),
    get: (id: string): Promise<RunView> => this.json(runSchema, this.raw.GET('/api/v1/runs/{id}', { params: { path: { id } } })),
    logBatch: (id: string, body: LogBatchInput, options?: CreateOptions): Promise<LogBatchResult> =>
      this.json(logBatchResultSchema, this.raw.POST('/api/v1/runs/{id}/log-batch', { params: { path: { id } }, body, ...idempotency(options) })),
    end: (id: string, status: RunEndStatus = 'FINISHED'): Promise<RunView> =>
      this.json(runSchema, this.raw.POST('/api/v1/runs/{id}/end', { params: { path: { id } }, body: { status } })),
    /**
     * One page of runs matching a filter like `metrics.f1 > 0.9 AND params.criterion = 'gini'`. The filter is
     * sent as text and parsed by the API only: checking it here too would parse it twice in one process.
     */
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
    /**
     * Stores bytes held in memory as one of the run's artifacts; the sha256 is computed here (WebCrypto) and checked
     * against the server's. Files and streams from disk: `@slipway/client-node`'s `artifacts.upload`.
     */
    uploadBytes: async (runId: string, path: string, bytes: Uint8Array | string, options: BytesUploadOptions = {}): Promise<ArtifactView> => {
      const body = typeof bytes === 'string' ? new TextEncoder().encode(bytes) : bytes;
      const [response, sha256] = await Promise.all([
        this.send(artifactFilePath(runId, path), {
          method: 'PUT',
          headers: { 'content-type': options.contentType ?? 'application/octet-stream' },
          body: body as NonNullable<RequestInit['body']>,
        }),
        sha256Hex(body),
      ]);
      const artifact = await this.parseBody(artifactSchema, response);
      if (artifact.sha256 !== sha256) throw new SlipwayIntegrityError(`artifact ${path} of run ${runId}`, sha256, artifact.sha256);
      return artifact;
    },
  };

  // ── datasets ──────────────────────────────────────────────────────────────
  // Uploading a file is in @slipway/client-node (SlipwayNodeClient.datasets.upload): it streams from disk.

  readonly datasets = {
    list: (query: ListDatasetsQuery = {}): Promise<DatasetList> => this.json(datasetListSchema, this.raw.GET('/api/v1/datasets', { params: { query } })),
    get: (id: string): Promise<DatasetView> => this.json(datasetSchema, this.raw.GET('/api/v1/datasets/{id}', { params: { path: { id } } })),
    profile: (id: string): Promise<DatasetProfileView> =>
      this.json(datasetProfileViewSchema, this.raw.GET('/api/v1/datasets/{id}/profile', { params: { path: { id } } })),
    update: (id: string, body: UpdateDatasetRequest): Promise<DatasetView> =>
      this.json(datasetSchema, this.raw.PATCH('/api/v1/datasets/{id}', { params: { path: { id } }, body })),
    delete: async (id: string): Promise<void> => {
      await this.ok(this.raw.DELETE('/api/v1/datasets/{id}', { params: { path: { id } } }));
    },
    samples: (): Promise<DatasetSampleList> => this.json(datasetSampleListSchema, this.raw.GET('/api/v1/datasets/samples')),
    /** Stores a built-in sample as a dataset (the existing one when it is already there). */
    createSample: (name: DatasetSampleList['samples'][number]['name'], options?: CreateOptions): Promise<DatasetView> =>
      this.json(datasetSchema, this.raw.POST('/api/v1/datasets/samples/{name}', { params: { path: { name } }, ...idempotency(options) })),
    /** Stores a built-in sample as an image dataset for the CNN (digits: 8×8×1), the existing one when it is already there. */
    createImageSample: (name: 'digits', options?: CreateOptions): Promise<DatasetView> =>
      this.json(datasetSchema, this.raw.POST('/api/v1/datasets/samples/{name}/images', { params: { path: { name } }, ...idempotency(options) })),
  };

  // ── training jobs ─────────────────────────────────────────────────────────

  readonly trainingJobs = {
    /** Each algorithm's hyper-parameters as JSON Schema (bounds, defaults), its tasks and the dataset kind it trains on. */
    algorithms: (): Promise<TrainingAlgorithmList> => this.json(trainingAlgorithmListSchema, this.raw.GET('/api/v1/training-jobs/algorithms')),
    /**
     * Queues a job (QUEUED). Always sent with an Idempotency-Key (`options.idempotencyKey`, else a new UUID) and
     * retried with that same key when the answer is lost to an outage: the API answers a retry with the first job,
     * so a create that timed out after the commit never queues a second one.
     */
    create: async (body: CreateTrainingJobRequestInput, options: CreateTrainingJobOptions = {}): Promise<TrainingJobView> => {
      const idempotencyKey = options.idempotencyKey ?? globalThis.crypto.randomUUID();
      const retries = options.retries ?? 2;
      for (let attempt = 0; ; attempt++) {
        try {
          return await this.json(
            trainingJobSchema,
            this.raw.POST('/api/v1/training-jobs', { body: body as Schemas['CreateTrainingJobDto'], ...idempotency({ idempotencyKey }) }),
          );
        } catch (error) {
          // A 409 after a lost answer is our own first request still running under the key: wait for it.
          const retriable = error instanceof SlipwayApiError && (error.code === ErrorCode.UNAVAILABLE || (attempt > 0 && error.code === ErrorCode.CONFLICT));
          if (!retriable || attempt >= retries) throw error;
          await new Promise((resolve) => setTimeout(resolve, 250 * 4 ** attempt));
        }
      }
    },
    list: (query: ListTrainingJobsQuery = {}): Promise<TrainingJobList> =>
      this.json(trainingJobListSchema, this.raw.GET('/api/v1/training-jobs', { params: { query } })),
    /** Every job matching the query, page after page, newest first. */
    listAll: (query: Omit<ListTrainingJobsQuery, 'cursor'> = {}): AsyncIterable<TrainingJobView> =>
      this.pages(
        (cursor) => this.trainingJobs.list({ ...query, limit: query.limit ?? 200, cursor }),
        (page) => page.jobs,
      ),
    get: (id: string): Promise<TrainingJobView> => this.json(trainingJobSchema, this.raw.GET('/api/v1/training-jobs/{id}', { params: { path: { id } } })),
    /** A QUEUED job ends CANCELLED at once; a RUNNING one gets `cancelRequestedAt` and stops at its worker's next heartbeat. 409 once ended. */
    cancel: (id: string, reason?: string): Promise<TrainingJobView> =>
      this.json(
        trainingJobSchema,
        this.raw.POST('/api/v1/training-jobs/{id}/cancel', { params: { path: { id } }, body: reason === undefined ? {} : { reason } }),
      ),
    /**
     * Registers a SUCCEEDED job's model as the next version of `model` (moving `alias` onto it). Needs no key: the
     * same model again answers the version the job already made (`created: false`); another model is a 409.
     */
    register: async (id: string, body: RegisterTrainingJobRequest): Promise<RegisteredTrainingJob> => {
      const { data, response } = await this.ok(this.raw.POST('/api/v1/training-jobs/{id}/register', { params: { path: { id } }, body }));
      return { version: this.checked(versionSchema, data, response.status, response.url), created: response.status === 201 };
    },
    /** Polls the job until it is SUCCEEDED, FAILED or CANCELLED and resolves with it; see WaitForTrainingJobOptions. */
    waitFor: (id: string, options?: WaitForTrainingJobOptions): Promise<TrainingJobView> =>
      waitForTrainingJob((jobId) => this.trainingJobs.get(jobId), id, options),
  };

  // ── tuning studies ────────────────────────────────────────────────────────

  readonly studies = {
    /**
     * Creates a study (RUNNING unless `start: false`). Always sent with an Idempotency-Key and retried with it
     * after an outage, as trainingJobs.create: a create whose answer was lost never makes a second study.
     */
    create: async (body: CreateStudyRequestInput, options: CreateStudyOptions = {}): Promise<TuningStudyView> => {
      const idempotencyKey = options.idempotencyKey ?? globalThis.crypto.randomUUID();
      const retries = options.retries ?? 2;
      for (let attempt = 0; ; attempt++) {
        try {
          return await this.json(
            tuningStudySchema,
            this.raw.POST('/api/v1/studies', { body: body as Schemas['CreateStudyDto'], ...idempotency({ idempotencyKey }) }),
          );
        } catch (error) {
          // A 409 after a lost answer is our own first request still running under the key (not a taken name: that is ALREADY_EXISTS).
          const retriable = error instanceof SlipwayApiError && (error.code === ErrorCode.UNAVAILABLE || (attempt > 0 && error.code === ErrorCode.CONFLICT));
          if (!retriable || attempt >= retries) throw error;
          await new Promise((resolve) => setTimeout(resolve, 250 * 4 ** attempt));
        }
      }
    },
    list: (query: ListStudiesQuery = {}): Promise<TuningStudyList> => this.json(tuningStudyListSchema, this.raw.GET('/api/v1/studies', { params: { query } })),
    /** Every study matching the query, page after page, newest first. */
    listAll: (query: Omit<ListStudiesQuery, 'cursor'> = {}): AsyncIterable<TuningStudyView> =>
      this.pages(
        (cursor) => this.studies.list({ ...query, limit: query.limit ?? 200, cursor }),
        (page) => page.studies,
      ),
    /** The study with every trial (by number) and parameter importance. */
    get: (id: string): Promise<TuningStudyDetail> => this.json(tuningStudyDetailSchema, this.raw.GET('/api/v1/studies/{id}', { params: { path: { id } } })),
    getByName: (name: string): Promise<TuningStudyDetail> =>
      this.json(tuningStudyDetailSchema, this.raw.GET('/api/v1/studies/by-name/{name}', { params: { path: { name } } })),
    /** CREATED → RUNNING, optionally with a new budget; 409 in any other state. */
    start: (id: string, body: ResumeStudyRequest = {}): Promise<TuningStudyView> =>
      this.json(tuningStudySchema, this.raw.POST('/api/v1/studies/{id}/start', { params: { path: { id } }, body })),
    /** RUNNING → STOPPING (STOPPED once its trials are cancelled); a CREATED study STOPPED at once; 409 once ended. */
    stop: (id: string, reason?: string): Promise<TuningStudyView> =>
      this.json(tuningStudySchema, this.raw.POST('/api/v1/studies/{id}/stop', { params: { path: { id } }, body: reason === undefined ? {} : { reason } })),
    /** STOPPED, FAILED or COMPLETED → RUNNING; a COMPLETED study needs a higher maxTrials, one FAILED on failures a higher maxFailedTrials (the 409 says which). */
    resume: (id: string, body: ResumeStudyRequest = {}): Promise<TuningStudyView> =>
      this.json(tuningStudySchema, this.raw.POST('/api/v1/studies/{id}/resume', { params: { path: { id } }, body })),
    /** Registers the best completed trial's model as the next version of `model` (moving `alias`); once per study, the same model again answers that version. */
    registerBest: (id: string, body: RegisterBestRequest): Promise<VersionView> =>
      this.json(versionSchema, this.raw.POST('/api/v1/studies/{id}/register-best', { params: { path: { id } }, body })),
    /** Polls the study until it is COMPLETED, STOPPED or FAILED and resolves with it; `onProgress` hears each change. */
    waitFor: (id: string, options?: WaitForStudyOptions): Promise<TuningStudyDetail> => waitForStudy((studyId) => this.studies.get(studyId), id, options),
  };

  // ── deployments ───────────────────────────────────────────────────────────

  readonly deployments = {
    /** Revision 1 of a new deployment serving a READY version (or what an alias points at now). */
    create: (body: CreateDeploymentInput, options?: CreateOptions): Promise<DeploymentView> =>
      this.json(deploymentSchema, this.raw.POST('/api/v1/deployments', { body, ...idempotency(options) })),
    list: (query: ListDeploymentsQuery = {}): Promise<DeploymentList> =>
      this.json(deploymentListSchema, this.raw.GET('/api/v1/deployments', { params: { query } })),
    /** Every deployment matching the query, page after page, newest first. */
    listAll: (query: Omit<ListDeploymentsQuery, 'cursor'> = {}): AsyncIterable<DeploymentView> =>
      this.pages(
        (cursor) => this.deployments.list({ ...query, limit: query.limit ?? 200, cursor }),
        (page) => page.deployments,
      ),
    get: (name: string): Promise<DeploymentView> => this.json(deploymentSchema, this.raw.GET('/api/v1/deployments/{name}', { params: { path: { name } } })),
    /** Description, alias policy or the deployment's own rollout plan; what serves is unchanged (no revision). */
    update: (name: string, body: UpdateDeploymentInput): Promise<DeploymentView> =>
      this.json(deploymentSchema, this.raw.PATCH('/api/v1/deployments/{name}', { params: { path: { name } }, body })),
    /** DELETED: nothing is served; revisions and events stay readable. */
    delete: (name: string): Promise<DeploymentView> =>
      this.json(deploymentSchema, this.raw.DELETE('/api/v1/deployments/{name}', { params: { path: { name } } })),
    /** One page of the revision history, newest first. */
    revisions: (name: string, query: DeploymentRevisionsQuery = {}) =>
      this.json(deploymentRevisionListSchema, this.raw.GET('/api/v1/deployments/{name}/revisions', { params: { path: { name }, query } })),
    /** One page of events, newest first. */
    events: (name: string, query: DeploymentEventsQuery = {}) =>
      this.json(deploymentEventListSchema, this.raw.GET('/api/v1/deployments/{name}/events', { params: { path: { name }, query } })),
    /** What the serving replicas counted per version and role since `since` (default the last 15 minutes): 10 s windows and totals, input drift. */
    metrics: (name: string, query: { since?: string } = {}): Promise<DeploymentMetricsView> =>
      this.json(deploymentMetricsSchema, this.raw.GET('/api/v1/deployments/{name}/metrics', { params: { path: { name }, query } })),
    // Each action below takes the revision it is based on; a stale one throws DeploymentConflictError with `current`.
    canary: (name: string, body: StartCanaryInput): Promise<DeploymentView> => this.deploymentAction(name, 'canary', body),
    /** `version: null` stops shadowing. */
    shadow: (name: string, body: SetShadowInput): Promise<DeploymentView> => this.deploymentAction(name, 'shadow', body),
    rollout: (name: string, body: StartRolloutInput): Promise<DeploymentView> => this.deploymentAction(name, 'rollout', body),
    promote: (name: string, body: DeploymentActionInput): Promise<DeploymentView> => this.deploymentAction(name, 'promote', body),
    rollback: (name: string, body: DeploymentActionInput): Promise<DeploymentView> => this.deploymentAction(name, 'rollback', body),
    abort: (name: string, body: DeploymentActionInput): Promise<DeploymentView> => this.deploymentAction(name, 'abort', body),
    /**
     * Any action; without `baseRevision` the deployment's current revision is read first and sent. That is
     * optimistic, not a lock: a change landing between the read and the action still ends in DeploymentConflictError.
     */
    act: async <A extends DeploymentActionRoute>(name: string, action: A, body: ActBody<A>): Promise<DeploymentView> => {
      const baseRevision = body.baseRevision ?? (await this.deployments.get(name)).currentRevision;
      return this.deploymentAction(name, action, { ...body, baseRevision } as DeploymentActionBodies[A]);
    },
    /** Follows a rollout until it is promoted, rolled back (by hand or by a gate) or aborted; see WaitForRolloutOptions. */
    waitForRollout: (name: string, options?: WaitForRolloutOptions): Promise<{ deployment: DeploymentView; outcome: RolloutOutcome }> =>
      waitForRollout({ get: (n) => this.deployments.get(n), events: (n) => this.deployments.events(n) }, name, options),
  };

  private deploymentAction<A extends DeploymentActionRoute>(name: string, action: A, body: DeploymentActionBodies[A]): Promise<DeploymentView> {
    const init = { params: { path: { name } }, body } as never;
    const call: Promise<FetchResult> = (() => {
      switch (action) {
        case 'canary':
          return this.raw.POST('/api/v1/deployments/{name}/canary', init);
        case 'shadow':
          return this.raw.POST('/api/v1/deployments/{name}/shadow', init);
        case 'rollout':
          return this.raw.POST('/api/v1/deployments/{name}/rollout', init);
        case 'promote':
          return this.raw.POST('/api/v1/deployments/{name}/promote', init);
        case 'rollback':
          return this.raw.POST('/api/v1/deployments/{name}/rollback', init);
        default:
          return this.raw.POST('/api/v1/deployments/{name}/abort', init);
      }
    })();
    return this.json(
      deploymentSchema,
      call.then((result) => {
        // A stale baseRevision is the one 409 whose body carries `current`; other 409s (nothing to promote) stay plain errors.
        if (result.response.status !== 409) return result;
        const conflict = DeploymentConflictError.fromConflictBody(
          result.error,
          result.response.headers.get('x-request-id') ?? undefined,
          result.response.url || undefined,
        );
        if (conflict) throw conflict;
        return result;
      }),
    );
  }

  // ── predictions (the serving process) ─────────────────────────────────────

  /**
   * Predictions from a deployment: rows (values in the model's column order) or named columns. The answer names the
   * version and revision that answered (body, and the x-slipway-version header, checked to agree) and the request id.
   * Sent to the serving process, not the API; it needs no token.
   */
  async predict(deployment: string, inputs: unknown[], options: PredictOptions = {}): Promise<PredictResponse> {
    const headers: Record<string, string> = { 'content-type': 'application/json', ...(options.headers ?? {}) };
    if (options.requestId !== undefined) headers[SERVING_HEADERS.requestId] = options.requestId;
    const body = { inputs, ...(options.probabilities === undefined ? {} : { probabilities: options.probabilities }) };
    const { response, url } = await this.serving(
      `/v1/deployments/${encodeURIComponent(deployment)}/predict`,
      { method: 'POST', headers, body: JSON.stringify(body) },
      options.servingUrl,
    );
    const answer = await this.parseBody(predictResponseSchema, response);
    const header = response.headers.get(SERVING_HEADERS.version);
    if (header !== String(answer.version))
      throw new SlipwayApiError(
        response.status,
        ErrorCode.INTERNAL,
        `${url}: x-slipway-version ${header ?? '(absent)'} does not match the body's version ${answer.version}`,
        [],
        answer.requestId,
        url,
      );
    return answer;
  }

  /** A business metric for an earlier prediction, named by its request id (the replica that answered it must still remember it). */
  async feedback(
    deployment: string,
    body: FeedbackRequest,
    options: Pick<PredictOptions, 'servingUrl'> = {},
  ): Promise<{ accepted: boolean; requestId: string }> {
    const { response } = await this.serving(
      `/v1/deployments/${encodeURIComponent(deployment)}/feedback`,
      { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) },
      options.servingUrl,
    );
    return this.parseBody(z.object({ accepted: z.boolean(), requestId: z.string() }), response);
  }

  private async serving(path: string, init: RequestInit, servingUrl?: string): Promise<{ response: Response; url: string }> {
    const base = (servingUrl ?? this.options.servingUrl ?? DEFAULT_SERVING_URL).replace(/\/+$/, '');
    const url = `${base}${path}`;
    let response: Response;
    try {
      response = await this.fetchImpl(url, {
        ...init,
        ...(this.options.timeoutMs === undefined ? {} : { signal: AbortSignal.timeout(this.options.timeoutMs) }),
      });
    } catch (error) {
      const unreachable = SlipwayApiError.unreachable(base, error, { requestUrl: url, timeoutMs: this.options.timeoutMs });
      const failure = new SlipwayApiError(
        0,
        ErrorCode.UNAVAILABLE,
        unreachable.message.replace('the Slipway API', 'the Slipway serving process'),
        [],
        undefined,
        url,
      );
      failure.cause = error;
      throw failure;
    }
    if (!response.ok) throw await SlipwayApiError.fromResponse(response, url);
    return { response, url };
  }

  // ── registry ──────────────────────────────────────────────────────────────

  readonly models = {
    create: (body: CreateModelInput, options?: CreateOptions): Promise<ModelView> =>
      this.json(modelSchema, this.raw.POST('/api/v1/models', { body, ...idempotency(options) })),
    list: (query: ListModelsQuery = {}): Promise<ModelList> => this.json(modelListSchema, this.raw.GET('/api/v1/models', { params: { query } })),
    listAll: (query: Omit<ListModelsQuery, 'cursor'> = {}): AsyncIterable<ModelView> =>
      this.pages(
        (cursor) => this.models.list({ ...query, limit: query.limit ?? 200, cursor }),
        (page) => page.models,
      ),
    get: (name: string): Promise<ModelView> => this.json(modelSchema, this.raw.GET('/api/v1/models/{name}', { params: { path: { name } } })),
    /** Removes the model with its versions and aliases (editor). */
    delete: async (name: string): Promise<void> => {
      await this.ok(this.raw.DELETE('/api/v1/models/{name}', { params: { path: { name } } }));
    },
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
    /** The model's first version creates the model too. */
    create: (model: string, body: CreateVersionInput = {}, options?: CreateOptions): Promise<VersionView> =>
      this.json(versionSchema, this.raw.POST('/api/v1/models/{name}/versions', { params: { path: { name: model } }, body, ...idempotency(options) })),
    list: (model: string, query: ListVersionsQuery = {}): Promise<VersionList> =>
      this.json(versionListSchema, this.raw.GET('/api/v1/models/{name}/versions', { params: { path: { name: model }, query } })),
    get: (model: string, version: number): Promise<VersionView> =>
      this.json(versionSchema, this.raw.GET('/api/v1/models/{name}/versions/{version}', { params: { path: { name: model, version: String(version) } } })),
    finalize: (model: string, version: number, body: FinalizeVersionInput = {}, options?: CreateOptions): Promise<VersionView> =>
      this.json(
        versionSchema,
        this.raw.POST('/api/v1/models/{name}/versions/{version}/finalize', {
          params: { path: { name: model, version: String(version) } },
          body,
          ...idempotency(options),
        }),
      ),
    /** Archived versions stay downloadable but no alias may point at them. */
    archive: (model: string, version: number): Promise<VersionView> =>
      this.json(
        versionSchema,
        this.raw.POST('/api/v1/models/{name}/versions/{version}/archive', { params: { path: { name: model, version: String(version) } } }),
      ),
    /** Registers a run's artifact (a file or a folder) as the model's next version; the API creates the model when missing. */
    registerFromRun: (model: string, body: CreateVersionInput & { runId: string; artifactPath: string }, options?: CreateOptions): Promise<VersionView> =>
      this.versions.create(model, body, options),
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

  // ── transport ─────────────────────────────────────────────────────────────

  /**
   * One request outside the typed routes, for byte transfers (`@slipway/client-node` streams through it):
   * the token is added, an unreachable API and a non-2xx answer become SlipwayApiError, the 2xx Response is
   * returned unread. No timeout: an upload or download takes as long as its bytes do. `transport`: another fetch
   * for this request (client-node streams upload bodies through node:http, see its streamingFetch).
   */
  async send(path: string, init: RequestInit, transport: typeof fetch = this.fetchImpl): Promise<Response> {
    const url = `${this.baseUrl}${path}`;
    const headers = new Headers(init.headers);
    await this.authorize(headers);
    let response: Response;
    try {
      response = await transport(url, { ...init, headers });
    } catch (error) {
      throw SlipwayApiError.unreachable(this.baseUrl, error, { requestUrl: url });
    }
    if (!response.ok) throw await SlipwayApiError.fromResponse(response, url);
    return response;
  }

  /** Reads a 2xx response of `send` as JSON and checks it against the contract. */
  async parseBody<S extends z.ZodType>(schema: S, response: Response): Promise<z.infer<S>> {
    const body: unknown = await response.json().catch(() => undefined);
    return this.checked(schema, body, response.status, response.url);
  }

  private async authorize(headers: Headers): Promise<void> {
    const { token } = this.options;
    const value = typeof token === 'function' ? await token() : token;
    if (value) headers.set('authorization', `Bearer ${value}`);
  }

  private async ok(call: Promise<FetchResult>, options: JsonCallOptions = {}): Promise<FetchResult> {
    let result: FetchResult;
    try {
      result = await call;
    } catch (error) {
      if (error instanceof SlipwayApiError) throw error;
      // openapi-fetch could not read the body it was given (a 2xx that is not JSON).
      throw new SlipwayApiError(0, ErrorCode.INTERNAL, `unreadable response from the Slipway API at ${this.baseUrl}: ${String(error)}`);
    }
    const { response } = result;
    if (response.ok) return result;
    // An accepted status carries a response body, which openapi-fetch hands over as `error`.
    if (options.acceptStatuses?.includes(response.status)) return { data: result.error, response };
    throw SlipwayApiError.fromBody(response.status, result.error, response.headers.get('x-request-id') ?? undefined, response.url || undefined);
  }

  private async json<S extends z.ZodType>(schema: S, call: Promise<FetchResult>, options: JsonCallOptions = {}): Promise<z.infer<S>> {
    const { data, response } = await this.ok(call, options);
    return this.checked(schema, data, response.status, response.url);
  }

  private checked<S extends z.ZodType>(schema: S, body: unknown, status: number, url: string): z.infer<S> {
    const parsed = schema.safeParse(body);
    if (!parsed.success) {
      throw new SlipwayApiError(
        status,
        ErrorCode.INTERNAL,
        `unexpected response from ${url || this.baseUrl}: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
        [],
        undefined,
        url || undefined,
      );
    }
    return parsed.data;
  }

  protected async *pages<P extends { nextCursor: string | null }, T>(
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
}

/** Hex sha256 through WebCrypto, which browsers and Node (globalThis.crypto) both have. */
export async function sha256Hex(bytes: Uint8Array): Promise<string> {
  const digest = await globalThis.crypto.subtle.digest('SHA-256', bytes as Parameters<typeof globalThis.crypto.subtle.digest>[1]);
  return Array.from(new Uint8Array(digest), (byte) => byte.toString(16).padStart(2, '0')).join('');
}

export function createSlipwayClient(options: SlipwayClientOptions): SlipwayClient {
  return new SlipwayClient(options);
}
