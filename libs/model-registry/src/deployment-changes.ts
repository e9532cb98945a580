import type { DeploymentEventData, WebhookEvent } from '@slipway/contracts';
import type { DeploymentEntity, DeploymentRevisionEntity, ModelVersionEntity, NewDeploymentRevision, Transaction } from '@slipway/db';

// A deployment's serving state changes from the API (a person acting) and from wherever an alias moves (the API's
// alias route, a training job's registerAs on a worker), and later from the rollout analyser: each change is one
// revision, one deployment event, one audit entry and one webhook event, recorded the same way whoever makes it.

/** What audit entries and webhook payloads carry about a revision: the versions by number, traffic shares, plan step. */
export function revisionSummary(deployment: Pick<DeploymentEntity, 'id' | 'name' | 'modelName'>, revision: DeploymentRevisionEntity): Record<string, unknown> {
  return {
    deploymentId: deployment.id,
    deployment: deployment.name,
    model: deployment.modelName,
    revision: revision.revision,
    action: revision.action,
    stableVersion: revision.stable.version,
    canary: revision.canary ? { version: revision.canary.version, percent: revision.canary.percent, sticky: revision.canary.sticky } : null,
    shadow: revision.shadow ? { version: revision.shadow.version, percent: revision.shadow.percent } : null,
    rolloutStep: revision.rolloutStep,
    reason: revision.reason,
  };
}

export interface DeploymentChange {
  /** The audit action after `deployment.` (e.g. `promote`) and the deployment event's type. */
  action: string;
  event: WebhookEvent;
  message: string;
  data?: DeploymentEventData;
}

/**
 * Appends `revision` on `baseRevision` and records it (event, audit entry, webhook event) in `tx`. Null when
 * the deployment is no longer at `baseRevision`: nothing was written, the caller decides (the API answers 409).
 */
export async function commitDeploymentRevision(
  tx: Transaction,
  deployment: DeploymentEntity,
  baseRevision: number,
  revision: NewDeploymentRevision,
  change: DeploymentChange,
): Promise<{ deployment: DeploymentEntity; revision: DeploymentRevisionEntity } | null> {
  const appended = await tx.deployments.appendRevision(deployment.id, baseRevision, revision);
  if (!appended) return null;
  const summary = revisionSummary(deployment, appended);
  await tx.deployments.appendEvent(deployment.id, {
    revisionId: appended.id,
    type: change.action,
    message: change.message,
    data: change.data ?? null,
    actor: revision.createdBy,
  });
  await tx.record({
    action: `deployment.${change.action}`,
    entity: { type: 'deployment', id: deployment.id },
    before: deployment.revision ? revisionSummary(deployment, deployment.revision) : undefined,
    after: summary,
    event: { name: change.event, data: summary },
  });
  const after = await tx.deployments.getById(deployment.id);
  return { deployment: after ?? deployment, revision: appended };
}

/**
 * The deployments following `alias` act on its move to `target`, in the transaction that moves it, so it
 * happens whichever process moved the alias: under aliasPolicy `redeploy` the version serves at once
 * (ALIAS_REDEPLOY, any canary dropped, the shadow kept); under `rollout` the deployment's own plan starts with
 * the version as canary at the plan's first step (GRAY_START; a rollout already running restarts with it).
 * A deployment already serving the version as stable with no canary is left alone.
 */
export async function followAliasMove(
  tx: Transaction,
  move: { modelId: string; alias: string; target: ModelVersionEntity; fromVersion: number | null; actor: string },
): Promise<DeploymentEntity[]> {
  const moved: DeploymentEntity[] = [];
  for (const deployment of await tx.deployments.lockFollowers(move.modelId, move.alias)) {
    const current = deployment.revision;
    if (!current) continue;
    const targetIsStable = current.stable.versionId === move.target.id;
    if (targetIsStable && !current.canary) continue;
    const plan = deployment.rolloutPlan;
    const why = `alias ${move.alias} moved to version ${move.target.version}`;
    const data = { alias: move.alias, fromVersion: move.fromVersion, toVersion: move.target.version };
    const shadow = current.shadow ? { versionId: current.shadow.versionId, percent: current.shadow.percent } : null;
    const rollout = deployment.aliasPolicy === 'rollout' && plan !== null && !targetIsStable;
    const committed = rollout
      ? await commitDeploymentRevision(
          tx,
          deployment,
          deployment.currentRevision,
          {
            action: 'GRAY_START',
            stableVersionId: current.stable.versionId,
            canary: { versionId: move.target.id, percent: plan.steps[0], sticky: null },
            shadow,
            rolloutPlan: plan,
            rolloutStep: 0,
            reason: why,
            createdBy: move.actor,
            status: 'ROLLING_OUT',
          },
          { action: 'rollout', event: 'deployment.rollout_started', message: `Rollout of version ${move.target.version} started: ${why}`, data },
        )
      : await commitDeploymentRevision(
          tx,
          deployment,
          deployment.currentRevision,
          {
            action: 'ALIAS_REDEPLOY',
            stableVersionId: move.target.id,
            canary: null,
            shadow,
            rolloutPlan: null,
            rolloutStep: null,
            reason: why,
            createdBy: move.actor,
            status: 'ACTIVE',
          },
          { action: 'alias_redeploy', event: 'deployment.alias_redeployed', message: `Version ${move.target.version} serves: ${why}`, data },
        );
    // The row is locked and was read under the lock: the base cannot be stale here.
    if (committed) moved.push(committed.deployment);
  }
  return moved;
}
