import { posix } from 'node:path';
import { ErrorCode, SlipwayError } from '@slipway/contracts';
import { ArtifactSigner, ArtifactVerificationError, modelVersionPrefix, sealManifest, type ManifestEntry, type SignedArtifact } from '@slipway/artifacts';
import type { ArtifactFileEntity, ChangeContext, ModelEntity, ModelVersionEntity, Transaction, UnitOfWork } from '@slipway/db';
import type { ObjectStore } from '@slipway/storage';
import { followAliasMove } from './deployment-changes';
import { noModel, verificationRefused, VersionRegistrationError } from './registration-errors';
import { toModelView, versionSummary } from './registry-summaries';

/**
 * Who registers: written into every audit entry (`name`, `tokenId`, `requestId`) and into the version's
 * `createdBy`. The API passes its request's actor (which may carry the request's Idempotency-Key claim); a
 * worker registering a training job's result acts for the job's creator, e.g.
 * `{ tokenId: job.createdByTokenId, name: job.createdBy, requestId: 'training-job:<job id>' }` — the audit
 * log's request id (at most 64 characters) then says which job did it.
 */
export type RegistrarActor = ChangeContext;

/** The descriptive fields a new version carries, whatever its files come from. */
export interface VersionFields {
  description?: string;
  tags?: Record<string, string>;
  algorithm?: string | null;
  framework?: string | null;
  /** JSON columns: give values that parse with the registry contracts (modelInputSchemaSchema, datasetProfileSchema, evaluationSchema). */
  inputSchema?: unknown;
  trainingProfile?: unknown;
  evaluation?: unknown;
}

export interface RegisterFromRunRequest extends VersionFields {
  runId: string;
  /** A file or folder among the run's logged artifacts: a file keeps its name in the version, a folder's files their paths inside it. */
  artifactPath: string;
}

export interface CreatePendingRequest extends VersionFields {
  /** The run the version comes from (lineage), when there is one; its files are uploaded separately. */
  runId?: string | null;
}

export interface RegistrationOptions<T> {
  /**
   * Builds the caller's answer inside the transaction that makes the version what it ends as (READY for a
   * run's artifact, PENDING_UPLOAD for a pending one): if it throws, that transaction rolls back (and a
   * copied version is marked FAILED), so no change commits that its caller cannot report.
   */
  answer?: (tx: Transaction, version: ModelVersionEntity) => Promise<T>;
  /** Runs after the run and its files are found and before anything is written or copied. */
  preflight?: () => Promise<void>;
  /**
   * Runs inside the transaction that takes the version number (the version still PENDING_UPLOAD), so what it
   * writes commits with the version or not at all: a training job records which version it is registering,
   * and a later attempt after a crash can `abandon` exactly that one.
   */
  onAllocated?: (tx: Transaction, version: ModelVersionEntity) => Promise<void>;
}

export interface Registered<T> {
  version: ModelVersionEntity;
  /** What `options.answer` returned (undefined without it). */
  answer: T;
}

export interface RegistrarLogger {
  warn(message: string): unknown;
  error(message: string): unknown;
}

/** Object key of a file a run logged as an artifact. */
export const runArtifactKey = (runId: string, path: string) => `runs/${runId}/artifacts/${path}`;

/** What verification needs to know about a READY (or ARCHIVED) version: where its files are and what was signed. */
export function signedArtifactOf(version: ModelVersionEntity): SignedArtifact {
  return {
    label: `${version.modelName}@${version.version}`,
    prefix: modelVersionPrefix(version.modelId, version.version),
    manifest: version.manifest,
    sha256: version.sha256,
    signature: version.signature,
    signatureKeyId: version.signatureKeyId,
  };
}

/**
 * Registers model versions and moves aliases, for any process that shares the database and the object store:
 * the API's registry routes and the workers (a training job with `registerAs`). Every change goes through the
 * unit of work with its audit entry and event, exactly as the API has always recorded them.
 */
export class ModelRegistrar {
  private readonly logger: RegistrarLogger;

  constructor(
    private readonly db: UnitOfWork,
    private readonly objects: ObjectStore,
    private readonly signer: ArtifactSigner,
    options: { logger?: RegistrarLogger } = {},
  ) {
    this.logger = options.logger ?? { warn: () => undefined, error: () => undefined };
  }

  /**
   * The next version of `modelName` (created, audited, when this is its first version, as MLflow's
   * register_model does) from a file or folder the run logged: allocates the number under the model's row
   * lock, copies the files into the version's prefix checking each against the sha256 and size the run
   * recorded, then seals and signs the manifest — READY. When copying or sealing fails after the number was
   * taken, the version is marked FAILED and a VersionRegistrationError says which; before that (no such run,
   * deleted run, nothing at the path) nothing is written.
   */
  async registerFromRun<T = undefined>(
    actor: RegistrarActor,
    modelName: string,
    request: RegisterFromRunRequest,
    options: RegistrationOptions<T> = {},
  ): Promise<Registered<T>> {
    await this.checkRun(request.runId);
    const sources = await this.db.read.artifacts.filesAt(request.runId, request.artifactPath);
    if (sources.length === 0)
      throw new SlipwayError(ErrorCode.NOT_FOUND, `Run ${request.runId} has no artifact at "${request.artifactPath}"`, [
        { field: 'artifactPath', message: 'no such artifact file or folder' },
      ]);
    // Copying spans two transactions (the bytes move between them): whatever can refuse the caller's answer
    // ahead of time is checked before anything is written or copied.
    await options.preflight?.();
    const { version } = await this.createVersion(actor, modelName, request, { runId: request.runId, artifactPath: request.artifactPath }, options.onAllocated);

    const prefix = modelVersionPrefix(version.modelId, version.version);
    let entries: ManifestEntry[];
    try {
      entries = await this.copyRunFiles(request, sources, prefix);
    } catch (error) {
      const failed = await this.fail(version, actor, (error as Error).message);
      if (error instanceof ArtifactVerificationError) {
        const refused = verificationRefused(error);
        throw new VersionRegistrationError(refused.code, refused.message, refused.fields, failed);
      }
      this.logger.error(`copying run ${request.runId} artifact "${request.artifactPath}" into ${prefix} failed: ${(error as Error).message}`);
      throw new VersionRegistrationError(
        ErrorCode.UNAVAILABLE,
        `The artifact of run ${request.runId} could not be copied from the object store; version ${version.version} is FAILED`,
        undefined,
        failed,
      );
    }
    try {
      return await this.seal(actor, version, entries, { answer: options.answer });
    } catch (error) {
      // Sealing rolled back (e.g. its answer could not be rendered): the copied version must not stay pending forever.
      const failed = await this.fail(version, actor, (error as Error).message);
      if (error instanceof SlipwayError) throw new VersionRegistrationError(error.code, error.message, error.fields, failed);
      throw error;
    }
  }

  /**
   * The next version of `modelName`, PENDING_UPLOAD: its files are uploaded next and sealed by finalize.
   * `options.answer` runs in the creating transaction.
   */
  async createPending<T = undefined>(
    actor: RegistrarActor,
    modelName: string,
    request: CreatePendingRequest,
    options: Pick<RegistrationOptions<T>, 'answer'> = {},
  ): Promise<Registered<T>> {
    if (request.runId) await this.checkRun(request.runId);
    return this.createVersion(actor, modelName, request, 'upload', undefined, options.answer);
  }

  /**
   * PENDING_UPLOAD → READY: records the manifest of files already in the version's prefix, its sha256 and the
   * platform's signature over it. CONFLICT when the version is no longer PENDING_UPLOAD, NOT_FOUND (field
   * `model`) when its model is gone. A failure leaves the version as it was (an upload may be finalized again).
   */
  async seal<T = undefined>(
    actor: RegistrarActor,
    version: ModelVersionEntity,
    entries: ManifestEntry[],
    options: Pick<RegistrationOptions<T>, 'answer'> = {},
  ): Promise<Registered<T>> {
    const { answer } = options;
    const sealed = sealManifest(entries, this.signer);
    return this.db.run(actor, async (tx) => {
      if (!(await tx.models.lock(version.modelName))) throw noModel(version.modelName);
      const ready = await tx.versions.markReady(version.id, {
        ...sealed,
        artifactUri: this.objects.uriFor(`${modelVersionPrefix(version.modelId, version.version)}_`).slice(0, -1),
      });
      if (!ready) throw new SlipwayError(ErrorCode.CONFLICT, `Version ${version.version} of "${version.modelName}" is no longer waiting for upload`);
      await tx.record({
        action: 'model_version.ready',
        entity: { type: 'model_version', id: version.id },
        before: versionSummary(version),
        after: versionSummary(ready),
        event: { name: 'model_version.ready', data: versionSummary(ready) },
      });
      return { version: ready, answer: (answer ? await answer(tx, ready) : undefined) as T };
    });
  }

  /**
   * Marks a version that a registration left PENDING_UPLOAD (its process died between taking the number and
   * sealing) FAILED, audited as `model_version.fail` with `reason`. Returns the version as it is now: FAILED,
   * or unchanged when it was no longer pending (it got sealed after all, or failed already); null when there
   * is no such version.
   */
  async abandon(actor: RegistrarActor, versionId: string, reason: string): Promise<ModelVersionEntity | null> {
    return this.db.run(actor, async (tx) => {
      const before = await tx.versions.getById(versionId);
      if (!before) return null;
      const failed = await tx.versions.markFailed(versionId);
      if (!failed) return before;
      await tx.record({
        action: 'model_version.fail',
        entity: { type: 'model_version', id: versionId },
        before: versionSummary(before),
        after: { ...versionSummary(failed), reason },
      });
      return failed;
    });
  }

  /**
   * Points `alias` of `modelName` at a READY version. Under the model's row lock, so concurrent moves apply
   * one after another and each audit entry's `before` is the previous move's `after`. Pointing it where it
   * already points changes and records nothing (`changed: false`). NOT_FOUND for the model (field `model`) or
   * the version (field `version`), CONFLICT (field `version`) when the version is not READY.
   */
  async setAlias(actor: RegistrarActor, modelName: string, alias: string, versionNumber: number): Promise<AliasMove> {
    return this.db.run(actor, async (tx) => {
      const model = await tx.models.lock(modelName);
      if (!model) throw noModel(modelName);
      const target = await tx.versions.get(model.id, versionNumber);
      if (!target)
        throw new SlipwayError(ErrorCode.NOT_FOUND, `Model "${modelName}" has no version ${versionNumber}`, [{ field: 'version', message: 'no such version' }]);
      if (target.status !== 'READY')
        throw new SlipwayError(ErrorCode.CONFLICT, `Version ${versionNumber} of "${modelName}" is ${target.status}; aliases point at READY versions`, [
          { field: 'version', message: `version is ${target.status}` },
        ]);
      const before = await tx.aliases.get(model.id, alias);
      if (before?.versionId === target.id)
        return { model: modelName, alias, version: target.version, previousVersion: before.version, updatedAt: before.updatedAt, changed: false };
      const after = await tx.aliases.set(model.id, alias, target.id);
      await tx.record({
        action: before ? 'alias.move' : 'alias.set',
        entity: { type: 'model_alias', id: `${modelName}@${alias}` },
        before: before ? { model: modelName, alias, version: before.version, versionId: before.versionId } : undefined,
        after: { model: modelName, alias, version: after.version, versionId: after.versionId },
        event: {
          name: 'alias.moved',
          data: { model: modelName, alias, fromVersion: before?.version ?? null, toVersion: after.version, versionId: after.versionId },
        },
      });
      // Deployments following the alias act in this transaction, so the move and what it deploys commit together.
      await followAliasMove(tx, { modelId: model.id, alias, target, fromVersion: before?.version ?? null, actor: actor.name });
      return { model: modelName, alias, version: after.version, previousVersion: before?.version ?? null, updatedAt: after.updatedAt, changed: true };
    });
  }

  private async checkRun(runId: string): Promise<void> {
    const run = await this.db.read.runs.get(runId);
    if (!run) throw new SlipwayError(ErrorCode.NOT_FOUND, `No run ${runId}`, [{ field: 'runId', message: 'no such run' }]);
    if (run.deletedAt) throw new SlipwayError(ErrorCode.CONFLICT, `Run ${runId} is deleted`, [{ field: 'runId', message: 'deleted run' }]);
  }

  /**
   * The model to register into, locked; created (audited, in the same transaction) when this is its first
   * version.
   */
  private async modelToRegisterInto(tx: Transaction, name: string): Promise<ModelEntity> {
    const existing = await tx.models.lock(name);
    if (existing) return existing;
    const created = await tx.models.create({ name, description: '', tags: {} });
    const [summary] = await tx.models.summarize([created]);
    await tx.record({ action: 'model.create', entity: { type: 'model', id: created.id }, after: { ...toModelView(summary), source: 'first version' } });
    return (await tx.models.lock(name)) ?? created;
  }

  /** Allocates the next number under the model's row lock: PENDING_UPLOAD, audited with where its files come from. */
  private async createVersion<T>(
    actor: RegistrarActor,
    modelName: string,
    fields: VersionFields & { runId?: string | null },
    source: 'upload' | { runId: string; artifactPath: string },
    onAllocated?: (tx: Transaction, version: ModelVersionEntity) => Promise<void>,
    answer?: (tx: Transaction, version: ModelVersionEntity) => Promise<T>,
  ): Promise<Registered<T>> {
    const register = () =>
      this.db.run(actor, async (tx) => {
        const model = await this.modelToRegisterInto(tx, modelName);
        const created = await tx.versions.create(model.id, {
          description: fields.description ?? '',
          tags: fields.tags ?? {},
          runId: fields.runId ?? null,
          algorithm: fields.algorithm ?? null,
          framework: fields.framework ?? null,
          inputSchema: fields.inputSchema,
          trainingProfile: fields.trainingProfile,
          evaluation: fields.evaluation,
          createdBy: actor.name,
        });
        await tx.record({
          action: 'model_version.create',
          entity: { type: 'model_version', id: created.id },
          after: { ...versionSummary(created), source },
          event: { name: 'model_version.created', data: versionSummary(created) },
        });
        await onAllocated?.(tx, created);
        return { version: created, answer: (answer ? await answer(tx, created) : undefined) as T };
      });
    // Two first registrations of a new model race to create it: the loser's transaction is aborted by the
    // unique violation, and its second attempt finds the model and takes the next number.
    return register().catch((error: unknown) => {
      if (error instanceof SlipwayError && error.code === ErrorCode.ALREADY_EXISTS) return register();
      throw error;
    });
  }

  private async copyRunFiles(request: RegisterFromRunRequest, sources: ArtifactFileEntity[], prefix: string): Promise<ManifestEntry[]> {
    const entries: ManifestEntry[] = [];
    for (const source of sources) {
      const relative = source.path === request.artifactPath ? posix.basename(source.path) : source.path.slice(request.artifactPath.length + 1);
      const stored = await this.objects.put(`${prefix}${relative}`, await this.objects.get(runArtifactKey(request.runId, source.path)));
      if (stored.sha256 !== source.sha256 || stored.sizeBytes !== source.sizeBytes) {
        throw new ArtifactVerificationError(`run ${request.runId}`, stored.sizeBytes !== source.sizeBytes ? 'size_mismatch' : 'sha256_mismatch', source.path);
      }
      entries.push({ path: relative, sha256: stored.sha256, sizeBytes: stored.sizeBytes });
    }
    return entries;
  }

  /** Marks the version FAILED (audited); what it was when even that does not go through. Never throws. */
  private async fail(version: ModelVersionEntity, actor: RegistrarActor, reason: string): Promise<ModelVersionEntity> {
    return this.db
      .run(actor, async (tx) => {
        const failed = await tx.versions.markFailed(version.id);
        if (failed)
          await tx.record({
            action: 'model_version.fail',
            entity: { type: 'model_version', id: version.id },
            before: versionSummary(version),
            after: { ...versionSummary(failed), reason },
          });
        return failed ?? version;
      })
      .catch((error: Error) => {
        this.logger.warn(`could not mark ${version.modelName}@${version.version} FAILED: ${error.message}`);
        return version;
      });
  }
}

/** Where an alias points after setAlias, and whether this call moved it. */
export interface AliasMove {
  model: string;
  alias: string;
  version: number;
  /** The version it pointed at before this call (the same as `version` when nothing changed), null when new. */
  previousVersion: number | null;
  updatedAt: Date;
  /** False when it already pointed there: nothing was changed or recorded. */
  changed: boolean;
}
