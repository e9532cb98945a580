import { wireTime, type deploymentEventSchema, type DeploymentRevisionView, type DeploymentView } from '@slipway/contracts';
import type { z } from 'zod';
import type { DeploymentEntity, DeploymentEventEntity, DeploymentRevisionEntity } from '@slipway/db';

export function toRevisionView(revision: DeploymentRevisionEntity): DeploymentRevisionView {
  return {
    revision: revision.revision,
    action: revision.action,
    stable: revision.stable,
    canary: revision.canary,
    shadow: revision.shadow,
    rolloutPlan: revision.rolloutPlan,
    rolloutStep: revision.rolloutStep,
    reason: revision.reason,
    createdBy: revision.createdBy,
    createdAt: wireTime(revision.createdAt),
  };
}

export function toDeploymentView(deployment: DeploymentEntity): DeploymentView {
  const revision = deployment.revision;
  // Every deployment is created with its revision 1 in one transaction; a row without one is a bug, not a state.
  if (!revision) throw new Error(`deployment ${deployment.name} has no revision ${deployment.currentRevision}`);
  const plan = revision.rolloutPlan;
  // Each rollout step is its own revision, so the step started when its revision was written.
  const rollout =
    deployment.status === 'ROLLING_OUT' && plan && revision.rolloutStep !== null
      ? {
          step: revision.rolloutStep,
          steps: plan.steps,
          stepStartedAt: wireTime(revision.createdAt),
          nextAnalysisAt: wireTime(new Date(revision.createdAt.getTime() + plan.intervalSeconds * 1000)),
        }
      : null;
  return {
    id: deployment.id,
    name: deployment.name,
    description: deployment.description,
    model: deployment.modelName,
    status: deployment.status,
    trackedAlias: deployment.trackedAlias,
    aliasPolicy: deployment.aliasPolicy,
    rolloutPlan: deployment.rolloutPlan,
    currentRevision: deployment.currentRevision,
    revision: toRevisionView(revision),
    rollout,
    createdBy: deployment.createdBy,
    createdAt: wireTime(deployment.createdAt),
    updatedAt: wireTime(deployment.updatedAt),
  };
}

export function toDeploymentEventView(event: DeploymentEventEntity): z.infer<typeof deploymentEventSchema> {
  return {
    id: event.id,
    type: event.type,
    message: event.message,
    data: event.data,
    actor: event.actor,
    revision: event.revision,
    createdAt: wireTime(event.createdAt),
  };
}
