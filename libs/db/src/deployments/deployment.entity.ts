import type { AliasPolicy, DeploymentActionName, DeploymentEventData, DeploymentStatusName, RolloutPlan, StickyKey } from '@slipway/contracts';

/** A version a revision serves, with its number (the API speaks numbers, the rows ids). */
export interface ServedVersionEntity {
  versionId: string;
  version: number;
}

/** One immutable deployment_revisions row: what served traffic from `createdAt` on, who decided it and why. */
export interface DeploymentRevisionEntity {
  id: string;
  deploymentId: string;
  revision: number;
  action: DeploymentActionName;
  stable: ServedVersionEntity;
  canary: (ServedVersionEntity & { percent: number; sticky: StickyKey | null }) | null;
  shadow: (ServedVersionEntity & { percent: number }) | null;
  rolloutPlan: RolloutPlan | null;
  rolloutStep: number | null;
  reason: string;
  createdBy: string | null;
  createdAt: Date;
}

/** A deployment with its current revision (null only for a row whose first revision never committed, which the store never leaves). */
export interface DeploymentEntity {
  id: string;
  name: string;
  description: string;
  modelId: string;
  modelName: string;
  status: DeploymentStatusName;
  trackedAlias: string | null;
  aliasPolicy: AliasPolicy;
  /** The deployment's own plan: what an alias move under `rollout` and POST …/rollout without a plan use. */
  rolloutPlan: RolloutPlan | null;
  currentRevision: number;
  revision: DeploymentRevisionEntity | null;
  createdBy: string | null;
  createdAt: Date;
  updatedAt: Date;
}

export interface DeploymentEventEntity {
  /** bigint id as text. */
  id: string;
  deploymentId: string;
  revisionId: string | null;
  /** The number of the revision the event belongs to, while that revision exists. */
  revision: number | null;
  type: string;
  message: string;
  data: DeploymentEventData | null;
  actor: string | null;
  createdAt: Date;
}

/** What a new revision serves (appendRevision). Absent canary/shadow: none. */
export interface NewDeploymentRevision {
  action: DeploymentActionName;
  stableVersionId: string;
  canary?: { versionId: string; percent: number; sticky: StickyKey | null } | null;
  shadow?: { versionId: string; percent: number } | null;
  rolloutPlan?: RolloutPlan | null;
  rolloutStep?: number | null;
  reason: string;
  createdBy: string | null;
  /** The deployment's status from this revision on (ROLLING_OUT while a plan runs); unchanged when absent. */
  status?: Exclude<DeploymentStatusName, 'DELETED'>;
}

export interface NewDeployment {
  name: string;
  description: string;
  modelId: string;
  trackedAlias: string | null;
  aliasPolicy: AliasPolicy;
  rolloutPlan: RolloutPlan | null;
  createdBy: string | null;
}

export interface NewDeploymentEvent {
  revisionId?: string | null;
  type: string;
  message: string;
  data?: DeploymentEventData | null;
  actor: string | null;
}
