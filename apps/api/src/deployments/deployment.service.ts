import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import {
  deploymentSchema,
  ErrorCode,
  SlipwayError,
  StaleStateError,
  type CreateDeploymentRequest,
  type DeploymentActionRequest,
  type DeploymentList,
  type DeploymentQuery,
  type DeploymentView,
  type SetShadowRequest,
  type StartCanaryRequest,
  type StartRolloutRequest,
  type UpdateDeploymentRequest,
} from '@slipway/contracts';
import {
  UnitOfWork,
  type DeploymentEntity,
  type DeploymentRevisionEntity,
  type ModelVersionEntity,
  type NewDeploymentRevision,
  type Transaction,
} from '@slipway/db';
import { commitDeploymentRevision, revisionSummary, type DeploymentChange } from '@slipway/model-registry';
import type { RequestActor } from '../auth/auth.decorators';
import { inRequestFields } from '../common/request-fields';
import { respondWithin } from '../common/respond-within';
import { toDeploymentEventView, toDeploymentView, toRevisionView } from './deployments.views';

const field = (name: string, message: string) => [{ field: name, message }];
const noDeployment = (name: string) => new SlipwayError(ErrorCode.NOT_FOUND, `No deployment "${name}"`, field('params.name', 'no such deployment'));
const conflict = (message: string, at: string, why: string) => new SlipwayError(ErrorCode.CONFLICT, message, field(at, why));

/** What an action decides from the current revision: the next revision (who is filled in later) and how it is recorded. */
interface Decision {
  revision: Omit<NewDeploymentRevision, 'createdBy' | 'reason'>;
  change: DeploymentChange;
}

/**
 * Deployments: each action reads the deployment under its model's and its own row lock (the model first, the
 * order alias moves take too, so the two never deadlock), refuses a stale `baseRevision` with the current
 * state, and writes one revision with its event, audit entry and webhook event in one unit of work.
 */
@Injectable()
export class DeploymentService {
  constructor(private readonly db: UnitOfWork) {}

  async create(request: CreateDeploymentRequest, actor: RequestActor): Promise<DeploymentView> {
    return this.db.run(actor, async (tx) => {
      const model = await tx.models.lock(request.model);
      if (!model) throw new SlipwayError(ErrorCode.NOT_FOUND, `No model "${request.model}"`, field('body.model', 'no such model'));
      let version: ModelVersionEntity | null;
      let at: string;
      if (request.alias !== undefined) {
        at = 'body.alias';
        const alias = await tx.aliases.get(model.id, request.alias);
        if (!alias) throw new SlipwayError(ErrorCode.NOT_FOUND, `Model "${model.name}" has no alias "${request.alias}"`, field(at, 'no such alias'));
        version = await tx.versions.getById(alias.versionId);
      } else {
        at = 'body.version';
        version = await tx.versions.get(model.id, request.version as number);
        if (!version) throw new SlipwayError(ErrorCode.NOT_FOUND, `Model "${model.name}" has no version ${request.version}`, field(at, 'no such version'));
      }
      if (!version || version.status !== 'READY')
        throw conflict(
          `Version ${version?.version ?? '?'} of "${model.name}" is ${version?.status ?? 'gone'}; only READY versions are deployed`,
          at,
          'not READY',
        );
      const existing = await tx.deployments.get(request.name);
      if (existing)
        throw new SlipwayError(
          ErrorCode.ALREADY_EXISTS,
          `A deployment named "${request.name}" already exists${existing.status === 'DELETED' ? ' (deleted; its history keeps the name)' : ''}`,
          field('body.name', 'name taken'),
        );
      const reason = request.reason ?? (request.alias !== undefined ? `deploy ${model.name}@${request.alias} (version ${version.version})` : 'created');
      const created = await tx.deployments.create(
        {
          id: randomUUID(),
          name: request.name,
          description: request.description ?? '',
          modelId: model.id,
          trackedAlias: request.followAlias ? (request.alias ?? null) : null,
          aliasPolicy: request.aliasPolicy,
          rolloutPlan: request.rolloutPlan ?? null,
          createdBy: actor.name,
        },
        { action: 'CREATE', stableVersionId: version.id, reason, createdBy: actor.name, status: 'ACTIVE' },
      );
      const revision = created.revision as DeploymentRevisionEntity;
      const summary = { ...revisionSummary(created, revision), trackedAlias: created.trackedAlias, aliasPolicy: created.aliasPolicy };
      await tx.deployments.appendEvent(created.id, {
        revisionId: revision.id,
        type: 'create',
        message: `Deployed version ${version.version} of ${model.name}`,
        data: { version: version.version, ...(created.trackedAlias ? { followsAlias: created.trackedAlias } : {}) },
        actor: actor.name,
      });
      await tx.record({
        action: 'deployment.create',
        entity: { type: 'deployment', id: created.id },
        after: summary,
        event: { name: 'deployment.created', data: summary },
      });
      const view = toDeploymentView(created);
      await respondWithin(tx, deploymentSchema, view);
      return view;
    });
  }

  async get(name: string): Promise<DeploymentView> {
    const deployment = await this.db.read.deployments.get(name);
    // A row whose current revision is missing (written before this code, which creates both at once) has nothing to show.
    if (!deployment?.revision) throw noDeployment(name);
    return toDeploymentView(deployment);
  }

  async list(query: DeploymentQuery): Promise<DeploymentList> {
    const page = await inRequestFields({ cursor: 'query.cursor' }, () => this.db.read.deployments.list(query));
    return { deployments: page.deployments.filter((d) => d.revision !== null).map(toDeploymentView), nextCursor: page.nextCursor };
  }

  async revisions(name: string, query: { limit: number; cursor?: string }) {
    const deployment = await this.db.read.deployments.get(name);
    if (!deployment) throw noDeployment(name);
    const page = await inRequestFields({ cursor: 'query.cursor' }, () => this.db.read.deployments.revisions(deployment.id, query));
    return { revisions: page.revisions.map(toRevisionView), nextCursor: page.nextCursor };
  }

  async events(name: string, query: { limit: number; cursor?: string; type?: string }) {
    const deployment = await this.db.read.deployments.get(name);
    if (!deployment) throw noDeployment(name);
    const page = await inRequestFields({ cursor: 'query.cursor' }, () => this.db.read.deployments.events(deployment.id, query));
    return { events: page.events.map(toDeploymentEventView), nextCursor: page.nextCursor };
  }

  /** Description, alias policy, the deployment's own plan: nothing about what serves changes, so no revision. */
  async update(name: string, request: UpdateDeploymentRequest, actor: RequestActor): Promise<DeploymentView> {
    return this.db.run(actor, async (tx) => {
      const deployment = await this.lockLive(tx, name);
      const policy = request.aliasPolicy ?? deployment.aliasPolicy;
      const plan = request.rolloutPlan === undefined ? deployment.rolloutPlan : request.rolloutPlan;
      if (policy === 'rollout' && plan === null)
        throw conflict(
          `Deployment "${name}" would follow its alias with a rollout but has no rolloutPlan`,
          request.rolloutPlan === null ? 'body.rolloutPlan' : 'body.aliasPolicy',
          'aliasPolicy rollout needs a rolloutPlan',
        );
      const updated = await tx.deployments.update(deployment.id, {
        description: request.description,
        aliasPolicy: request.aliasPolicy,
        rolloutPlan: request.rolloutPlan,
      });
      const before = { description: deployment.description, aliasPolicy: deployment.aliasPolicy, rolloutPlan: deployment.rolloutPlan };
      const after = { description: updated.description, aliasPolicy: updated.aliasPolicy, rolloutPlan: updated.rolloutPlan };
      await tx.deployments.appendEvent(deployment.id, {
        type: 'update',
        message: `Settings changed: ${Object.keys(request).join(', ')}`,
        data: after,
        actor: actor.name,
      });
      await tx.record({
        action: 'deployment.update',
        entity: { type: 'deployment', id: deployment.id },
        before,
        after,
        event: { name: 'deployment.updated', data: { deploymentId: deployment.id, deployment: name, ...after } },
      });
      const view = toDeploymentView(updated);
      await respondWithin(tx, deploymentSchema, view);
      return view;
    });
  }

  /** DELETED: nothing is served from it any more; its history stays readable and its versions become archivable. */
  async remove(name: string, actor: RequestActor): Promise<DeploymentView> {
    return this.db.run(actor, async (tx) => {
      const deployment = await this.lockLive(tx, name);
      const deleted = await tx.deployments.markDeleted(deployment.id);
      await tx.deployments.appendEvent(deployment.id, { type: 'delete', message: 'Deleted: nothing is served', actor: actor.name });
      const summary = { deploymentId: deployment.id, deployment: name, model: deployment.modelName };
      await tx.record({
        action: 'deployment.delete',
        entity: { type: 'deployment', id: deployment.id },
        before: deployment.revision ? revisionSummary(deployment, deployment.revision) : undefined,
        event: { name: 'deployment.deleted', data: summary },
      });
      const view = toDeploymentView(deleted);
      await respondWithin(tx, deploymentSchema, view);
      return view;
    });
  }

  canary(name: string, body: StartCanaryRequest, actor: RequestActor): Promise<DeploymentView> {
    return this.act(name, body.baseRevision, body.reason, actor, async (tx, deployment, current): Promise<Decision> => {
      refuseRunningCanary(current);
      const version = await this.readyVersion(tx, deployment, body.version);
      if (version.id === current.stable.versionId)
        throw conflict(`Version ${body.version} is already the stable version`, 'body.version', 'is the stable version');
      return {
        revision: {
          action: 'GRAY_START',
          stableVersionId: current.stable.versionId,
          canary: { versionId: version.id, percent: body.percent, sticky: body.sticky ?? null },
          shadow: keepShadow(current),
          status: 'ACTIVE',
        },
        change: {
          action: 'canary',
          event: 'deployment.canary_started',
          message: `Canary: version ${body.version} takes ${body.percent}% of traffic${body.sticky ? ' (sticky)' : ''}`,
          data: { version: body.version, percent: body.percent },
        },
      };
    });
  }

  shadow(name: string, body: SetShadowRequest, actor: RequestActor): Promise<DeploymentView> {
    return this.act(name, body.baseRevision, body.reason, actor, async (tx, deployment, current): Promise<Decision> => {
      const keep = {
        stableVersionId: current.stable.versionId,
        canary: keepCanary(current),
        rolloutPlan: current.rolloutPlan,
        rolloutStep: current.rolloutStep,
      };
      if (body.version === null) {
        if (!current.shadow) throw conflict(`Deployment "${name}" has no shadow version to stop`, 'body.version', 'no shadow to stop');
        return {
          revision: { action: 'SHADOW', ...keep, shadow: null },
          change: {
            action: 'shadow',
            event: 'deployment.shadow_changed',
            message: `Shadow of version ${current.shadow.version} stopped`,
            data: { version: null },
          },
        };
      }
      const version = await this.readyVersion(tx, deployment, body.version);
      if (version.id === current.stable.versionId)
        throw conflict(`Version ${body.version} is the stable version; a shadow copy of it measures nothing`, 'body.version', 'is the stable version');
      return {
        revision: { action: 'SHADOW', ...keep, shadow: { versionId: version.id, percent: body.percent } },
        change: {
          action: 'shadow',
          event: 'deployment.shadow_changed',
          message: `Shadow: version ${body.version} receives a copy of ${body.percent}% of traffic`,
          data: { version: body.version, percent: body.percent },
        },
      };
    });
  }

  rollout(name: string, body: StartRolloutRequest, actor: RequestActor): Promise<DeploymentView> {
    return this.act(name, body.baseRevision, body.reason, actor, async (tx, deployment, current): Promise<Decision> => {
      refuseRunningCanary(current);
      const plan = body.plan ?? deployment.rolloutPlan;
      if (!plan) throw conflict(`Deployment "${name}" has no rolloutPlan of its own; give body.plan`, 'body.plan', 'required: the deployment has no plan');
      const version = await this.readyVersion(tx, deployment, body.version);
      if (version.id === current.stable.versionId)
        throw conflict(`Version ${body.version} is already the stable version`, 'body.version', 'is the stable version');
      return {
        revision: {
          action: 'GRAY_START',
          stableVersionId: current.stable.versionId,
          canary: { versionId: version.id, percent: plan.steps[0], sticky: body.sticky ?? null },
          shadow: keepShadow(current),
          rolloutPlan: plan,
          rolloutStep: 0,
          status: 'ROLLING_OUT',
        },
        change: {
          action: 'rollout',
          event: 'deployment.rollout_started',
          message: `Rollout of version ${body.version}: steps ${plan.steps.join(' → ')}% every ${plan.intervalSeconds}s`,
          data: { version: body.version, steps: plan.steps, intervalSeconds: plan.intervalSeconds },
        },
      };
    });
  }

  promote(name: string, body: DeploymentActionRequest, actor: RequestActor): Promise<DeploymentView> {
    return this.act(name, body.baseRevision, body.reason, actor, async (_tx, _deployment, current): Promise<Decision> => {
      if (!current.canary) throw conflict(`Deployment "${name}" has no canary to promote`, 'body.baseRevision', 'no canary at this revision');
      return {
        revision: { action: 'PROMOTE', stableVersionId: current.canary.versionId, shadow: keepShadow(current), status: 'ACTIVE' },
        change: {
          action: 'promote',
          event: 'deployment.promoted',
          message: `Version ${current.canary.version} promoted to stable (was ${current.stable.version})`,
          data: { fromVersion: current.stable.version, toVersion: current.canary.version },
        },
      };
    });
  }

  /** With a canary: drop it (stable keeps serving). Without one: the previous stable version serves again. */
  rollback(name: string, body: DeploymentActionRequest, actor: RequestActor): Promise<DeploymentView> {
    return this.act(name, body.baseRevision, body.reason, actor, async (tx, deployment, current): Promise<Decision> => {
      if (current.canary)
        return {
          revision: { action: 'ROLLBACK', stableVersionId: current.stable.versionId, shadow: keepShadow(current), status: 'ACTIVE' },
          change: {
            action: 'rollback',
            event: 'deployment.rolled_back',
            message: `Canary of version ${current.canary.version} rolled back; version ${current.stable.version} serves all traffic`,
            data: { droppedCanaryVersion: current.canary.version, stableVersion: current.stable.version },
          },
        };
      const previous = await tx.deployments.previousStable(deployment.id, current.stable.versionId);
      if (!previous)
        throw conflict(`Deployment "${name}" has served no other stable version to roll back to`, 'body.baseRevision', 'no previous stable version');
      const target = await tx.versions.getById(previous.stable.versionId);
      if (!target || target.status !== 'READY')
        throw conflict(
          `The previous stable version ${previous.stable.version} is ${target?.status ?? 'gone'}`,
          'body.baseRevision',
          'previous version not READY',
        );
      return {
        revision: { action: 'ROLLBACK', stableVersionId: previous.stable.versionId, shadow: keepShadow(current), status: 'ACTIVE' },
        change: {
          action: 'rollback',
          event: 'deployment.rolled_back',
          message: `Rolled back from version ${current.stable.version} to version ${previous.stable.version} (stable at revision ${previous.revision})`,
          data: { fromVersion: current.stable.version, toVersion: previous.stable.version, fromRevision: previous.revision },
        },
      };
    });
  }

  /** Stops a canary or rollout where it is: the stable version serves all traffic again. */
  abort(name: string, body: DeploymentActionRequest, actor: RequestActor): Promise<DeploymentView> {
    return this.act(name, body.baseRevision, body.reason, actor, async (_tx, _deployment, current): Promise<Decision> => {
      if (!current.canary) throw conflict(`Deployment "${name}" has no canary or rollout to abort`, 'body.baseRevision', 'no canary at this revision');
      return {
        revision: { action: 'ABORT', stableVersionId: current.stable.versionId, shadow: keepShadow(current), status: 'ACTIVE' },
        change: {
          action: 'abort',
          event: 'deployment.aborted',
          message: `Aborted the ${current.rolloutPlan ? 'rollout' : 'canary'} of version ${current.canary.version}${current.rolloutStep !== null ? ` at step ${current.rolloutStep}` : ''}`,
          data: { canaryVersion: current.canary.version, rolloutStep: current.rolloutStep },
        },
      };
    });
  }

  private async act(
    name: string,
    baseRevision: number,
    reason: string | undefined,
    actor: RequestActor,
    decide: (tx: Transaction, deployment: DeploymentEntity, current: DeploymentRevisionEntity) => Promise<Decision>,
  ): Promise<DeploymentView> {
    return this.db.run(actor, async (tx) => {
      const deployment = await this.lockLive(tx, name);
      const current = deployment.revision as DeploymentRevisionEntity;
      if (deployment.currentRevision !== baseRevision) throw stale(deployment, baseRevision);
      const { revision, change } = await decide(tx, deployment, current);
      const committed = await commitDeploymentRevision(tx, deployment, baseRevision, { ...revision, reason: reason ?? '', createdBy: actor.name }, change);
      // Under the row lock the base cannot have moved; this is the store's own guard answering the same way.
      if (!committed) throw stale((await tx.deployments.getById(deployment.id)) ?? deployment, baseRevision);
      const view = toDeploymentView(committed.deployment);
      await respondWithin(tx, deploymentSchema, view);
      return view;
    });
  }

  /** The deployment under its model's row lock and then its own; 404 when absent, 409 when deleted. */
  private async lockLive(tx: Transaction, name: string): Promise<DeploymentEntity> {
    const seen = await tx.deployments.get(name);
    if (!seen) throw noDeployment(name);
    await tx.models.lock(seen.modelName);
    const deployment = await tx.deployments.lock(name);
    if (!deployment?.revision) throw noDeployment(name);
    if (deployment.status === 'DELETED') throw conflict(`Deployment "${name}" is deleted`, 'params.name', 'deleted deployment');
    return deployment;
  }

  /** A READY version of the deployment's model (the model's row is locked, so it cannot be archived meanwhile). */
  private async readyVersion(tx: Transaction, deployment: DeploymentEntity, number: number): Promise<ModelVersionEntity> {
    const version = await tx.versions.get(deployment.modelId, number);
    if (!version)
      throw new SlipwayError(ErrorCode.NOT_FOUND, `Model "${deployment.modelName}" has no version ${number}`, field('body.version', 'no such version'));
    if (version.status !== 'READY')
      throw conflict(
        `Version ${number} of "${deployment.modelName}" is ${version.status}; only READY versions are served`,
        'body.version',
        `version is ${version.status}`,
      );
    return version;
  }
}

function stale(deployment: DeploymentEntity, baseRevision: number): StaleStateError {
  return new StaleStateError(
    `Deployment "${deployment.name}" is at revision ${deployment.currentRevision}, not ${baseRevision}: decide again from its current state`,
    toDeploymentView(deployment),
    field('body.baseRevision', `stale: the current revision is ${deployment.currentRevision}`),
  );
}

function refuseRunningCanary(current: DeploymentRevisionEntity): void {
  if (current.canary)
    throw conflict(
      `Version ${current.canary.version} is already a canary${current.rolloutPlan ? ' in a rollout' : ''}; promote, roll back or abort it first`,
      'body.version',
      'a canary is already running',
    );
}

const keepShadow = (current: DeploymentRevisionEntity) => (current.shadow ? { versionId: current.shadow.versionId, percent: current.shadow.percent } : null);
const keepCanary = (current: DeploymentRevisionEntity) =>
  current.canary ? { versionId: current.canary.versionId, percent: current.canary.percent, sticky: current.canary.sticky } : null;
