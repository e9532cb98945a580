/**
 * Views over a kustomize build for the checks: workloads with their pod templates, containers, the
 * environment a container ends up with, and the Secrets that live outside the repository (described by
 * *.example.yaml files).
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parseYamlDocuments, type K8sObject, type KustomizeBuild } from './kustomize-build';

export const WORKLOAD_KINDS = ['Deployment', 'StatefulSet', 'Job'];

export interface Container {
  name: string;
  image: string;
  command?: string[];
  args?: string[];
  env?: { name: string; value?: string; valueFrom?: { configMapKeyRef?: { name: string; key: string }; secretKeyRef?: { name: string; key: string } } }[];
  envFrom?: { configMapRef?: { name: string }; secretRef?: { name: string } }[];
  ports?: { name?: string; containerPort: number }[];
  readinessProbe?: Probe;
  livenessProbe?: Probe;
  startupProbe?: Probe;
  resources?: { requests?: Record<string, string | number>; limits?: Record<string, string | number> };
  securityContext?: { allowPrivilegeEscalation?: boolean };
  volumeMounts?: { name: string; mountPath: string; readOnly?: boolean }[];
}

export interface Probe {
  httpGet?: { path: string; port: string | number };
  exec?: { command: string[] };
}

export interface Workload {
  object: K8sObject;
  podLabels: Record<string, string>;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  podSpec: any;
  initContainers: Container[];
  containers: Container[];
}

export function workloadsOf(build: KustomizeBuild): Workload[] {
  return build.objects
    .filter((o) => WORKLOAD_KINDS.includes(o.kind))
    .map((object) => {
      const template = object.spec?.template;
      return {
        object,
        podLabels: template?.metadata?.labels ?? {},
        podSpec: template?.spec ?? {},
        initContainers: template?.spec?.initContainers ?? [],
        containers: template?.spec?.containers ?? [],
      };
    });
}

export function objectsOfKind(build: KustomizeBuild, kind: string): K8sObject[] {
  return build.objects.filter((o) => o.kind === kind);
}

/** Secrets documented by *.example.yaml files: created by the operator, never committed. */
export function exampleSecrets(k8sRoot: string): K8sObject[] {
  const files = readdirSync(k8sRoot, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.example.yaml'));
  return files.flatMap((file) =>
    (parseYamlDocuments(join(k8sRoot, file)) as K8sObject[]).filter((o) => o.kind === 'Secret').map((o) => ({ ...o, source: join(k8sRoot, file) })),
  );
}

export function secretValues(secret: K8sObject): Record<string, string> {
  const decoded = Object.fromEntries(Object.entries(secret.data ?? {}).map(([k, v]) => [k, Buffer.from(v, 'base64').toString('utf8')]));
  return { ...decoded, ...(secret.stringData ?? {}) };
}

/** Finds a ConfigMap or Secret by name in the build, then among the example Secrets. */
export function lookup(build: KustomizeBuild, examples: K8sObject[], kind: 'ConfigMap' | 'Secret', name: string): Record<string, string> | undefined {
  const object =
    build.objects.find((o) => o.kind === kind && o.metadata.name === name) ?? (kind === 'Secret' ? examples.find((o) => o.metadata.name === name) : undefined);
  if (!object) return undefined;
  return kind === 'Secret' ? secretValues(object) : (object.data ?? {});
}

/** The environment a container gets: envFrom sources first, explicit env over them (as the kubelet does). */
export function containerEnv(container: Container, build: KustomizeBuild, examples: K8sObject[]): Record<string, string> {
  const env: Record<string, string> = {};
  for (const source of container.envFrom ?? []) {
    const values = source.configMapRef
      ? lookup(build, examples, 'ConfigMap', source.configMapRef.name)
      : source.secretRef
        ? lookup(build, examples, 'Secret', source.secretRef.name)
        : undefined;
    if (!values) throw new Error(`${container.name}: envFrom ${JSON.stringify(source)} refers to nothing in the build`);
    Object.assign(env, values);
  }
  for (const entry of container.env ?? []) {
    if (entry.value !== undefined) {
      env[entry.name] = String(entry.value);
      continue;
    }
    const ref = entry.valueFrom?.configMapKeyRef ?? entry.valueFrom?.secretKeyRef;
    const kind = entry.valueFrom?.configMapKeyRef ? 'ConfigMap' : 'Secret';
    const values = ref ? lookup(build, examples, kind, ref.name) : undefined;
    if (!ref || !values || !(ref.key in values))
      throw new Error(`${container.name}: env ${entry.name} refers to ${kind} key ${JSON.stringify(ref)} that does not exist`);
    env[entry.name] = values[ref.key];
  }
  return env;
}

/** The image name without tag or digest. */
export function imageRepository(image: string): string {
  return image.replace(/@.*$/, '').replace(/:[^/:]+$/, '');
}

export function matchesSelector(selector: Record<string, string>, labels: Record<string, string>): boolean {
  return Object.keys(selector).length > 0 && Object.entries(selector).every(([k, v]) => labels[k] === v);
}
