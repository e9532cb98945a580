import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadConfig, requireDatabaseUrl } from '@slipway/config';
import { describe, expect, it } from '@jest/globals';
import { expectNamed } from '@slipway/testing-matchers';
import { IMAGES, buildContext, dockerfilesInRepo, imageCommand, imageEnv, loadDockerfile, problemWithNodeCommand, probedUrl } from './deployment-catalogue';
import { copiesOf, exposedPorts, findStage, finalStage, lastInstruction, splitWords, workdirAt } from './dockerfile-parser';
import { isImageAlias, originOf } from './image-file-origin';
import { THIRD_PARTY_ENV, npmScripts, repoPathExists, repoRoot, servedHealthPaths, settingDefault, settingNames } from './workspace-facts';

const dockerfiles = Object.keys(IMAGES);

describe('.dockerignore', () => {
  it.each([
    'node_modules',
    'libs/config/node_modules',
    'dist/server',
    'apps/console/.next',
    '.nx/cache',
    '.slipway/postgres',
    '.git',
    'libs/db/src/generated/prisma/client.ts',
    '.env',
  ])('keeps host build output and local state out of the context: %s', (path) => {
    expect(buildContext.dockerignore.isIgnored(path)).toBe(true);
  });

  it('keeps every input of the image builds in the context', () => {
    const inputs = [
      'package.json',
      'package-lock.json',
      'prisma.config.ts',
      'prisma/schema.prisma',
      'prisma/migrations',
      'tools/db/generate-client.cjs',
      'tools/build/build-server.mjs',
      'tsconfig.base.json',
      'libs/config/src/platform-config.ts',
      'libs/ml/datasets/data',
      'apps/console/app',
    ];
    for (const input of inputs) {
      expectNamed(repoPathExists(input), `${input} exists`).toBe(true);
      expectNamed(buildContext.dockerignore.isIgnored(input), `${input} is in the build context`).toBe(false);
    }
  });
});

describe('Dockerfiles', () => {
  it('are exactly the five images (API, CPU worker, GPU worker, serving, console)', () => {
    expect(dockerfilesInRepo()).toEqual([...dockerfiles].sort());
  });

  describe.each(dockerfiles)('%s', (path) => {
    const spec = IMAGES[path];
    const dockerfile = loadDockerfile(path);
    const runtime = finalStage(dockerfile);

    it('is a multi-stage build whose final stage builds nothing itself', () => {
      expect(dockerfile.stages.length).toBeGreaterThanOrEqual(2);
      const runSteps = runtime.instructions.filter((i) => i.keyword === 'RUN').map((i) => i.rest);
      for (const step of runSteps) expect(step).not.toMatch(/\bnpm (ci|install|run)\b/);
    });

    it('copies only files that exist in the build context, are not .dockerignored, or come from a build step', () => {
      for (const stage of dockerfile.stages) {
        for (const copy of copiesOf(dockerfile, stage)) {
          for (const source of copy.sources) {
            const where = `${path}:${copy.instruction.line} ${source}`;
            if (copy.from === undefined) {
              const contextPath = source.replace(/^\.?\/*/, '');
              expectNamed(contextPath === '' || repoPathExists(contextPath), `${where} exists`).toBe(true);
              expectNamed(contextPath !== '' && buildContext.dockerignore.isIgnored(contextPath), `${where} is not .dockerignored`).toBe(false);
              continue;
            }
            const sourceStage = findStage(dockerfile, copy.from);
            expectNamed(sourceStage, `${where}: --from=${copy.from} is a stage of this file`).toBeDefined();
            if (!sourceStage) continue;
            expectNamed(source.startsWith('/'), `${where}: --from sources are absolute`).toBe(true);
            const origin = originOf(dockerfile, sourceStage, source, buildContext);
            if (isImageAlias(sourceStage)) expectNamed(origin.kind, where).toBe('base-image');
            else expectNamed(['context', 'build-output'], `${where} comes from ${JSON.stringify(origin)}`).toContain(origin.kind);
          }
        }
      }
    });

    it('runs only npm scripts that package.json defines', () => {
      const scripts = npmScripts();
      const runs = dockerfile.stages.flatMap((s) => s.instructions.filter((i) => i.keyword === 'RUN'));
      const used = runs.flatMap((run) => [...run.rest.matchAll(/\bnpm run ([\w:-]+)/g)].map((m) => m[1]));
      expect(used.length).toBeGreaterThan(0);
      for (const script of used) expectNamed(Object.keys(scripts), `npm run ${script}`).toContain(script);
    });

    it('has what the root postinstall needs (prisma generate) in place before npm ci', () => {
      const postinstall = npmScripts().postinstall;
      expectNamed(postinstall, 'package.json has a postinstall that generates the Prisma client').toMatch(/generate-client|prisma generate/);
      const referencedFiles = splitWords(postinstall ?? '').filter((w) => /\.(c?js|mjs|ts)$/.test(w));
      const needed = ['package.json', 'package-lock.json', 'prisma/schema.prisma', 'prisma.config.ts', ...referencedFiles];
      const buildStages = dockerfile.stages.filter((s) => s.instructions.some((i) => i.keyword === 'RUN' && /\bnpm ci\b/.test(i.rest)));
      expect(buildStages.length).toBe(1);
      const [stage] = buildStages;
      const npmCi = stage.instructions.findIndex((i) => i.keyword === 'RUN' && /\bnpm ci\b/.test(i.rest));
      const workdir = workdirAt(dockerfile, stage, npmCi);
      for (const file of needed) {
        const origin = originOf(dockerfile, stage, `${workdir}/${file}`, buildContext, npmCi);
        expectNamed(origin, `${file} is copied before npm ci`).toEqual({ kind: 'context', path: file });
      }
    });

    it('starts a script the build produces from existing source', () => {
      expect(problemWithNodeCommand(path, imageCommand(path))).toBeUndefined();
    });

    it('runs as a non-root user', () => {
      const user = lastInstruction(dockerfile, runtime, 'USER')?.rest.trim();
      expect(user).toBeDefined();
      expect(user).not.toMatch(/^(root|0)(:|$)/);
    });

    it('sets only documented settings or variables third-party software reads', () => {
      const env = imageEnv(path);
      for (const name of Object.keys(env)) expectNamed(settingNames.has(name) || THIRD_PARTY_ENV.has(name), `${path} ENV ${name}`).toBe(true);
    });

    it('exposes the port its process listens on, and health-checks a path the code serves there', () => {
      const env = imageEnv(path);
      const port = env[spec.portVariable];
      expectNamed(port, `${spec.portVariable} is set in the image`).toMatch(/^\d+$/);
      expect(exposedPorts(dockerfile, runtime)).toEqual([Number(port)]);
      if (spec.role === 'api') expect(port).toBe(settingDefault('SLIPWAY_API_PORT'));
      if (spec.role === 'serving') expect(port).toBe(settingDefault('SLIPWAY_SERVING_PORT'));
      if (spec.role === 'console')
        expect([port, env.SLIPWAY_CONSOLE_PORT]).toEqual([settingDefault('SLIPWAY_CONSOLE_PORT'), settingDefault('SLIPWAY_CONSOLE_PORT')]);
      const healthcheck = lastInstruction(dockerfile, runtime, 'HEALTHCHECK');
      expect(healthcheck?.execForm).toBeDefined();
      const probed = probedUrl(healthcheck?.execForm ?? []);
      expectNamed(probed, 'health check fetches http://127.0.0.1:<port>/<path>').toBeDefined();
      expect(probed?.port).toBe(`${spec.portVariable}|${port}`);
      expect(servedHealthPaths()[spec.role]).toContain(probed?.path);
    });

    if (spec.role !== 'console') {
      it('configures the server process for a container (valid settings, listens beyond loopback)', () => {
        const env = { ...imageEnv(path), DATABASE_URL: 'postgresql://u:p@postgres:5432/slipway' };
        const config = loadConfig(env, '/app');
        expect(requireDatabaseUrl(config)).toBe(env.DATABASE_URL);
        expect(config.home).toBe('/var/lib/slipway');
        if (spec.role === 'api') expect(config.api.host).toBe('0.0.0.0');
        if (spec.role === 'worker') expect(config.workers.healthPort).toBe(9464);
        if (spec.role === 'serving') expect([config.serving.host, config.serving.port]).toEqual(['0.0.0.0', 8090]);
        expect(config.workers.tfBackend).toBe(spec.tfBackend);
        // Migrations and package.json (the version /health reports) are found at the workspace root, the
        // folder holding prisma/schema.prisma: in the image, the WORKDIR.
        for (const file of ['prisma/schema.prisma', 'prisma/migrations', 'package.json']) {
          expect(originOf(dockerfile, runtime, `/app/${file}`, buildContext)).toEqual({ kind: 'context', path: file });
        }
      });
    }

    it('installs exactly the TensorFlow binding it uses', () => {
      const runs = dockerfile.stages.flatMap((s) => s.instructions.filter((i) => i.keyword === 'RUN').map((i) => i.rest)).join('\n');
      if (spec.gpu) {
        expect(runs).toMatch(/rm -rf node_modules\/@tensorflow\/tfjs-node(\s|$)/);
        expect(runs).toMatch(/test -f node_modules\/@tensorflow\/tfjs-node-gpu\/package\.json/);
      } else if (spec.role !== 'console') {
        expect(runs).toMatch(/rm -rf node_modules\/@tensorflow\/tfjs-node-gpu/);
      }
    });
  });
});

describe('GPU worker image', () => {
  const dockerfile = loadDockerfile('docker/worker-gpu.Dockerfile');

  it('runs on a CUDA 11 + cuDNN 8 runtime, the toolkit libtensorflow 2.9 (tfjs-node-gpu 4.22) was built for', () => {
    const lock = JSON.parse(readFileSync(join(repoRoot, 'package-lock.json'), 'utf8')) as { packages: Record<string, { version?: string }> };
    // Bumping tfjs-node-gpu changes the bundled libtensorflow and with it the CUDA it needs: re-check the base image then.
    expect(lock.packages['node_modules/@tensorflow/tfjs-node-gpu']?.version).toMatch(/^4\.22\./);
    const runtime = finalStage(dockerfile);
    const cudaStage = findStage(dockerfile, runtime.from);
    expect(cudaStage?.from).toMatch(/^nvidia\/cuda:11\.\d+\.\d+-cudnn8-runtime-ubuntu\d+\.\d+$/);
  });

  it('takes Node.js 22 from the official image and runs as the uid the Kubernetes manifests use', () => {
    expect(dockerfile.stages[0].from).toBe('node:22-bookworm-slim');
    const runtime = finalStage(dockerfile);
    expect(runtime.instructions.some((i) => i.keyword === 'RUN' && /useradd --uid 1000 .*\bnode\b/.test(i.rest))).toBe(true);
    expect(lastInstruction(dockerfile, runtime, 'USER')?.rest).toBe('node');
  });
});

describe('CPU images', () => {
  it.each(['docker/api.Dockerfile', 'docker/worker.Dockerfile', 'docker/console.Dockerfile'])('%s runs on node:22-bookworm-slim', (path) => {
    expect(finalStage(loadDockerfile(path)).from).toBe('node:22-bookworm-slim');
  });
});
