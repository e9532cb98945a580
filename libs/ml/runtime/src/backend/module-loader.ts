import { createRequire } from 'node:module';

/** Loads a CommonJS module by name; throws (MODULE_NOT_FOUND) when it is not installed. */
export type ModuleLoader = (moduleId: string) => unknown;

const requireFromHere = createRequire(__filename);

/**
 * The guarded dynamic require the optional routes go through: tfjs-node(-gpu) and webgpu are
 * optional installs, so a missing module must mean "skip this route", never a crash at import time.
 */
export const nodeModuleLoader: ModuleLoader = (moduleId) => requireFromHere(moduleId);

/** A short reason for a failed load: "not installed" for a missing module, the error's first line otherwise. */
export function describeLoadFailure(moduleId: string, error: unknown): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  const message = error instanceof Error ? error.message : String(error);
  if (code === 'MODULE_NOT_FOUND' && message.includes(`'${moduleId}'`)) return `${moduleId} is not installed`;
  return `${moduleId} failed to load: ${message.split('\n')[0]}`;
}
