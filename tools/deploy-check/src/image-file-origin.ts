/**
 * Where a file in an image comes from: follows COPY --from chains back through the build stages to either the
 * build context (a repository file), the output of a build step run inside the image, or another image.
 */
import { existsSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { copiesOf, findStage, resolveInStage, type DockerCopy, type Dockerfile, type DockerStage } from './dockerfile-parser';
import type { DockerIgnore } from './dockerignore';

/** Something a RUN step creates inside the image, relative to the WORKDIR it runs in. */
export interface BuildOutput {
  path: string;
  /** Matches the RUN command that creates it. */
  producedBy: RegExp;
  description: string;
}

export type FileOrigin =
  | { kind: 'context'; path: string }
  | { kind: 'build-output'; output: BuildOutput; rest: string }
  | { kind: 'external-image'; image: string; path: string }
  /** Not written by any instruction: whatever the base image has there, if anything. */
  | { kind: 'base-image'; image: string; path: string };

export interface BuildContext {
  /** Absolute path of the build context (the repository root). */
  root: string;
  dockerignore: DockerIgnore;
  outputs: BuildOutput[];
}

function withinOrEqual(path: string, folder: string): string | undefined {
  if (path === folder) return '';
  const prefix = folder.endsWith('/') ? folder : `${folder}/`;
  return path.startsWith(prefix) ? path.slice(prefix.length) : undefined;
}

/** The context path a COPY without --from wrote to `target`, if it wrote it. */
function contextSourceFor(copy: DockerCopy, source: string, target: string, context: BuildContext): string | undefined {
  const contextPath = source.replace(/^\.?\/*/, '').replace(/\/+$/, '');
  const absolute = join(context.root, contextPath);
  const isFolder = existsSync(absolute) && statSync(absolute).isDirectory();
  let candidate: string | undefined;
  if (isFolder) {
    const rest = withinOrEqual(target, copy.destination);
    if (rest !== undefined) candidate = rest === '' ? contextPath : contextPath === '' ? rest : `${contextPath}/${rest}`;
  } else {
    const fileTarget = copy.destinationIsFolder ? `${copy.destination.replace(/\/$/, '')}/${basename(contextPath)}` : copy.destination;
    if (target === fileTarget) candidate = contextPath;
  }
  if (candidate === undefined || candidate === '') return candidate;
  // Excluded by .dockerignore or absent: this COPY did not write it.
  if (!existsSync(join(context.root, candidate)) || context.dockerignore.isIgnored(candidate)) return undefined;
  return candidate;
}

/** Paths in the source stage that a COPY --from could have written to `target`. */
function stageSourcesFor(copy: DockerCopy, source: string, target: string): string[] {
  const absoluteSource = source.startsWith('/') ? source : `/${source}`;
  const candidates: string[] = [];
  const rest = withinOrEqual(target, copy.destination);
  if (rest !== undefined) candidates.push(rest === '' ? absoluteSource : `${absoluteSource.replace(/\/$/, '')}/${rest}`);
  if (copy.destinationIsFolder && target === `${copy.destination.replace(/\/$/, '')}/${basename(absoluteSource)}`) candidates.push(absoluteSource);
  return candidates;
}

/**
 * Origin of the file or folder at absolute `path` in `stage`, as it stands before instruction `before`
 * (default: at the end of the stage). The last writer wins, as in the image's layers.
 */
export function originOf(dockerfile: Dockerfile, stage: DockerStage, path: string, context: BuildContext, before = stage.instructions.length): FileOrigin {
  const copies = new Map(copiesOf(dockerfile, stage).map((c) => [c.position, c]));
  for (let position = before - 1; position >= 0; position--) {
    const instruction = stage.instructions[position];
    if (instruction.keyword === 'RUN') {
      for (const output of context.outputs) {
        if (!output.producedBy.test(instruction.rest)) continue;
        const rest = withinOrEqual(path, resolveInStage(dockerfile, stage, position, output.path));
        if (rest !== undefined) return { kind: 'build-output', output, rest };
      }
      continue;
    }
    const copy = copies.get(position);
    if (!copy) continue;
    for (const source of [...copy.sources].reverse()) {
      if (copy.from === undefined) {
        const contextPath = contextSourceFor(copy, source, path, context);
        if (contextPath !== undefined) return { kind: 'context', path: contextPath };
        continue;
      }
      const sourceStage = findStage(dockerfile, copy.from);
      for (const candidate of stageSourcesFor(copy, source, path)) {
        if (!sourceStage) return { kind: 'external-image', image: copy.from, path: candidate };
        const origin = originOf(dockerfile, sourceStage, candidate, context);
        if (origin.kind !== 'base-image' || isImageAlias(sourceStage)) return origin;
      }
    }
  }
  const base = findStage(dockerfile, stage.from);
  if (base) return originOf(dockerfile, base, path, context);
  return { kind: 'base-image', image: stage.from, path };
}

/** A stage that only names an image (`FROM node:22 AS node`) so that COPY --from can take files out of it. */
export function isImageAlias(stage: DockerStage): boolean {
  return stage.instructions.length === 0;
}
