import { pipeline, Transform, type Readable } from 'node:stream';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { ErrorCode, SlipwayError, type ArtifactList, type ArtifactView } from '@slipway/contracts';
import { ARTIFACT_UPLOAD_CLAIM_TTL_MS, UnitOfWork, type ArtifactEntity } from '@slipway/db';
import { assertSafeKey, type ObjectStore } from '@slipway/storage';
import type { RequestActor } from '../auth/auth.decorators';
import { inRequestFields } from '../common/request-fields';
import { OBJECT_STORE } from '../infrastructure/tokens';
import { assertWritable } from './run.service';
import { toArtifactView } from './experiments.views';

/** Largest artifact one upload may carry. */
export const DEFAULT_MAX_ARTIFACT_BYTES = 2 * 1024 ** 3;
const CONTENT_TYPE = /^[\w!#$&^.+-]{1,127}\/[\w!#$&^.+-]{1,127}(?:\s*;\s*[\w!#$&^.+-]+=(?:[\w!#$&^.+-]+|"[^"\\]*"))*$/;

class ArtifactTooLarge extends Error {}

export interface ArtifactUpload {
  body: Readable;
  declaredBytes: number | null;
  contentType: string | undefined;
  /** Defence in depth: create-api-app.ts keeps body parsers off upload routes, so this should never be true. */
  consumed: boolean;
}

export const artifactKey = (runId: string, path: string) => `runs/${runId}/artifacts/${path}`;

@Injectable()
export class ArtifactService {
  private readonly logger = new Logger(ArtifactService.name);
  maxBytes = DEFAULT_MAX_ARTIFACT_BYTES;

  constructor(
    private readonly db: UnitOfWork,
    @Inject(OBJECT_STORE) private readonly objects: ObjectStore,
  ) {}

  /**
   * Streams the body into the object store (sha256 computed on the way by the store), then records the
   * artifact and its audit entry in one unit of work. Nothing is buffered; an over-size body is cut off at the limit.
   */
  async upload(runId: string, path: string, upload: ArtifactUpload, actor: RequestActor): Promise<ArtifactView> {
    const key = artifactKey(runId, path);
    try {
      assertSafeKey(key);
    } catch (error) {
      throw new SlipwayError(ErrorCode.INVALID_ARGUMENT, (error as Error).message, [{ field: 'params.path', message: 'not a safe artifact path' }]);
    }
    const contentType = upload.contentType?.trim() || 'application/octet-stream';
    if (contentType.length > 256 || !CONTENT_TYPE.test(contentType)) {
      throw new SlipwayError(ErrorCode.INVALID_ARGUMENT, 'Content-Type is not a valid media type', [
        { field: 'headers.content-type', message: 'not a media type' },
      ]);
    }
    if (upload.consumed) {
      throw new SlipwayError(
        ErrorCode.INVALID_ARGUMENT,
        'Upload artifacts with a Content-Type other than application/json or application/x-www-form-urlencoded (e.g. application/octet-stream)',
        [{ field: 'headers.content-type', message: 'bodies of this type are parsed by the API, not streamed' }],
      );
    }
    if (upload.declaredBytes !== null && upload.declaredBytes > this.maxBytes) throw this.tooLarge();
    assertWritable(await this.db.read.runs.get(runId), runId);
    if (await this.db.read.artifacts.find(runId, path)) throw this.exists(runId, path);
    // The object key is shared by every API replica, so the guard against two uploads racing on it is a row
    // in the database, not process memory: the loser is refused here, before it writes a byte.
    const claim = await this.db.read.artifacts.claimUpload(runId, path);
    if (!claim)
      throw new SlipwayError(ErrorCode.CONFLICT, `An upload to "${path}" of run ${runId} is in progress`, [
        { field: 'params.path', message: 'upload in progress' },
      ]);
    // Renewed while the bytes stream in, so that only a claim whose API process died goes stale (and a retry can take it over).
    let renewal: Promise<unknown> = Promise.resolve();
    const renewer = setInterval(() => {
      renewal = renewal.then(() =>
        this.db.read.artifacts.renewUpload(claim).then(
          (kept) => kept || this.logger.warn(`the upload claim on ${key} was taken over: this upload stalled past its claim`),
          (error: unknown) => this.logger.warn(`could not renew the upload claim on ${key}: ${(error as Error).message}`),
        ),
      );
    }, ARTIFACT_UPLOAD_CLAIM_TTL_MS / 3);
    try {
      // Checked again under the claim: an upload that held it before us has recorded its artifact by now.
      if (await this.db.read.artifacts.find(runId, path)) throw this.exists(runId, path);
      // pipeline (not pipe) so a client that disconnects mid-upload ends the store's write with an error.
      const body = pipeline(upload.body, this.limiter(), () => undefined);
      const stored = await this.objects.put(key, body, { contentType }).catch((error: unknown) => {
        if (error instanceof ArtifactTooLarge) throw this.tooLarge();
        // The object store's own failure (full, unreachable), already coded: a failed write also destroys the request body.
        if (error instanceof SlipwayError) throw error;
        if (upload.body.destroyed || (upload.body as { aborted?: boolean }).aborted)
          throw new SlipwayError(ErrorCode.INVALID_ARGUMENT, 'The upload was interrupted before its end');
        throw error;
      });
      try {
        return await inRequestFields({ path: 'params.path' }, () =>
          this.db.run(actor, async (tx) => {
            assertWritable(await tx.runs.lock(runId, 'share'), runId);
            const artifact = await tx.artifacts.create({ runId, path, uri: stored.uri, sha256: stored.sha256, sizeBytes: stored.sizeBytes, contentType });
            const view = toArtifactView(artifact);
            await tx.record({ action: 'artifact.create', entity: { type: 'artifact', id: artifact.id }, after: { runId, ...view } });
            return view;
          }),
        );
      } catch (error) {
        // Not recorded: the bytes are ours alone (no record existed, and we hold the claim), so remove them.
        await this.objects
          .delete(key)
          .catch((cleanup: unknown) => this.logger.warn(`could not remove unrecorded artifact ${key}: ${(cleanup as Error).message}`));
        throw error;
      }
    } finally {
      clearInterval(renewer);
      await renewal;
      await this.db.read.artifacts
        .releaseUpload(claim)
        .catch((error: unknown) => this.logger.warn(`could not release the upload claim on ${key}: ${(error as Error).message}`));
    }
  }

  async list(runId: string): Promise<ArtifactList> {
    if (!(await this.db.read.runs.get(runId))) throw new SlipwayError(ErrorCode.NOT_FOUND, `No run ${runId}`);
    return { artifacts: (await this.db.read.artifacts.list(runId)).map(toArtifactView) };
  }

  async open(runId: string, path: string): Promise<{ artifact: ArtifactEntity; body: Readable }> {
    if (!(await this.db.read.runs.get(runId))) throw new SlipwayError(ErrorCode.NOT_FOUND, `No run ${runId}`);
    const artifact = await this.db.read.artifacts.find(runId, path);
    if (!artifact) throw new SlipwayError(ErrorCode.NOT_FOUND, `Run ${runId} has no artifact "${path}"`);
    try {
      return { artifact, body: await this.objects.get(artifactKey(runId, path)) };
    } catch (error) {
      this.logger.error(`artifact ${artifactKey(runId, path)} is recorded but unreadable: ${(error as Error).message}`);
      throw new SlipwayError(ErrorCode.UNAVAILABLE, `The bytes of artifact "${path}" cannot be read from the object store`);
    }
  }

  private limiter(): Transform {
    let seen = 0;
    const max = this.maxBytes;
    return new Transform({
      transform(chunk: Buffer, _encoding, done) {
        seen += chunk.length;
        if (seen > max) done(new ArtifactTooLarge());
        else done(null, chunk);
      },
    });
  }

  private tooLarge(): SlipwayError {
    return new SlipwayError(ErrorCode.PAYLOAD_TOO_LARGE, `Artifacts are limited to ${this.maxBytes} bytes`);
  }

  private exists(runId: string, path: string): SlipwayError {
    return new SlipwayError(ErrorCode.ALREADY_EXISTS, `Run ${runId} already has an artifact at "${path}"; artifacts are immutable`, [
      { field: 'params.path', message: 'already exists' },
    ]);
  }
}
