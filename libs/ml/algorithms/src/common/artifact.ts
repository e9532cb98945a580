import { MlInputError, MlInputErrorCode } from './ml-input.error';

/**
 * Versioned, self-describing model artifact. `format` names the model family, `formatVersion` the layout of
 * `params`/`state`; a reader refuses versions it does not know instead of guessing.
 */
export interface ModelArtifact<F extends string, P, S> {
  format: F;
  formatVersion: number;
  params: P;
  state: S;
}

/** Parses JSON text or an object and checks the envelope; the model's own loader checks params/state. */
export function readArtifactEnvelope<F extends string>(input: string | object, format: F, supportedVersion: number): { params: unknown; state: unknown } {
  let value: unknown;
  try {
    value = typeof input === 'string' ? JSON.parse(input) : input;
  } catch (error) {
    throw new MlInputError(MlInputErrorCode.BAD_ARTIFACT, 'artifact', `is not valid JSON (${(error as Error).message})`);
  }
  const envelope = value as Partial<ModelArtifact<string, unknown, unknown>> | null;
  if (!envelope || typeof envelope !== 'object') throw new MlInputError(MlInputErrorCode.BAD_ARTIFACT, 'artifact', 'must be an object');
  if (envelope.format !== format) {
    throw new MlInputError(MlInputErrorCode.BAD_ARTIFACT, 'artifact.format', `expected "${format}", got ${JSON.stringify(envelope.format)}`);
  }
  if (envelope.formatVersion !== supportedVersion) {
    throw new MlInputError(
      MlInputErrorCode.BAD_ARTIFACT,
      'artifact.formatVersion',
      `this reader understands version ${supportedVersion}, got ${JSON.stringify(envelope.formatVersion)}`,
    );
  }
  if (!envelope.params || !envelope.state) throw new MlInputError(MlInputErrorCode.BAD_ARTIFACT, 'artifact', 'is missing params or state');
  return { params: envelope.params, state: envelope.state };
}

export function numberArray(value: unknown, argument: string, length?: number): number[] {
  if (!Array.isArray(value) || (length !== undefined && value.length !== length) || value.some((v) => typeof v !== 'number' || !Number.isFinite(v))) {
    throw new MlInputError(MlInputErrorCode.BAD_ARTIFACT, argument, `must be an array of ${length ?? 'any number of'} finite numbers`);
  }
  return value as number[];
}
