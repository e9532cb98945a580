/**
 * Validates custom resources (KEDA's ScaledObject and TriggerAuthentication) against the OpenAPI schema of
 * their CustomResourceDefinition, vendored under schema/keda (see schema/README.md), as the API server would
 * when they are applied: types, enums, required fields, and unknown fields refused (kubectl's default strict
 * field validation; the API server would otherwise drop them silently). Not evaluated: the CRDs'
 * x-kubernetes-validations CEL rules, and formats such as int32.
 */
import { join } from 'node:path';
import Ajv, { type ErrorObject } from 'ajv';
import { parseYamlDocuments } from './kustomize-build';

export const KEDA_CRD_FILES = ['keda.sh_scaledobjects.yaml', 'keda.sh_triggerauthentications.yaml'];

interface CrdVersion {
  name: string;
  served: boolean;
  schema: { openAPIV3Schema: Schema };
}

interface Crd {
  kind: string;
  spec: { group: string; names: { kind: string }; versions: CrdVersion[] };
}

type Schema = { [key: string]: unknown; properties?: Record<string, Schema>; items?: Schema; additionalProperties?: unknown };

/** Objects with declared properties accept no others, unless the schema keeps unknown fields on purpose. */
function strictFields(schema: Schema): Schema {
  const copy: Schema = { ...schema };
  if (copy.properties) {
    copy.properties = Object.fromEntries(Object.entries(copy.properties).map(([key, value]) => [key, strictFields(value)]));
    if (copy.additionalProperties === undefined && copy['x-kubernetes-preserve-unknown-fields'] !== true) copy.additionalProperties = false;
  }
  if (copy.items) copy.items = strictFields(copy.items);
  if (copy.additionalProperties && typeof copy.additionalProperties === 'object') copy.additionalProperties = strictFields(copy.additionalProperties as Schema);
  return copy;
}

export type ResourceValidator = (object: unknown) => string[];

/** `apiVersion` (group/version) + kind → a validator, for every served version of the CRDs in `files`. */
export function loadCrdValidators(folder: string, files: readonly string[]): Map<string, ResourceValidator> {
  // The CRD schemas use Kubernetes' own keywords (x-kubernetes-*) and formats Ajv does not know.
  const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false });
  const validators = new Map<string, ResourceValidator>();
  for (const file of files) {
    const [crd] = parseYamlDocuments(join(folder, file)) as Crd[];
    if (crd?.kind !== 'CustomResourceDefinition') throw new Error(`${file} is not a CustomResourceDefinition`);
    for (const version of crd.spec.versions.filter((v) => v.served)) {
      const validate = ajv.compile(strictFields(version.schema.openAPIV3Schema));
      validators.set(`${crd.spec.group}/${version.name} ${crd.spec.names.kind}`, (object) =>
        validate(object) ? [] : (validate.errors ?? []).map((e: ErrorObject) => describeError(e)),
      );
    }
  }
  return validators;
}

function describeError(error: ErrorObject): string {
  const where = error.instancePath || '(root)';
  if (error.keyword === 'additionalProperties') return `${where}: unknown field ${(error.params as { additionalProperty: string }).additionalProperty}`;
  return `${where}: ${error.message}`;
}

/** The vendored KEDA CRDs. */
export function kedaValidators(): Map<string, ResourceValidator> {
  return loadCrdValidators(join(__dirname, '..', 'schema', 'keda'), KEDA_CRD_FILES);
}

/** Problems the API server would report for `object`, or undefined when no vendored CRD defines its kind. */
export function crdProblems<T extends { apiVersion: string; kind: string }>(validators: Map<string, ResourceValidator>, object: T): string[] | undefined {
  const { source: _source, ...resource } = object as { source?: string; apiVersion: string; kind: string };
  return validators.get(`${object.apiVersion} ${object.kind}`)?.(resource);
}
