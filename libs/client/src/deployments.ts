import { z } from 'zod';
import { ErrorCode, deploymentConflictSchema, deploymentEventSchema, type DeploymentView } from '@slipway/contracts';
import { SlipwayApiError } from './slipway-api-error';
import { pollUntil } from './polling';

export type DeploymentEventView = z.infer<typeof deploymentEventSchema>;

/** The actions that write a revision and take `baseRevision`; `act(name, action, body)` sends any of them. */
export const DEPLOYMENT_ACTION_ROUTES = ['canary', 'shadow', 'rollout', 'promote', 'rollback', 'abort'] as const;
export type DeploymentActionRoute = (typeof DEPLOYMENT_ACTION_ROUTES)[number];

/**
 * Where the serving process answers when nothing else says: the serving port's default (`SLIPWAY_SERVING_PORT`,
 * 8090 in libs/config) on this machine. The client is isomorphic and reads no environment; callers pass `servingUrl`.
 */
export const DEFAULT_SERVING_URL = 'http://127.0.0.1:8090';

/**
 * A deployment action lost the race: its `baseRevision` is no longer the current one. `current` is the deployment
 * as the API sees it now (who changed it, to what), so the caller can decide again instead of re-reading.
 */
export class DeploymentConflictError extends SlipwayApiError {
  constructor(
    message: string,
    readonly current: DeploymentView,
    requestId?: string,
    url?: string,
  ) {
    super(409, ErrorCode.CONFLICT, message, [], requestId, url);
    this.name = 'DeploymentConflictError';
  }

  /** A 409 body with `current` becomes this error; any other body (a 409 for another reason: not ROLLING_OUT, no canary) stays undefined. */
  static fromConflictBody(body: unknown, requestIdHeader?: string, url?: string): DeploymentConflictError | undefined {
    const parsed = deploymentConflictSchema.safeParse(body);
    if (!parsed.success) return undefined;
    return new DeploymentConflictError(parsed.data.error.message, parsed.data.current, parsed.data.error.requestId ?? requestIdHeader, url);
  }
}

/** How a followed rollout ended: promoted (the canary is stable), rolled back (by hand or by a failing gate), or aborted. */
export type RolloutOutcome = 'PROMOTED' | 'ROLLED_BACK' | 'ABORTED';

/** The outcome a deployment that is no longer ROLLING_OUT shows by the action of its current revision; null while it still rolls out. */
export function rolloutOutcome(deployment: DeploymentView): RolloutOutcome | null {
  if (deployment.status === 'ROLLING_OUT') return null;
  switch (deployment.revision.action) {
    case 'PROMOTE':
      return 'PROMOTED';
    case 'ROLLBACK':
    case 'AUTO_ROLLBACK':
      return 'ROLLED_BACK';
    default:
      // Aborted, deleted, or replaced by another action (an alias redeploy): the rollout did not promote.
      return 'ABORTED';
  }
}

export interface WaitForRolloutOptions {
  /** Each event the deployment records after the wait began (analysis steps, gate failures, promotion), oldest first. */
  onEvent?: (event: DeploymentEventView) => void | Promise<void>;
  /** Pause between polls; default 2000 ms (the analyser looks once per interval, seconds at the least). */
  intervalMs?: number;
  signal?: AbortSignal;
  /** Polls in a row that may fail as UNAVAILABLE before the wait gives up with that error; default 5. */
  maxUnavailable?: number;
}

export interface RolloutWatch {
  get(name: string): Promise<DeploymentView>;
  /** Newest first, as the API pages them. */
  events(name: string): Promise<{ events: DeploymentEventView[] }>;
}

/**
 * Follows a rollout until the deployment leaves ROLLING_OUT and resolves with the deployment and how it ended.
 * Events are reported once each, by id: the first page (newest 100) is read on every poll, which is plenty at one
 * analysis per interval.
 */
export async function waitForRollout(
  watch: RolloutWatch,
  name: string,
  options: WaitForRolloutOptions = {},
): Promise<{ deployment: DeploymentView; outcome: RolloutOutcome }> {
  const { onEvent, intervalMs = 2000, signal, maxUnavailable = 5 } = options;
  const seen = new Set((await watch.events(name)).events.map((e) => e.id));
  return pollUntil(
    () => Promise.all([watch.get(name), watch.events(name)]),
    async ([deployment, { events }]) => {
      for (const event of [...events].reverse()) {
        if (seen.has(event.id)) continue;
        seen.add(event.id);
        await onEvent?.(event);
      }
      const outcome = rolloutOutcome(deployment);
      return outcome ? { deployment, outcome } : undefined;
    },
    { intervalMs, signal, maxUnavailable },
  );
}
