import { ErrorCode, SlipwayError, type FieldError } from '@slipway/contracts';
import type { ArtifactVerificationError } from '@slipway/artifacts';
import type { ModelVersionEntity } from '@slipway/db';

// Fields name the domain (`model`, `runId`, `artifactPath`, `version`); the API renames them to the request
// fields that carried them (inRequestFields), a worker reports them as they are.

export const noModel = (name: string) => new SlipwayError(ErrorCode.NOT_FOUND, `No model "${name}"`, [{ field: 'model', message: 'no such model' }]);

/**
 * A tampered or incomplete artifact: FAILED_PRECONDITION (the request is fine; the stored artifact is not in
 * a state that may be served or registered). The message names the file; no byte of it is sent.
 */
export function verificationRefused(error: ArtifactVerificationError): SlipwayError {
  return new SlipwayError(ErrorCode.FAILED_PRECONDITION, error.message, [{ field: error.path ? `artifact.${error.path}` : 'artifact', message: error.reason }]);
}

/**
 * A registration that allocated a version number and then could not finish: the version is FAILED (never
 * READY, never left PENDING_UPLOAD when marking it could be done), and this error says which one, so a
 * training job can record what became of its registration. Code, message and fields are those of the cause.
 */
export class VersionRegistrationError extends SlipwayError {
  constructor(
    code: ErrorCode,
    message: string,
    fields: FieldError[] | undefined,
    /** The version as last seen: FAILED, or PENDING_UPLOAD when even marking it FAILED did not go through. */
    readonly version: ModelVersionEntity,
  ) {
    super(code, message, fields);
    this.name = 'VersionRegistrationError';
  }
}
