/**
 * Reads docker-compose.yml the way `docker compose config` would for these checks: YAML with merge keys
 * (`<<: *anchor`), `${VAR:-default}` interpolation from an (empty by default) shell environment, and the
 * long and short forms of environment and depends_on.
 */
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';

export interface ComposeService {
  name: string;
  image?: string;
  build?: { context: string; dockerfile: string; target?: string };
  environment: Record<string, string>;
  command?: string[] | string;
  entrypoint?: string[] | string;
  ports: string[];
  healthcheck?: { test: string[] | string };
  dependsOn: Record<string, string>;
  profiles: string[];
  containerName?: string;
  restart?: string;
  deploy?: { resources?: { reservations?: { devices?: { driver?: string; count?: number | string; capabilities?: string[] }[] } } };
  volumes: string[];
}

export interface ComposeFile {
  path: string;
  services: Record<string, ComposeService>;
  /** The whole file after interpolation, as `docker compose config` validates it. */
  document: unknown;
  /** Names of the variables the file interpolates (`${NAME...}`). */
  interpolatedVariables: string[];
}

/** Compose interpolation: `${VAR}`, `${VAR:-default}`, `${VAR-default}`; `$$` is a literal `$`. */
export function interpolate(value: string, env: Record<string, string | undefined>, seen?: Set<string>): string {
  return value.replace(
    /\$\$|\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?-)([^}]*))?\}/g,
    (whole, name: string | undefined, operator: string | undefined, fallback: string | undefined) => {
      if (whole === '$$') return '$';
      if (!name) return whole;
      seen?.add(name);
      const current = env[name];
      if (operator === ':-') return current ? current : (fallback ?? '');
      if (operator === '-') return current !== undefined ? current : (fallback ?? '');
      if (current === undefined) throw new Error(`variable ${name} is used without a default`);
      return current;
    },
  );
}

function interpolateDeep(value: unknown, env: Record<string, string | undefined>, seen: Set<string>): unknown {
  if (typeof value === 'string') return interpolate(value, env, seen);
  if (Array.isArray(value)) return value.map((v) => interpolateDeep(v, env, seen));
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, interpolateDeep(v, env, seen)]));
  return value;
}

function asEnvironment(value: unknown, where: string): Record<string, string> {
  if (value === undefined || value === null) return {};
  if (Array.isArray(value)) {
    return Object.fromEntries(
      value.map((entry: unknown) => {
        const text = String(entry);
        const eq = text.indexOf('=');
        return eq < 0 ? [text, ''] : [text.slice(0, eq), text.slice(eq + 1)];
      }),
    );
  }
  if (typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => {
        if (typeof v === 'object' && v !== null) throw new Error(`${where}: environment ${k} must be a scalar`);
        return [k, v === null ? '' : String(v)];
      }),
    );
  }
  throw new Error(`${where}: environment must be a map or a list`);
}

function asDependsOn(value: unknown): Record<string, string> {
  if (!value) return {};
  if (Array.isArray(value)) return Object.fromEntries(value.map((name: unknown) => [String(name), 'service_started']));
  return Object.fromEntries(
    Object.entries(value as Record<string, { condition?: string }>).map(([name, spec]) => [name, spec?.condition ?? 'service_started']),
  );
}

export function loadCompose(path: string, shellEnv: Record<string, string | undefined> = {}): ComposeFile {
  const raw: unknown = parse(readFileSync(path, 'utf8'), { merge: true });
  if (!raw || typeof raw !== 'object' || !('services' in raw)) throw new Error(`${path}: no services`);
  const seen = new Set<string>();
  const document = interpolateDeep(raw, shellEnv, seen) as { services: Record<string, Record<string, unknown>> };
  const services = Object.fromEntries(
    Object.entries(document.services).map(([name, spec]) => {
      const build = spec.build as ComposeService['build'] | string | undefined;
      const service: ComposeService = {
        name,
        image: spec.image as string | undefined,
        build: typeof build === 'string' ? { context: build, dockerfile: 'Dockerfile' } : build && { ...build, dockerfile: build.dockerfile ?? 'Dockerfile' },
        environment: asEnvironment(spec.environment, `${path} ${name}`),
        command: spec.command as ComposeService['command'],
        entrypoint: spec.entrypoint as ComposeService['entrypoint'],
        ports: ((spec.ports as unknown[] | undefined) ?? []).map(String),
        healthcheck: spec.healthcheck as ComposeService['healthcheck'],
        dependsOn: asDependsOn(spec.depends_on),
        profiles: (spec.profiles as string[] | undefined) ?? [],
        containerName: spec.container_name as string | undefined,
        restart: spec.restart as string | undefined,
        deploy: spec.deploy as ComposeService['deploy'],
        volumes: ((spec.volumes as unknown[] | undefined) ?? []).map(String),
      };
      return [name, service];
    }),
  );
  return { path, services, document, interpolatedVariables: [...seen].sort() };
}

/** The container port of a `ports:` entry ("3000:3000", "127.0.0.1:3000:3000/tcp", "3000"). */
export function containerPortOf(mapping: string): number {
  const withoutProtocol = mapping.split('/')[0];
  const parts = withoutProtocol.split(':');
  return Number.parseInt(parts[parts.length - 1], 10);
}
