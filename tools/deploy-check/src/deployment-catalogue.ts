/**
 * What the deployment files are expected to contain, and the shared loaders the specs use: the five images,
 * the outputs their build steps create, and helpers that turn an image + environment into Slipway's config.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadConfig, type PlatformConfig, type TfBackendSetting } from '@slipway/config';
import { finalStage, lastInstruction, parseDockerfile, envOf, type Dockerfile } from './dockerfile-parser';
import { parseDockerIgnore } from './dockerignore';
import { originOf, type BuildContext, type BuildOutput, type FileOrigin } from './image-file-origin';
import { consoleBuildsStandalone, repoRoot, serverSourceFor } from './workspace-facts';

export type ImageRole = 'api' | 'worker' | 'serving' | 'console';

export interface ImageSpec {
  role: ImageRole;
  /** The setting (or, for Next.js, PORT) whose value is the port the process listens on. */
  portVariable: 'SLIPWAY_API_PORT' | 'SLIPWAY_WORKER_HEALTH_PORT' | 'SLIPWAY_SERVING_PORT' | 'PORT';
  gpu: boolean;
  /** SLIPWAY_TF_BACKEND the image's workers must end up with (typed: a renamed backend fails to compile). */
  tfBackend: TfBackendSetting;
}

export const IMAGES: Record<string, ImageSpec> = {
  'docker/api.Dockerfile': { role: 'api', portVariable: 'SLIPWAY_API_PORT', gpu: false, tfBackend: 'auto' },
  'docker/worker.Dockerfile': { role: 'worker', portVariable: 'SLIPWAY_WORKER_HEALTH_PORT', gpu: false, tfBackend: 'auto' },
  // Forced, so a GPU worker whose CUDA setup is broken fails loudly instead of training on its CPU.
  'docker/worker-gpu.Dockerfile': { role: 'worker', portVariable: 'SLIPWAY_WORKER_HEALTH_PORT', gpu: true, tfBackend: 'node-gpu' },
  'docker/serving.Dockerfile': { role: 'serving', portVariable: 'SLIPWAY_SERVING_PORT', gpu: false, tfBackend: 'auto' },
  'docker/console.Dockerfile': { role: 'console', portVariable: 'PORT', gpu: false, tfBackend: 'auto' },
};

/** Files that RUN steps create inside the build stages (paths relative to the WORKDIR of the step). */
export const BUILD_OUTPUTS: BuildOutput[] = [
  { path: 'node_modules', producedBy: /\bnpm (ci|prune)\b/, description: 'npm ci (pruned to production dependencies)' },
  { path: 'libs/db/src/generated', producedBy: /\bnpm ci\b/, description: 'prisma generate, run by the root postinstall' },
  { path: 'dist/server', producedBy: /\bnpm run build:server\b/, description: 'tools/build/build-server.mjs (SWC)' },
  { path: 'apps/console/.next', producedBy: /\bnpm run build:console\b/, description: 'next build (standalone output)' },
  { path: 'apps/console/public', producedBy: /\bmkdir -p apps\/console\/public\b/, description: 'the console public/ folder, created if the app has none' },
];

export const composePath = join(repoRoot, 'docker', 'docker-compose.yml');
export const k8sRoot = join(repoRoot, 'infra', 'k8s');
/** Top-level kustomizations a user applies (`kubectl apply -k infra/k8s/<name>`). */
export const KUSTOMIZATIONS = ['base', 'gpu', 'try-it'];

export const buildContext: BuildContext = {
  root: repoRoot,
  dockerignore: parseDockerIgnore(readFileSync(join(repoRoot, '.dockerignore'), 'utf8')),
  outputs: BUILD_OUTPUTS,
};

export function dockerfilesInRepo(): string[] {
  return readdirSync(join(repoRoot, 'docker'))
    .filter((name) => name.endsWith('Dockerfile'))
    .map((name) => `docker/${name}`)
    .sort();
}

const dockerfileCache = new Map<string, Dockerfile>();
export function loadDockerfile(path: string): Dockerfile {
  let parsed = dockerfileCache.get(path);
  if (!parsed) {
    parsed = parseDockerfile(readFileSync(join(repoRoot, path), 'utf8'), path);
    dockerfileCache.set(path, parsed);
  }
  return parsed;
}

/** Where the file a command runs (relative to the image's WORKDIR) comes from in the final image. */
export function originInImage(dockerfilePath: string, pathInImage: string): FileOrigin {
  const dockerfile = loadDockerfile(dockerfilePath);
  const stage = finalStage(dockerfile);
  const workdir = workdirOfFinalStage(dockerfile);
  const absolute = pathInImage.startsWith('/') ? pathInImage : `${workdir}/${pathInImage}`;
  return originOf(dockerfile, stage, absolute, buildContext);
}

function workdirOfFinalStage(dockerfile: Dockerfile): string {
  const workdir = lastInstruction(dockerfile, finalStage(dockerfile), 'WORKDIR');
  return workdir ? workdir.rest.trim().replace(/\/$/, '') : '';
}

/**
 * Why a `node <script>` command cannot run in the image, or undefined when it can: the script must be
 * produced by the server build from a TypeScript source that exists, or be the console's standalone server.
 */
export function problemWithNodeCommand(dockerfilePath: string, command: string[] | undefined): string | undefined {
  if (!command || command[0] !== 'node' || command.length < 2) return `expected ["node", "<script>"], got ${JSON.stringify(command)}`;
  const origin = originInImage(dockerfilePath, command[1]);
  if (origin.kind !== 'build-output') return `${command[1]} does not come from a build step in ${dockerfilePath} (${JSON.stringify(origin)})`;
  if (origin.output.path === 'dist/server') {
    return serverSourceFor(`${origin.rest}`)
      ? undefined
      : `dist/server/${origin.rest} has no source ${origin.rest.replace(/\.js$/, '.ts')} under the server build's sources`;
  }
  if (origin.output.path === 'apps/console/.next') {
    if (origin.rest !== 'standalone/apps/console/server.js') return `console command runs .next/${origin.rest}, not the standalone server`;
    return consoleBuildsStandalone() ? undefined : "apps/console/next.config.* does not set output: 'standalone' with outputFileTracingRoot";
  }
  return `${command[1]} comes from ${origin.output.path}, which holds no entry points`;
}

/** The final stage's CMD in exec form. */
export function imageCommand(dockerfilePath: string): string[] | undefined {
  const dockerfile = loadDockerfile(dockerfilePath);
  return lastInstruction(dockerfile, finalStage(dockerfile), 'CMD')?.execForm;
}

/** ENV of the image's final stage. */
export function imageEnv(dockerfilePath: string): Record<string, string> {
  const dockerfile = loadDockerfile(dockerfilePath);
  return envOf(dockerfile, finalStage(dockerfile));
}

/** Slipway's configuration as a container with this image and these extra variables would parse it. */
export function configFor(dockerfilePath: string, env: Record<string, string>): PlatformConfig {
  return loadConfig({ ...imageEnv(dockerfilePath), ...env }, '/app');
}

/** Host and port of a URL, with the scheme's default port filled in. */
export function hostAndPort(url: string): { host: string; port: number } {
  const parsed = new URL(url);
  const defaults: Record<string, number> = { 'http:': 80, 'https:': 443, 'postgresql:': 5432, 'postgres:': 5432 };
  return { host: parsed.hostname, port: parsed.port ? Number(parsed.port) : defaults[parsed.protocol] };
}

/** The port and path a `node -e "fetch('http://127.0.0.1:PORT/PATH')..."` health check probes. */
export function probedUrl(healthcheck: string[] | string): { port: string; path: string } | undefined {
  const text = Array.isArray(healthcheck) ? healthcheck.join(' ') : healthcheck;
  const literal = /fetch\('http:\/\/127\.0\.0\.1:(\d+)(\/[^']*)'\)/.exec(text);
  if (literal) return { port: literal[1], path: literal[2] };
  const fromEnv = /fetch\('http:\/\/127\.0\.0\.1:' \+ \(process\.env\.(\w+) \|\| (\d+)\) \+ '(\/[^']*)'\)/.exec(text);
  if (fromEnv) return { port: `${fromEnv[1]}|${fromEnv[2]}`, path: fromEnv[3] };
  return undefined;
}
