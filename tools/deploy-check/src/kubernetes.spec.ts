import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { requireDatabaseUrl, type PlatformConfig } from '@slipway/config';
import { describe, expect, it } from '@jest/globals';
import { expectNamed } from '@slipway/testing-matchers';
import { loadCompose } from './compose-file';
import {
  IMAGES,
  KUSTOMIZATIONS,
  composePath,
  configFor,
  hostAndPort,
  imageCommand,
  k8sRoot,
  problemWithNodeCommand,
  type ImageSpec,
} from './deployment-catalogue';
import { kustomizeBuild, parseYamlDocuments, type KustomizeBuild } from './kustomize-build';
import {
  containerEnv,
  exampleSecrets,
  imageRepository,
  lookup,
  matchesSelector,
  objectsOfKind,
  workloadsOf,
  type Container,
  type Workload,
} from './k8s-workloads';
import { THIRD_PARTY_ENV, repoRoot, servedHealthPaths, settingNames } from './workspace-facts';

const examples = exampleSecrets(k8sRoot);
const builds: Record<string, KustomizeBuild> = Object.fromEntries(KUSTOMIZATIONS.map((name) => [name, kustomizeBuild(join(k8sRoot, name))]));

/** Image repository (slipway/api) → the Dockerfile compose builds it from, so both deployments run the same images. */
const dockerfileByImage: Record<string, string> = Object.fromEntries(
  Object.values(loadCompose(composePath).services)
    .filter((s) => s.build && s.image)
    .map((s) => [imageRepository(s.image ?? ''), relative(repoRoot, resolve(dirname(composePath), s.build?.context ?? '', s.build?.dockerfile ?? ''))]),
);

function slipwayImage(container: Container): { dockerfile: string; spec: ImageSpec } | undefined {
  const dockerfile = dockerfileByImage[imageRepository(container.image)];
  return dockerfile ? { dockerfile, spec: IMAGES[dockerfile] } : undefined;
}

function portNumber(container: Container, port: string | number): number | undefined {
  if (typeof port === 'number') return container.ports?.some((p) => p.containerPort === port) ? port : undefined;
  return container.ports?.find((p) => p.name === port)?.containerPort;
}

function configOf(container: Container, build: KustomizeBuild): PlatformConfig {
  const image = slipwayImage(container);
  if (!image) throw new Error(`${container.image} is not a Slipway image`);
  return configFor(image.dockerfile, containerEnv(container, build, examples));
}

function allYamlFiles(folder: string): string[] {
  return readdirSync(folder, { recursive: true, encoding: 'utf8' })
    .filter((f) => /\.ya?ml$/.test(f))
    .map((f) => join(folder, f));
}

describe('infra/ YAML', () => {
  it('parses, every document of every file', () => {
    const files = allYamlFiles(join(repoRoot, 'infra'));
    expect(files.length).toBeGreaterThan(5);
    for (const file of files) expectNamed(parseYamlDocuments(file).length, file).toBeGreaterThan(0);
  });

  it('is all listed by a kustomization, apart from *.example.yaml', () => {
    const listed = new Set(Object.values(builds).flatMap((b) => b.files));
    const unlisted = allYamlFiles(k8sRoot).filter((f) => !listed.has(f) && !f.endsWith('.example.yaml'));
    expect(unlisted).toEqual([]);
  });

  it('keeps example secrets out of every kustomization and holds no real secret values', () => {
    const listed = Object.values(builds).flatMap((b) => b.files);
    expect(listed.filter((f) => f.endsWith('.example.yaml'))).toEqual([]);
    expect(examples.map((s) => s.metadata.name)).toEqual(['slipway-secrets']);
    for (const value of Object.values(examples[0].stringData ?? {})) expect(value).toContain('CHANGE-ME');
  });
});

describe.each(KUSTOMIZATIONS)('kustomization %s', (name) => {
  const build = builds[name];
  const workloads = workloadsOf(build);
  const slipwayWorkloads = workloads.filter((w) => w.containers.some((c) => slipwayImage(c)));
  const allContainers = workloads.flatMap((w) => [...w.initContainers, ...w.containers].map((container) => ({ workload: w, container })));

  it('contains the namespace, config, API, worker, its autoscaler and console', () => {
    const names = build.objects.map((o) => `${o.kind}/${o.metadata.name}`);
    expect(names).toEqual(
      expect.arrayContaining([
        'Namespace/slipway',
        'ConfigMap/slipway-config',
        'Deployment/slipway-api',
        'Service/slipway-api',
        'Deployment/slipway-worker',
        'HorizontalPodAutoscaler/slipway-worker',
        'Deployment/slipway-console',
        'Service/slipway-console',
      ]),
    );
    expectNamed(new Set(names).size, 'no object twice').toBe(names.length);
    for (const object of build.objects)
      if (object.kind !== 'Namespace') expectNamed(object.metadata.namespace, `${object.kind}/${object.metadata.name}`).toBe('slipway');
  });

  it('selects pods with labels their templates carry', () => {
    for (const { object, podLabels } of workloads) {
      if (object.kind === 'Job') continue;
      expectNamed(matchesSelector(object.spec.selector.matchLabels, podLabels), `${object.kind}/${object.metadata.name}`).toBe(true);
    }
  });

  it('routes every Service to a workload, on a port its container opens', () => {
    for (const service of objectsOfKind(build, 'Service')) {
      const targets = workloads.filter((w) => w.object.kind !== 'Job' && matchesSelector(service.spec.selector, w.podLabels));
      expectNamed(
        targets.map((t) => t.object.metadata.name),
        `Service/${service.metadata.name} selects one workload`,
      ).toHaveLength(1);
      for (const port of service.spec.ports as { port: number; targetPort: string | number }[]) {
        const opened = targets[0]?.containers.some((c) => portNumber(c, port.targetPort) !== undefined);
        expectNamed(opened, `Service/${service.metadata.name} targetPort ${port.targetPort}`).toBe(true);
      }
    }
  });

  it('autoscales every worker Deployment with an autoscaling/v2 HPA on resources the pods request', () => {
    const hpas = objectsOfKind(build, 'HorizontalPodAutoscaler');
    for (const hpa of hpas) {
      expect(hpa.apiVersion).toBe('autoscaling/v2');
      const ref = hpa.spec.scaleTargetRef;
      const target = workloads.find((w) => w.object.kind === ref.kind && w.object.metadata.name === ref.name);
      expectNamed(target, `HPA ${hpa.metadata.name} → ${ref.kind}/${ref.name}`).toBeDefined();
      expect(ref.apiVersion).toBe(target?.object.apiVersion);
      expect(hpa.spec.minReplicas).toBeLessThanOrEqual(hpa.spec.maxReplicas);
      for (const metric of hpa.spec.metrics as { type: string; resource: { name: string } }[]) {
        expect(metric.type).toBe('Resource');
        for (const container of target?.containers ?? [])
          expectNamed(container.resources?.requests?.[metric.resource.name], `${container.name} requests ${metric.resource.name}`).toBeDefined();
      }
    }
    const workerDeployments = slipwayWorkloads.filter((w) => w.containers.some((c) => slipwayImage(c)?.spec.role === 'worker'));
    expect(workerDeployments.length).toBeGreaterThan(0);
    for (const worker of workerDeployments) {
      expectNamed(
        hpas.filter((h) => h.spec.scaleTargetRef.name === worker.object.metadata.name),
        worker.object.metadata.name,
      ).toHaveLength(1);
    }
  });

  it('gives every container resource requests and a memory limit', () => {
    for (const { container } of allContainers) {
      expectNamed(container.resources?.requests?.cpu, `${container.name} cpu request`).toBeDefined();
      expectNamed(container.resources?.requests?.memory, `${container.name} memory request`).toBeDefined();
      expectNamed(container.resources?.limits?.memory, `${container.name} memory limit`).toBeDefined();
    }
  });

  it('takes configuration by reference from objects that exist (in the build, or the documented external Secret)', () => {
    for (const { container } of allContainers) expectNamed(() => containerEnv(container, build, examples), container.name).not.toThrow();
    const secretRefs = allContainers.flatMap(({ container }) => (container.envFrom ?? []).flatMap((s) => (s.secretRef ? [s.secretRef.name] : [])));
    expect(secretRefs).toContain('slipway-secrets');
  });

  it('sets only documented settings or variables third-party images read', () => {
    for (const { container } of allContainers) {
      for (const variable of Object.keys(containerEnv(container, build, examples))) {
        expectNamed(settingNames.has(variable) || THIRD_PARTY_ENV.has(variable), `${container.name}: ${variable}`).toBe(true);
      }
    }
    for (const configMap of objectsOfKind(build, 'ConfigMap')) {
      for (const key of Object.keys(configMap.data ?? {})) expectNamed(settingNames.has(key), `ConfigMap ${configMap.metadata.name}: ${key}`).toBe(true);
    }
  });

  it('keeps service links from overriding settings of the same name', () => {
    const collisions = objectsOfKind(build, 'Service')
      .map((s) => `${s.metadata.name.toUpperCase().replace(/-/g, '_')}_PORT`)
      .filter((variable) => settingNames.has(variable));
    expect(collisions.length).toBeGreaterThan(0);
    for (const { object, podSpec } of workloads) expectNamed(podSpec.enableServiceLinks, `${object.kind}/${object.metadata.name}`).toBe(false);
  });

  it('runs the Slipway images compose builds, with commands that exist in them, as a non-root user', () => {
    expect(slipwayWorkloads.length).toBeGreaterThanOrEqual(3);
    const tags = new Map(build.images.map((i) => [i.name, i.newTag]));
    for (const workload of slipwayWorkloads) {
      const pod = workload.podSpec.securityContext;
      expectNamed([pod?.runAsNonRoot, pod?.runAsUser], workload.object.metadata.name).toEqual([true, 1000]);
      for (const container of [...workload.initContainers, ...workload.containers]) {
        const image = slipwayImage(container);
        expectNamed(image, `${container.name}: ${container.image} is built by docker-compose.yml`).toBeDefined();
        if (!image) continue;
        expectNamed(tags.get(imageRepository(container.image)), `${container.image} has a kustomize images entry`).toBeDefined();
        expect(problemWithNodeCommand(image.dockerfile, container.command ?? imageCommand(image.dockerfile))).toBeUndefined();
        expect(container.args).toBeUndefined();
        expect(container.securityContext?.allowPrivilegeEscalation).toBe(false);
      }
    }
  });

  it('probes paths the code serves, on ports the containers open', () => {
    const served = servedHealthPaths();
    for (const { container } of allContainers) {
      for (const probe of [container.readinessProbe, container.livenessProbe, container.startupProbe]) {
        if (!probe?.httpGet) continue;
        expectNamed(portNumber(container, probe.httpGet.port), `${container.name} probe port ${probe.httpGet.port}`).toBeDefined();
        const image = slipwayImage(container);
        if (image) expectNamed(served[image.spec.role], `${container.name} probes ${probe.httpGet.path}`).toContain(probe.httpGet.path);
      }
    }
    for (const workload of slipwayWorkloads) {
      for (const container of workload.containers) {
        expectNamed(container.readinessProbe?.httpGet, `${container.name} readiness`).toBeDefined();
        expectNamed(container.livenessProbe?.httpGet, `${container.name} liveness`).toBeDefined();
      }
    }
  });

  it('listens where the Services and probes expect, with a valid configuration', () => {
    const apiService = objectsOfKind(build, 'Service').find((s) => s.metadata.name === 'slipway-api');
    const apiPort = (apiService?.spec.ports as { port: number }[])[0].port;
    for (const workload of slipwayWorkloads) {
      for (const container of workload.containers) {
        const image = slipwayImage(container);
        if (!image) continue;
        const opened = (container.ports ?? []).map((p) => p.containerPort);
        const env = containerEnv(container, build, examples);
        if (image.spec.role === 'console') {
          expect(opened).toEqual([Number(env.PORT)]);
          expect(env.SLIPWAY_CONSOLE_PORT).toBe(env.PORT);
          expect(env.HOSTNAME).toBe('0.0.0.0');
          expect(hostAndPort(env.SLIPWAY_API_URL)).toEqual({ host: 'slipway-api', port: apiPort });
          expectNamed(
            Object.keys(env).filter((k) => /DATABASE|SECRET|ACCESS_KEY/.test(k)),
            'the console gets no secrets',
          ).toEqual([]);
          continue;
        }
        const config = configOf(container, build);
        expect(requireDatabaseUrl(config)).toMatch(/^postgresql:\/\//);
        expect(config.objectStore.kind).toBe('s3');
        expect(config.home).toBe('/var/lib/slipway');
        expect(hostAndPort(config.api.publicUrl)).toEqual({ host: 'slipway-api', port: apiPort });
        if (image.spec.role === 'api') {
          expect(opened).toEqual([config.api.port]);
          expect(config.api.host).toBe('0.0.0.0');
        } else {
          expect(opened).toEqual([config.workers.healthPort]);
        }
        expect(config.workers.tfBackend).toBe(image.spec.tfBackend);
      }
    }
  });

  it('runs two API replicas that migrate in an initContainer, before the API, which then skips its own run', () => {
    const api = workloads.find((w) => w.object.metadata.name === 'slipway-api') as Workload;
    expect(api.object.spec.replicas).toBe(2);
    expect(api.initContainers.map((c) => c.command)).toEqual([['node', 'dist/server/tools/platform/migrate.js']]);
    expect(slipwayImage(api.initContainers[0])?.dockerfile).toBe('docker/api.Dockerfile');
    expect(configOf(api.containers[0], build).migrateOnStart).toBe(false);
    expect(configOf(api.initContainers[0], build).database.url).toBe(configOf(api.containers[0], build).database.url);
  });

  it('schedules GPU workers onto GPU nodes only, one GPU each, and CPU workers on none', () => {
    for (const workload of slipwayWorkloads) {
      const gpuImage = workload.containers.some((c) => slipwayImage(c)?.spec.gpu);
      const gpuLimit = workload.containers.map((c) => c.resources?.limits?.['nvidia.com/gpu']).find((v) => v !== undefined);
      if (!gpuImage) {
        expectNamed(gpuLimit, workload.object.metadata.name).toBeUndefined();
        continue;
      }
      expect(gpuLimit).toBe(1);
      expect(workload.podSpec.nodeSelector).toEqual({ 'nvidia.com/gpu.present': 'true' });
      expect(workload.podSpec.tolerations).toContainEqual({ key: 'nvidia.com/gpu', operator: 'Exists', effect: 'NoSchedule' });
    }
    const hasGpuWorkers = slipwayWorkloads.some((w) => w.containers.some((c) => slipwayImage(c)?.spec.gpu));
    expect(hasGpuWorkers).toBe(name === 'gpu');
  });

  if (name === 'try-it') {
    it('wires the bundled Postgres and MinIO to the Slipway secret and config', () => {
      const secret = lookup(build, [], 'Secret', 'slipway-secrets') ?? {};
      const credentials = lookup(build, [], 'Secret', 'slipway-try-it-credentials') ?? {};
      const config = lookup(build, [], 'ConfigMap', 'slipway-config') ?? {};
      const database = new URL(secret.DATABASE_URL);
      expect([database.hostname, database.port, database.username, database.password]).toEqual(['postgres', '5432', 'slipway', credentials.POSTGRES_PASSWORD]);
      expect([secret.S3_ACCESS_KEY_ID, secret.S3_SECRET_ACCESS_KEY]).toEqual([credentials.MINIO_ROOT_USER, credentials.MINIO_ROOT_PASSWORD]);
      const services = new Map(objectsOfKind(build, 'Service').map((s) => [s.metadata.name, (s.spec.ports as { port: number }[]).map((p) => p.port)]));
      expect(services.get(database.hostname)).toContain(Number(database.port));
      const s3 = hostAndPort(config.S3_ENDPOINT);
      expect(services.get(s3.host)).toContain(s3.port);
      const bucketJob = workloads.find((w) => w.object.kind === 'Job');
      expect(bucketJob?.containers[0].args?.join(' ')).toContain(`mc alias set slipway ${config.S3_ENDPOINT}`);
      expect(containerEnv(bucketJob?.containers[0] as Container, build, []).S3_BUCKET).toBe(config.S3_BUCKET);
    });
  }
});

/** kubectl renders kustomizations offline; where it is installed, its output must name the same objects. */
function kubectlAvailable(): boolean {
  return spawnSync('kubectl', ['version', '--client'], { encoding: 'utf8' }).status === 0;
}

// Reported as skipped (not silently absent) on a machine without kubectl; the offline build above still runs.
(kubectlAvailable() ? describe : describe.skip)('kubectl kustomize', () => {
  it.each(KUSTOMIZATIONS)('renders %s to the objects this check reads', (name) => {
    const result = spawnSync('kubectl', ['kustomize', join(k8sRoot, name)], { encoding: 'utf8' });
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    const rendered = result.stdout
      .split(/^---$/m)
      .map((doc) => /^kind: (\S+)$/m.exec(doc)?.[1] + '/' + /^ {2}name: (\S+)$/m.exec(doc)?.[1])
      .sort();
    expect(rendered).toEqual(builds[name].objects.map((o) => `${o.kind}/${o.metadata.name}`).sort());
  });
});
