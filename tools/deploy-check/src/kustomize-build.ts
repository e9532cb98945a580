/**
 * Collects what `kubectl kustomize <dir>` would emit, without kubectl: the manifests a kustomization lists
 * (following folders that hold their own kustomization.yaml), plus Secrets and ConfigMaps from its generators.
 * Patches and transformers are not applied (none are used here); the names, labels and ports checked are
 * the ones in the files.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseAllDocuments } from 'yaml';

export interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string> };
  // Manifests are checked field by field; the shape varies by kind.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  spec?: any;
  data?: Record<string, string>;
  stringData?: Record<string, string>;
  /** Manifest file it came from, or the kustomization that generated it. */
  source: string;
}

interface Generator {
  name: string;
  literals?: string[];
}

interface Kustomization {
  namespace?: string;
  resources?: string[];
  secretGenerator?: Generator[];
  configMapGenerator?: Generator[];
  images?: { name: string; newName?: string; newTag?: string }[];
}

export interface KustomizeBuild {
  dir: string;
  objects: K8sObject[];
  /** Every file read: kustomization.yaml files and the manifests they list. */
  files: string[];
  images: NonNullable<Kustomization['images']>;
}

/** Parses a (possibly multi-document) YAML file; throws on the first syntax error. */
export function parseYamlDocuments(path: string): unknown[] {
  const documents = parseAllDocuments(readFileSync(path, 'utf8'));
  const list = Array.isArray(documents) ? documents : [documents];
  return list
    .map((doc) => {
      if (doc.errors.length > 0) throw new Error(`${path}: ${doc.errors.map((e) => e.message).join('; ')}`);
      return doc.toJS() as unknown;
    })
    .filter((value) => value !== null && value !== undefined);
}

function fromGenerator(kind: 'Secret' | 'ConfigMap', generator: Generator, source: string): K8sObject {
  const entries = (generator.literals ?? []).map((literal) => {
    const eq = literal.indexOf('=');
    if (eq <= 0) throw new Error(`${source}: generator literal "${literal}" is not KEY=value`);
    return [literal.slice(0, eq), literal.slice(eq + 1)];
  });
  const values = Object.fromEntries(entries);
  return { apiVersion: 'v1', kind, metadata: { name: generator.name }, ...(kind === 'Secret' ? { stringData: values } : { data: values }), source };
}

export function kustomizeBuild(dir: string): KustomizeBuild {
  const kustomizationPath = join(dir, 'kustomization.yaml');
  if (!existsSync(kustomizationPath)) throw new Error(`${dir} has no kustomization.yaml`);
  const [kustomization] = parseYamlDocuments(kustomizationPath) as Kustomization[];
  const build: KustomizeBuild = { dir, objects: [], files: [kustomizationPath], images: [...(kustomization.images ?? [])] };
  for (const resource of kustomization.resources ?? []) {
    const path = resolve(dir, resource);
    if (!existsSync(path)) throw new Error(`${kustomizationPath}: resource ${resource} does not exist`);
    if (statSync(path).isDirectory()) {
      const nested = kustomizeBuild(path);
      build.objects.push(...nested.objects);
      build.files.push(...nested.files);
      build.images.push(...nested.images);
      continue;
    }
    for (const value of parseYamlDocuments(path)) {
      const object = value as K8sObject;
      if (!object.apiVersion || !object.kind || !object.metadata?.name) throw new Error(`${path}: a document lacks apiVersion, kind or metadata.name`);
      build.objects.push({ ...object, source: path });
    }
    build.files.push(path);
  }
  for (const generator of kustomization.secretGenerator ?? []) build.objects.push(fromGenerator('Secret', generator, kustomizationPath));
  for (const generator of kustomization.configMapGenerator ?? []) build.objects.push(fromGenerator('ConfigMap', generator, kustomizationPath));
  if (kustomization.namespace) {
    for (const object of build.objects) if (object.kind !== 'Namespace') object.metadata = { ...object.metadata, namespace: kustomization.namespace };
  }
  return build;
}
