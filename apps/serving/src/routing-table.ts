import type { StickyKey } from '@slipway/contracts';
import type { LoadedVersion } from './loaded-version';

export type ServingRole = 'stable' | 'canary' | 'shadow';

/** What one deployment serves on this replica: built with its models loaded and warmed, then swapped in whole. */
export interface DeploymentRoute {
  deploymentId: string;
  name: string;
  revision: number;
  stable: LoadedVersion;
  canary: { version: LoadedVersion; percent: number; sticky: StickyKey | null } | null;
  shadow: { version: LoadedVersion; percent: number } | null;
}

/** Deployment name → route. Replaced, never mutated: a request holds the table it started with. */
export type RoutingTable = ReadonlyMap<string, DeploymentRoute>;

/**
 * FNV-1a (32 bit) of the key's UTF-8 bytes into 100 buckets: no randomness, no per-process seed, so every replica
 * (and every restart) puts one customer in the same bucket, and a canary at p% takes buckets 0..p-1 — raising the
 * percent only ever adds customers to the canary.
 */
export function stickyBucket(key: string): number {
  let hash = 0x811c9dc5;
  const bytes = Buffer.from(key, 'utf8');
  for (let i = 0; i < bytes.length; i++) {
    hash ^= bytes[i];
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash % 100;
}

/** The sticky key's value for this request: the header, or the field of the first row (named, or by column position). */
export function stickyValue(
  sticky: StickyKey,
  headers: Record<string, string | string[] | undefined>,
  rows: readonly unknown[],
  columns: readonly string[],
): string | null {
  if ('header' in sticky) {
    const value = headers[sticky.header.toLowerCase()];
    return typeof value === 'string' ? value : Array.isArray(value) ? (value[0] ?? null) : null;
  }
  const first = rows[0];
  let value: unknown;
  if (Array.isArray(first)) {
    const at = columns.indexOf(sticky.field);
    value = at >= 0 ? first[at] : undefined;
  } else if (first !== null && typeof first === 'object') {
    value = Object.prototype.hasOwnProperty.call(first, sticky.field) ? (first as Record<string, unknown>)[sticky.field] : undefined;
  }
  return value === undefined || value === null ? null : String(value);
}

/** Stable or canary for one request; a sticky revision without the key in the request falls back to a random draw. */
export function chooseRole(route: DeploymentRoute, headers: Record<string, string | string[] | undefined>, rows: readonly unknown[]): 'stable' | 'canary' {
  const canary = route.canary;
  if (!canary || canary.percent <= 0) return 'stable';
  if (canary.percent >= 100) return 'canary';
  const key = canary.sticky ? stickyValue(canary.sticky, headers, rows, route.stable.columns) : null;
  const bucket = key === null ? Math.floor(Math.random() * 100) : stickyBucket(key);
  return bucket < canary.percent ? 'canary' : 'stable';
}

/** Whether this request's copy goes to the shadow (random: the shadow's share is a sample, not a customer split). */
export function takesShadow(route: DeploymentRoute): boolean {
  const shadow = route.shadow;
  return shadow !== null && shadow.percent > 0 && (shadow.percent >= 100 || Math.random() * 100 < shadow.percent);
}
