import { pipeline, Transform, type Readable } from 'node:stream';
import { Inject, Injectable, Logger } from '@nestjs/common';
import {
  ErrorCode,
  SlipwayError,
  type CreateVersionRequest,
  type FinalizeVersionRequest,
  type UpdateVersionRequest,
  type UploadedFile,
  type VerificationResult,
  type VersionList,
  type VersionQuery,
  type VersionView,
  lineageSchema,
  versionSchema,
} from '@slipway/contracts';
import {
  ArtifactSigner,
  ArtifactVerificationError,
  hashStoredObject,
  modelVersionPrefix,
  openVerifiedFile,
  verifyManifestSignature,
  verifyVersionArtifact,
  type ManifestEntry,
  type VerifiedFile,
} from '@slipway/artifacts';
import { UnitOfWork, type ModelEntity, type ModelVersionEntity, type Stores, type Transaction } from '@slipway/db';
import { ModelRegistrar, signedArtifactOf, verificationRefused } from '@slipway/model-registry';
import type { ObjectStore } from '@slipway/storage';
import type { RequestActor } from '../auth/auth.decorators';
import { OBJECT_STORE } from '../infrastructure/tokens';
import { noModel } from './model.service';
import { inRequestFields } from '../common/request-fields';
import { respondWithin } from '../common/respond-within';
import { toLineageView, toVersionView, versionSummary } from './registry.views';

/** Largest single file of a directly uploaded version. */
export const MAX_VERSION_FILE_BYTES = 2 * 1024 ** 3;
const MAX_VERSION_FILES = 10_000;

export const versionPrefix = modelVersionPrefix;
/** The request fields that carried what the registrar names by its domain name. */
const CREATE_FIELDS = { model: 'params.name', runId: 'body.runId', artifactPath: 'body.artifactPath' };

export const noVersion = (name: string, version: number) =>
  new SlipwayError(ErrorCode.NOT_FOUND, `Model "${name}" has no version ${version}`, [{ field: 'params.version', message: 'no such version' }]);

class FileTooLarge extends Error {}

export interface FileUpload {
  body: Readable;
  /** A body parser already read the stream. */
  consumed: boolean;
  declaredBytes: number | null;
  /** Optional `x-content-sha256`: refuse the upload when the bytes hash otherwise. */
  expectedSha256: string | null;
}

@Injectable()
export class ModelVersionService {
  private readonly logger = new Logger(ModelVersionService.name);

  constructor(
    private readonly db: UnitOfWork,
    @Inject(OBJECT_STORE) private readonly objects: ObjectStore,
    private readonly signer: ArtifactSigner,
    private readonly registrar: ModelRegistrar,
  ) {}

  private async model(name: string, stores: Stores = this.db.read): Promise<ModelEntity> {
    const model = await stores.models.get(name);
    if (!model) throw noModel(name);
    return model;
  }

  private async version(name: string, number: number, stores: Stores = this.db.read): Promise<ModelVersionEntity> {
    const model = await this.model(name, stores);
    const version = await stores.versions.get(model.id, number);
    if (!version) throw noVersion(name, number);
    return version;
  }

  private async withLineage(version: ModelVersionEntity, stores: Stores = this.db.read): Promise<VersionView> {
    const lineage = version.runId ? await stores.lineage.ofRun(version.runId) : null;
    return toVersionView(version, lineage);
  }

  /** A change's answer, built and checked in its own transaction: if it cannot be rendered, the change rolls back. */
  private async answer(tx: Transaction, version: ModelVersionEntity): Promise<VersionView> {
    return respondWithin(tx, versionSchema, await this.withLineage(version, tx));
  }

  // ─── create ───

  /**
   * Allocates the next number under the model's row lock (ModelRegistrar). From a run's artifact: copies its
   * files (checking each against the hash the run recorded), then seals and signs — READY in this response.
   * Without an artifact: PENDING_UPLOAD, waiting for files and finalize.
   */
  async create(name: string, request: CreateVersionRequest, actor: RequestActor): Promise<VersionView> {
    const fields = {
      description: request.description,
      tags: request.tags,
      algorithm: request.algorithm ?? null,
      framework: request.framework ?? null,
      inputSchema: request.inputSchema,
      trainingProfile: request.trainingProfile,
      evaluation: request.evaluation,
    };
    const answer = (tx: Transaction, version: ModelVersionEntity) => this.answer(tx, version);
    return inRequestFields(CREATE_FIELDS, async () => {
      if (!request.runId || !request.artifactPath) {
        // Nothing to copy: the version's own transaction builds the answer.
        return (await this.registrar.createPending(actor, name, { ...fields, runId: request.runId ?? null }, { answer })).answer;
      }
      const { runId, artifactPath } = request;
      const registered = await this.registrar.registerFromRun(
        actor,
        name,
        { ...fields, runId, artifactPath },
        {
          // Copying spans two transactions, so the one part of the answer that can fail to render, the run's
          // lineage, is checked before anything is written or copied.
          preflight: async () => {
            const lineage = await this.db.read.lineage.ofRun(runId);
            if (lineage) await respondWithin(null, lineageSchema, toLineageView(lineage));
          },
          answer,
        },
      );
      return registered.answer;
    });
  }

  // ─── direct upload ───

  async putFile(name: string, number: number, path: string, upload: FileUpload): Promise<UploadedFile> {
    // create-api-app keeps the body parsers off upload routes; should one run anyway, the bytes are gone.
    if (upload.consumed) {
      throw new SlipwayError(
        ErrorCode.INVALID_ARGUMENT,
        'Upload files with a Content-Type other than application/json or application/x-www-form-urlencoded (e.g. application/octet-stream)',
        [{ field: 'headers.content-type', message: 'bodies of this type are parsed by the API, not streamed' }],
      );
    }
    if (upload.expectedSha256 !== null && !/^[0-9a-f]{64}$/.test(upload.expectedSha256)) {
      throw new SlipwayError(ErrorCode.INVALID_ARGUMENT, 'x-content-sha256 must be a lower-case hex sha256', [
        { field: 'headers.x-content-sha256', message: 'not a sha256' },
      ]);
    }
    if (upload.declaredBytes !== null && upload.declaredBytes > MAX_VERSION_FILE_BYTES) throw this.tooLarge();
    const version = await this.version(name, number);
    if (version.status !== 'PENDING_UPLOAD') throw this.immutable(version);
    const key = `${versionPrefix(version.modelId, version.version)}${path}`;
    let seen = 0;
    const limiter = new Transform({
      transform(chunk: Buffer, _encoding, done) {
        seen += chunk.length;
        done(seen > MAX_VERSION_FILE_BYTES ? new FileTooLarge() : null, chunk);
      },
    });
    // pipeline (not pipe): a client that disconnects mid-upload ends the store's write with an error.
    const body = pipeline(upload.body, limiter, () => undefined);
    const stored = await this.objects.put(key, body).catch((error: unknown) => {
      if (error instanceof FileTooLarge) throw this.tooLarge();
      // The object store's own failure (full, unreachable), already coded by the store.
      if (error instanceof SlipwayError) throw error;
      throw new SlipwayError(ErrorCode.INVALID_ARGUMENT, 'The upload was interrupted before its end');
    });
    if (upload.expectedSha256 !== null && stored.sha256 !== upload.expectedSha256) {
      await this.objects.delete(key);
      throw new SlipwayError(
        ErrorCode.FAILED_PRECONDITION,
        `"${path}" arrived with sha256 ${stored.sha256}, not the ${upload.expectedSha256} announced; it was not kept`,
        [{ field: 'headers.x-content-sha256', message: 'mismatch' }],
      );
    }
    return { path, sha256: stored.sha256, sizeBytes: stored.sizeBytes };
  }

  /** Hashes what was uploaded (streaming, from the store itself), checks it against `files` when given, seals and signs. */
  async finalize(name: string, number: number, request: FinalizeVersionRequest, actor: RequestActor): Promise<VersionView> {
    const version = await this.version(name, number);
    if (version.status !== 'PENDING_UPLOAD') throw this.immutable(version);
    const prefix = versionPrefix(version.modelId, version.version);
    const entries: ManifestEntry[] = [];
    for await (const object of this.objects.list(prefix)) {
      if (entries.length >= MAX_VERSION_FILES) throw new SlipwayError(ErrorCode.FAILED_PRECONDITION, `A version holds at most ${MAX_VERSION_FILES} files`);
      const hashed = await hashStoredObject(this.objects, object.key);
      if (hashed) entries.push({ path: object.key.slice(prefix.length), ...hashed });
    }
    if (entries.length === 0)
      throw new SlipwayError(
        ErrorCode.FAILED_PRECONDITION,
        `Version ${number} of "${name}" has no files yet: PUT them to …/versions/${number}/files/<path> first`,
      );
    if (request.files) {
      const stored = new Map(entries.map((e) => [e.path, e]));
      const expected = new Map(request.files.map((f) => [f.path, f]));
      const problems = [
        ...request.files.filter((f) => !stored.has(f.path)).map((f) => ({ field: `body.files.${f.path}`, message: 'not uploaded' })),
        ...entries.filter((e) => !expected.has(e.path)).map((e) => ({ field: `body.files.${e.path}`, message: 'uploaded but not listed' })),
        ...request.files
          .filter(
            (f) =>
              stored.has(f.path) && (stored.get(f.path)?.sha256 !== f.sha256 || (f.sizeBytes !== undefined && stored.get(f.path)?.sizeBytes !== f.sizeBytes)),
          )
          .map((f) => ({ field: `body.files.${f.path}`, message: `stored sha256 ${stored.get(f.path)?.sha256} differs` })),
      ];
      if (problems.length)
        throw new SlipwayError(
          ErrorCode.FAILED_PRECONDITION,
          `The uploaded files differ from the ones listed: ${problems.map((p) => `${p.field.slice('body.files.'.length)} ${p.message}`).join('; ')}`.slice(
            0,
            2000,
          ),
          problems.slice(0, 50),
        );
    }
    return inRequestFields(
      CREATE_FIELDS,
      async () => (await this.registrar.seal(actor, version, entries, { answer: (tx, ready) => this.answer(tx, ready) })).answer,
    );
  }

  // ─── read, verified download ───

  async get(name: string, number: number): Promise<VersionView> {
    return this.withLineage(await this.version(name, number));
  }

  async getById(versionId: string): Promise<VersionView> {
    const version = await this.db.read.versions.getById(versionId);
    if (!version || version.deletedAt) throw new SlipwayError(ErrorCode.NOT_FOUND, `No version ${versionId}`);
    return this.withLineage(version);
  }

  async list(name: string, query: VersionQuery): Promise<VersionList> {
    const model = await this.model(name);
    const page = await inRequestFields({ cursor: 'query.cursor' }, () => this.db.read.versions.list(model.id, query));
    const lineage = await this.db.read.lineage.ofRuns(page.versions.flatMap((v) => (v.runId ? [v.runId] : [])));
    return { versions: page.versions.map((v) => toVersionView(v, (v.runId && lineage.get(v.runId)) || null)), nextCursor: page.nextCursor };
  }

  private async servedVersion(name: string, number: number): Promise<ModelVersionEntity> {
    const version = await this.version(name, number);
    if (version.status !== 'READY' && version.status !== 'ARCHIVED')
      throw new SlipwayError(ErrorCode.CONFLICT, `Version ${number} of "${name}" is ${version.status}; only finalized versions are served`);
    return version;
  }

  /**
   * One file's entry in the version's signed manifest (the signature checked, the bytes not read): its sha256
   * is the file's ETag, so a client that holds those bytes is answered 304 without the file being copied.
   */
  async signedFileEntry(name: string, number: number, path: string): Promise<ManifestEntry> {
    const version = await this.servedVersion(name, number);
    try {
      const entry = verifyManifestSignature(signedArtifactOf(version), this.signer.keyRing).find((e) => e.path === path);
      if (!entry)
        throw new SlipwayError(ErrorCode.NOT_FOUND, `Version ${number} of "${name}" has no file "${path}"`, [
          { field: 'params.path', message: 'no such file' },
        ]);
      return entry;
    } catch (error) {
      if (error instanceof ArtifactVerificationError) {
        this.logger.error(error.message);
        throw verificationRefused(error);
      }
      throw error;
    }
  }

  /** One file, verified (manifest, signature and the file's own hash) before any byte is sent. */
  async openFile(name: string, number: number, path: string): Promise<VerifiedFile> {
    const version = await this.servedVersion(name, number);
    try {
      const file = await openVerifiedFile(this.objects, signedArtifactOf(version), path, this.signer.keyRing);
      if (!file)
        throw new SlipwayError(ErrorCode.NOT_FOUND, `Version ${number} of "${name}" has no file "${path}"`, [
          { field: 'params.path', message: 'no such file' },
        ]);
      return file;
    } catch (error) {
      if (error instanceof ArtifactVerificationError) {
        this.logger.error(error.message);
        throw verificationRefused(error);
      }
      throw error;
    }
  }

  /** Re-hashes every stored file and checks the signature: what a loader does before serving the version. */
  async verify(name: string, number: number): Promise<VerificationResult> {
    const version = await this.version(name, number);
    if (version.status !== 'READY' && version.status !== 'ARCHIVED')
      throw new SlipwayError(ErrorCode.CONFLICT, `Version ${number} of "${name}" is ${version.status}; only finalized versions are signed`);
    let keyId: string;
    try {
      ({ keyId } = await verifyVersionArtifact(this.objects, signedArtifactOf(version), this.signer.keyRing));
    } catch (error) {
      if (error instanceof ArtifactVerificationError) {
        this.logger.error(error.message);
        throw verificationRefused(error);
      }
      throw error;
    }
    return {
      model: name,
      version: number,
      sha256: version.sha256 ?? '',
      keyId,
      files: version.manifest?.length ?? 0,
      verified: true,
    };
  }

  // ─── change ───

  async update(name: string, number: number, request: UpdateVersionRequest, actor: RequestActor): Promise<VersionView> {
    return this.db.run(actor, async (tx) => {
      const before = await this.lockedVersion(tx, name, number);
      const after = await tx.versions.update(before.id, request);
      await tx.record({
        action: 'model_version.update',
        entity: { type: 'model_version', id: before.id },
        before: versionSummary(before),
        after: versionSummary(after),
      });
      return this.answer(tx, after);
    });
  }

  async archive(name: string, number: number, actor: RequestActor): Promise<VersionView> {
    return this.db.run(actor, async (tx) => {
      const before = await this.lockedVersion(tx, name, number);
      if (before.status !== 'READY')
        throw new SlipwayError(ErrorCode.CONFLICT, `Version ${number} of "${name}" is ${before.status}; only READY versions can be archived`);
      await this.refuseIfInUse(before, 'archive', tx);
      const archived = await tx.versions.archive(before.id);
      if (!archived) throw new SlipwayError(ErrorCode.CONFLICT, `Version ${number} of "${name}" changed meanwhile; retry`);
      await tx.record({
        action: 'model_version.archive',
        entity: { type: 'model_version', id: before.id },
        before: versionSummary(before),
        after: versionSummary(archived),
        event: { name: 'model_version.archived', data: versionSummary(archived) },
      });
      return this.answer(tx, archived);
    });
  }

  /** ARCHIVED → READY again (MLflow lets an archived version come back too). */
  async restore(name: string, number: number, actor: RequestActor): Promise<VersionView> {
    return this.db.run(actor, async (tx) => {
      const before = await this.lockedVersion(tx, name, number);
      const after = before.status === 'ARCHIVED' ? await tx.versions.restore(before.id) : null;
      if (!after) throw new SlipwayError(ErrorCode.CONFLICT, `Version ${number} of "${name}" is ${before.status}; only ARCHIVED versions can be restored`);
      await tx.record({
        action: 'model_version.restore',
        entity: { type: 'model_version', id: before.id },
        before: versionSummary(before),
        after: versionSummary(after),
      });
      return this.answer(tx, after);
    });
  }

  /** Soft delete: the number stays taken, the files are garbage-collected. Refused while an alias or a deployment uses it. */
  async remove(name: string, number: number, actor: RequestActor): Promise<void> {
    await this.db.run(actor, async (tx) => {
      const before = await this.lockedVersion(tx, name, number);
      await this.refuseIfInUse(before, 'delete', tx);
      await tx.versions.softDelete(before.id);
      await tx.record({ action: 'model_version.delete', entity: { type: 'model_version', id: before.id }, before: versionSummary(before) });
    });
  }

  /** The version, read under its model's row lock (which serialises every change to the model). */
  private async lockedVersion(tx: Stores, name: string, number: number): Promise<ModelVersionEntity> {
    const model = await tx.models.lock(name);
    if (!model) throw noModel(name);
    const version = await tx.versions.get(model.id, number);
    if (!version) throw noVersion(name, number);
    return version;
  }

  private async refuseIfInUse(version: ModelVersionEntity, what: 'archive' | 'delete', tx: Stores): Promise<void> {
    const usage = await tx.usage.versionUsage(version.id);
    const uses = [...usage.aliases.map((a) => `alias "${a}"`), ...usage.deployments.map((d) => `deployment "${d}"`)];
    if (uses.length)
      throw new SlipwayError(ErrorCode.CONFLICT, `Cannot ${what} version ${version.version} of "${version.modelName}": it is used by ${uses.join(', ')}`);
  }

  private immutable(version: ModelVersionEntity): SlipwayError {
    return new SlipwayError(
      ErrorCode.CONFLICT,
      `Version ${version.version} of "${version.modelName}" is ${version.status}: its files are immutable once finalized`,
    );
  }

  private tooLarge(): SlipwayError {
    return new SlipwayError(ErrorCode.PAYLOAD_TOO_LARGE, `A version file may be at most ${MAX_VERSION_FILE_BYTES} bytes`);
  }
}
