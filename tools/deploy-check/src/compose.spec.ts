import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import Ajv from 'ajv';
import { requireDatabaseUrl } from '@slipway/config';
import { describe, expect, it } from '@jest/globals';
import { expectNamed } from '@slipway/testing-matchers';
import { containerPortOf, loadCompose, type ComposeService } from './compose-file';
import { IMAGES, composePath, configFor, hostAndPort, imageCommand, problemWithNodeCommand, probedUrl } from './deployment-catalogue';
import { THIRD_PARTY_ENV, repoRoot, servedHealthPaths, settingNames } from './workspace-facts';

const compose = loadCompose(composePath);
const services = compose.services;
const ONE_SHOTS = ['minio-bucket', 'migrate'];

function dockerfileOf(service: ComposeService): string {
  if (!service.build) throw new Error(`${service.name} has no build`);
  return join(service.build.context, service.build.dockerfile);
}

/** Dockerfile path relative to the repository root, as compose resolves it from the file's folder. */
function repoDockerfileOf(service: ComposeService): string {
  const absolute = resolve(dirname(composePath), dockerfileOf(service));
  return absolute.slice(repoRoot.length + 1);
}

const slipwayServices = Object.values(services).filter((s) => s.build);

function roleOf(service: ComposeService) {
  return IMAGES[repoDockerfileOf(service)];
}

describe('docker-compose.yml', () => {
  it('defines Postgres, MinIO with its bucket job, the migration, API, worker, GPU worker, serving and console', () => {
    expect(Object.keys(services).sort()).toEqual(['api', 'console', 'migrate', 'minio', 'minio-bucket', 'postgres', 'serving', 'worker', 'worker-gpu']);
    expect(services.postgres.image).toBe('postgres:17');
    expect(services.minio.image).toMatch(/^minio\/minio(:|$)/);
    expect(services['minio-bucket'].image).toMatch(/^minio\/mc(:|$)/);
  });

  it('builds every Slipway image from the repository root with a Dockerfile of docker/', () => {
    for (const service of slipwayServices) {
      const context = resolve(dirname(composePath), service.build?.context ?? '');
      expectNamed(context, `${service.name} build context`).toBe(repoRoot);
      expect(existsSync(join(context, '.dockerignore'))).toBe(true);
      expectNamed(Object.keys(IMAGES), `${service.name} dockerfile`).toContain(repoDockerfileOf(service));
    }
    expect(new Set(slipwayServices.map(repoDockerfileOf))).toEqual(new Set(Object.keys(IMAGES)));
  });

  it('gives services that share an image tag the same build', () => {
    const byImage = new Map<string, string>();
    for (const service of slipwayServices) {
      expectNamed(service.image, `${service.name} names its image`).toMatch(/^slipway\/[\w-]+:[\w.-]+$/);
      const image = service.image ?? '';
      const dockerfile = repoDockerfileOf(service);
      expectNamed(byImage.get(image) ?? dockerfile, `${image} built from one Dockerfile`).toBe(dockerfile);
      byImage.set(image, dockerfile);
    }
  });

  it('health-checks every long-running service; only the one-shots lack a health check', () => {
    for (const service of Object.values(services)) {
      if (ONE_SHOTS.includes(service.name)) {
        expectNamed(service.restart, `${service.name} is a one-shot`).toBe('no');
        continue;
      }
      expectNamed(service.healthcheck?.test, `${service.name} healthcheck`).toBeDefined();
      expect(service.restart).toBe('unless-stopped');
    }
    expect(services.postgres.healthcheck?.test).toEqual(['CMD-SHELL', 'pg_isready -U slipway -d slipway']);
    expect(services.minio.healthcheck?.test).toEqual(['CMD', 'mc', 'ready', 'local']);
  });

  it('orders start-up on health and completion, never on services that cannot report either', () => {
    for (const service of Object.values(services)) {
      for (const [dependency, condition] of Object.entries(service.dependsOn)) {
        const target = services[dependency];
        expectNamed(target, `${service.name} depends on ${dependency}`).toBeDefined();
        if (condition === 'service_healthy') expectNamed(target.healthcheck, `${dependency} has a healthcheck`).toBeDefined();
        else {
          expectNamed(condition, `${service.name} → ${dependency}`).toBe('service_completed_successfully');
          expect(ONE_SHOTS).toContain(dependency);
        }
      }
    }
    expect(services.migrate.dependsOn).toEqual({ postgres: 'service_healthy' });
    for (const name of ['api', 'worker', 'worker-gpu', 'serving']) {
      expect(services[name].dependsOn).toMatchObject({
        postgres: 'service_healthy',
        migrate: 'service_completed_successfully',
        'minio-bucket': 'service_completed_successfully',
      });
    }
    expect(services.console.dependsOn).toEqual({ api: 'service_healthy' });
  });

  it('lets workers and serving scale (no container name, no host port) and puts the GPU worker behind the gpu profile', () => {
    for (const service of Object.values(services)) expectNamed(service.containerName, service.name).toBeUndefined();
    for (const name of ['worker', 'worker-gpu', 'serving']) expectNamed(services[name].ports, name).toEqual([]);
    expect(services['worker-gpu'].profiles).toEqual(['gpu']);
    expect(
      Object.values(services)
        .filter((s) => s.profiles.length > 0)
        .map((s) => s.name),
    ).toEqual(['worker-gpu']);
    expect(services['worker-gpu'].deploy?.resources?.reservations?.devices).toEqual([{ driver: 'nvidia', count: 1, capabilities: ['gpu'] }]);
    expect(IMAGES[repoDockerfileOf(services['worker-gpu'])].gpu).toBe(true);
    expect(IMAGES[repoDockerfileOf(services.worker)].gpu).toBe(false);
  });

  it('sets and interpolates only documented settings or variables third-party images read', () => {
    for (const service of Object.values(services)) {
      for (const name of Object.keys(service.environment)) {
        expectNamed(settingNames.has(name) || THIRD_PARTY_ENV.has(name), `${service.name}: ${name}`).toBe(true);
      }
    }
    for (const name of compose.interpolatedVariables) expectNamed(THIRD_PARTY_ENV.has(name), `\${${name}}`).toBe(true);
  });

  describe.each(slipwayServices.map((s) => s.name))('%s', (name) => {
    const service = services[name];
    const dockerfile = repoDockerfileOf(service);
    const image = roleOf(service);

    it('runs a command that exists in its image', () => {
      const command = (service.command as string[] | undefined) ?? imageCommand(dockerfile);
      expect(problemWithNodeCommand(dockerfile, command)).toBeUndefined();
      expect(service.entrypoint).toBeUndefined();
    });

    if (image.role !== 'console') {
      it('gets a valid server configuration pointing at the compose Postgres, MinIO and API', () => {
        const config = configFor(dockerfile, service.environment);
        const databaseUrl = new URL(requireDatabaseUrl(config));
        const postgres = services.postgres.environment;
        expect([databaseUrl.hostname, databaseUrl.port, databaseUrl.pathname]).toEqual(['postgres', '5432', `/${postgres.POSTGRES_DB}`]);
        expect([decodeURIComponent(databaseUrl.username), decodeURIComponent(databaseUrl.password)]).toEqual([
          postgres.POSTGRES_USER,
          postgres.POSTGRES_PASSWORD,
        ]);
        expect(config.objectStore).toEqual({
          kind: 's3',
          bucket: 'slipway',
          endpoint: 'http://minio:9000',
          region: 'us-east-1',
          accessKeyId: services.minio.environment.MINIO_ROOT_USER,
          secretAccessKey: services.minio.environment.MINIO_ROOT_PASSWORD,
          forcePathStyle: true,
        });
        const apiConfig = configFor(repoDockerfileOf(services.api), services.api.environment);
        expect(config.api.publicUrl).toBe(`http://api:${apiConfig.api.port}`);
      });
    }
  });

  it('creates the bucket the servers use, on the MinIO they use', () => {
    const command = [services['minio-bucket'].entrypoint, services['minio-bucket'].command].flat().join(' ');
    const bucket = configFor(repoDockerfileOf(services.api), services.api.environment).objectStore;
    expect(bucket.kind).toBe('s3');
    if (bucket.kind !== 's3') return;
    expect(command).toContain(`mc alias set slipway ${bucket.endpoint} "$MINIO_ROOT_USER" "$MINIO_ROOT_PASSWORD"`);
    expect(command).toContain(`mc mb --ignore-existing slipway/${bucket.bucket}`);
    expect(services['minio-bucket'].environment).toEqual({
      MINIO_ROOT_USER: services.minio.environment.MINIO_ROOT_USER,
      MINIO_ROOT_PASSWORD: services.minio.environment.MINIO_ROOT_PASSWORD,
    });
  });

  it('migrates once before the API, which then skips its own migration run', () => {
    expect(services.migrate.command).toEqual(['node', 'dist/server/tools/platform/migrate.js']);
    expect(repoDockerfileOf(services.migrate)).toBe('docker/api.Dockerfile');
    const config = configFor(repoDockerfileOf(services.api), services.api.environment);
    expect(config.migrateOnStart).toBe(false);
    expect(configFor('docker/api.Dockerfile', services.migrate.environment).database.url).toBe(config.database.url);
  });

  it('publishes and health-checks the API on the port it listens on, on all interfaces', () => {
    const config = configFor(repoDockerfileOf(services.api), services.api.environment);
    expect(config.api.host).toBe('0.0.0.0');
    expect(services.api.ports.map(containerPortOf)).toEqual([config.api.port]);
    const probed = probedUrl(services.api.healthcheck?.test ?? []);
    expect(probed).toEqual({ port: String(config.api.port), path: '/health' });
    expect(servedHealthPaths().api).toContain(probed?.path);
  });

  it('health-checks serving on its port, listening on all interfaces, ready only once its routes are loaded', () => {
    const config = configFor(repoDockerfileOf(services.serving), services.serving.environment);
    expect(config.serving.host).toBe('0.0.0.0');
    const probed = probedUrl(services.serving.healthcheck?.test ?? []);
    expect(probed).toEqual({ port: String(config.serving.port), path: '/v2/health/ready' });
    expect(servedHealthPaths().serving).toContain(probed?.path);
  });

  // Serving verifies versions with the API's key, and the workers sign the versions training jobs register with it.
  it.each(['serving', 'worker', 'worker-gpu'])("%s uses the API's signing key: the API's file, in a named volume mounted read-only", (name) => {
    const service = services[name];
    const mounts = (of: ComposeService) =>
      of.volumes.map((entry) => {
        const [source, target, mode] = entry.split(':');
        return { source, target, readOnly: mode === 'ro' };
      });
    const within = (file: string, folder: string) => (file.startsWith(`${folder}/`) ? file.slice(folder.length + 1) : undefined);
    const key = configFor(repoDockerfileOf(service), service.environment).signingKeyFile;
    const apiKey = configFor(repoDockerfileOf(services.api), services.api.environment).signingKeyFile;
    const mount = mounts(service).find((m) => within(key, m.target) !== undefined);
    expectNamed(mount, `${name} mounts the folder of ${key}`).toBeDefined();
    expect(mount?.readOnly).toBe(true);
    const apiMount = mounts(services.api).find((m) => m.source === mount?.source);
    expectNamed(apiMount, `the API mounts volume ${mount?.source}`).toBeDefined();
    expect(apiMount?.readOnly).toBe(false);
    // The same file name under both mounts: the one the API creates at start is the one this service reads.
    expect(within(apiKey, apiMount?.target ?? '')).toBe(within(key, mount?.target ?? ''));
    expect(Object.keys((compose.document as { volumes?: Record<string, unknown> }).volumes ?? {})).toContain(mount?.source);
    // The API creates its key while starting, before it reports healthy.
    expect(service.dependsOn.api).toBe('service_healthy');
  });

  it.each(['worker', 'worker-gpu'])('health-checks %s on its health port', (name) => {
    const service = services[name];
    const config = configFor(repoDockerfileOf(service), service.environment);
    const probed = probedUrl(service.healthcheck?.test ?? []);
    expect(probed).toEqual({ port: String(config.workers.healthPort), path: '/health' });
    expect(servedHealthPaths().worker).toContain('/health');
    expect(config.workers.tfBackend).toBe(IMAGES[repoDockerfileOf(service)].tfBackend);
  });

  it('runs the console on its port, reaching the API by service name', () => {
    const env = services.console.environment;
    expect(env.PORT).toBe(env.SLIPWAY_CONSOLE_PORT);
    expect(env.HOSTNAME).toBe('0.0.0.0');
    expect(services.console.ports.map(containerPortOf)).toEqual([Number(env.PORT)]);
    const probed = probedUrl(services.console.healthcheck?.test ?? []);
    expect(probed).toEqual({ port: env.PORT, path: '/api/healthz' });
    expect(servedHealthPaths().console).toContain('/api/healthz');
    const apiConfig = configFor(repoDockerfileOf(services.api), services.api.environment);
    expect(hostAndPort(env.SLIPWAY_API_URL)).toEqual({ host: 'api', port: apiConfig.api.port });
  });
});

/** `docker compose config` validates the file against the Compose specification without an engine. */
function composeCli(): string[] | undefined {
  const plugin = spawnSync('docker', ['compose', 'version'], { encoding: 'utf8' });
  return plugin.status === 0 ? ['docker', 'compose'] : undefined;
}

describe('the Compose specification', () => {
  it('accepts the file, GPU profile included', () => {
    // The specification's own JSON Schema (vendored, see schema/README.md), after interpolation as
    // Compose does it: runs everywhere, including machines with the docker client but no Compose plugin.
    const schema = JSON.parse(readFileSync(join(__dirname, '..', 'schema', 'compose-spec.json'), 'utf8'));
    const validate = new Ajv({ strict: false, allErrors: true, validateSchema: false }).compile(schema);
    expect(validate(compose.document) ? [] : validate.errors).toEqual([]);
    expect(services['worker-gpu'].profiles).toContain('gpu');
    // Where the Compose plugin is installed, its own validation must agree.
    const cli = composeCli();
    if (cli) {
      const [command, ...args] = cli;
      const result = spawnSync(command, [...args, '-f', composePath, '--profile', 'gpu', 'config', '-q'], { encoding: 'utf8', cwd: repoRoot });
      expect(result.stderr).toBe('');
      expect(result.status).toBe(0);
    }
  });
});
