import type { Logger } from '@nestjs/common';
import type { DeploymentEventData } from '@slipway/contracts';
import type { ChangeContext, DeploymentRevisionEntity, RoleTrafficEntity, Transaction, UnitOfWork } from '@slipway/db';
import { analyseStep, profileBins, sumBinnedCounts, sumFeatureCounts, type StepAnalysis, type VersionTraffic } from '@slipway/ml-evaluation';
import { commitDeploymentRevision } from '@slipway/model-registry';

/** Who the audit log, the events and the revisions name for what the analyser decides. */
export const ANALYSER_ACTOR_NAME = 'rollout-analyser';

/** The most due rollouts one sweep analyses; the next sweep takes the rest. */
const SWEEP_LIMIT = 100;

export type AnalysisOutcome =
  /** Another analyser holds the deployment's lock: it acts, this one does nothing. */
  | 'locked'
  /** No longer a rollout due for analysis (finished, aborted, or analysed meanwhile). */
  | 'not-due'
  /** The deployment moved on between the read and the act (a person's action won): nothing written. */
  | 'stale'
  | 'waiting'
  | 'advanced'
  | 'promoted'
  | 'rolled-back';

export interface AnalysisHooks {
  /**
   * Runs after the window is read and the verdict taken, before anything is written: where a concurrent change
   * can land (the int spec puts a person's promote there to prove the analyser then does nothing).
   */
  afterDecide?: () => Promise<void>;
}

/** Thrown inside the unit of work to undo what it wrote before the compare-and-set lost. */
class LostRace extends Error {}

const EMPTY: VersionTraffic = { requests: 0, errors: 0, latencyBuckets: [], features: {}, predictions: null };

function trafficOf(rows: readonly RoleTrafficEntity[], role: 'stable' | 'canary', versionId: string): VersionTraffic {
  const row = rows.find((r) => r.role === role && r.versionId === versionId);
  if (!row) return EMPTY;
  return {
    requests: row.requests,
    errors: row.errors,
    latencyBuckets: row.latencyBuckets,
    features: sumFeatureCounts(row.features),
    predictions: sumBinnedCounts(row.predictions),
  };
}

/** What analysis events carry: the verdict, the step, the request counts and every gate with its numbers. */
function analysisData(analysis: StepAnalysis, revision: DeploymentRevisionEntity, step: number, percent: number): DeploymentEventData {
  const failed = analysis.gates.find((g) => g.passed === false);
  return {
    verdict: analysis.verdict,
    step,
    percent,
    canaryVersion: revision.canary?.version ?? null,
    stableVersion: revision.stable.version,
    canaryRequests: analysis.canaryRequests,
    minRequests: analysis.minRequests,
    ...(failed ? { gate: failed.gate, value: failed.value, threshold: failed.threshold } : {}),
    gates: analysis.gates.map((g) => ({
      gate: g.gate,
      value: g.value,
      threshold: g.threshold,
      passed: g.passed,
      ...(g.detail ? { detail: g.detail as Record<string, never> } : {}),
      ...(g.note ? { note: g.note } : {}),
    })),
  };
}

/**
 * The metric-gated rollout analyser. Each due rollout is analysed in one unit of work: the deployment's
 * advisory lock first (another analyser holding it → skip), then a fresh read, the verdict on the step's
 * window, and the act through the deployment store's compare-and-set on the revision read. Two analysers
 * therefore never both act on one step, and a person's action that lands between the read and the act makes
 * the compare-and-set fail: the analyser's whole transaction is undone.
 */
export class RolloutAnalyser {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly logger?: Pick<Logger, 'log' | 'warn'>,
  ) {}

  /** Analyses every due rollout (up to the sweep limit); the outcome per deployment id. */
  async sweep(signal?: AbortSignal): Promise<Map<string, AnalysisOutcome>> {
    const outcomes = new Map<string, AnalysisOutcome>();
    for (const id of await this.uow.read.rolloutAnalysis.due(SWEEP_LIMIT)) {
      if (signal?.aborted) break;
      try {
        outcomes.set(id, await this.analyse(id));
      } catch (error) {
        // One deployment's failure (its data, a dropped connection) must not hold up the others' rollouts.
        this.logger?.warn(`rollout analysis of deployment ${id} failed: ${(error as Error).message}`);
      }
    }
    return outcomes;
  }

  async analyse(deploymentId: string, hooks: AnalysisHooks = {}): Promise<AnalysisOutcome> {
    const actor: ChangeContext = { tokenId: null, name: ANALYSER_ACTOR_NAME, requestId: `rollout-analysis:${deploymentId}` };
    try {
      const outcome = await this.uow.run(actor, (tx) => this.analyseIn(tx, deploymentId, hooks));
      if (outcome !== 'locked' && outcome !== 'not-due') this.logger?.log(`rollout analysis of deployment ${deploymentId}: ${outcome}`);
      return outcome;
    } catch (error) {
      if (error instanceof LostRace || (error as { cause?: unknown }).cause instanceof LostRace) return 'stale';
      throw error;
    }
  }

  private async analyseIn(tx: Transaction, deploymentId: string, hooks: AnalysisHooks): Promise<AnalysisOutcome> {
    if (!(await tx.rolloutAnalysis.tryLock(deploymentId))) return 'locked';
    // Under the lock: an analyser that held it before us has committed, so this read sees what it did.
    const [stillDue] = await tx.rolloutAnalysis.due(1, deploymentId);
    const deployment = stillDue ? await tx.deployments.getById(deploymentId) : null;
    const revision = deployment?.revision;
    if (!deployment || !revision?.canary || !revision.rolloutPlan || revision.rolloutStep === null) return 'not-due';
    const plan = revision.rolloutPlan;
    const step = revision.rolloutStep;
    const canary = revision.canary;

    const since = revision.createdAt;
    const traffic = await tx.rolloutAnalysis.traffic(deploymentId, since);
    const profile = await tx.rolloutAnalysis.trainingProfile(canary.versionId);
    const feedback = await tx.rolloutAnalysis.feedback(deploymentId, canary.versionId, since);
    const analysis = analyseStep(
      {
        canary: trafficOf(traffic, 'canary', canary.versionId),
        stable: trafficOf(traffic, 'stable', revision.stable.versionId),
        canaryFeedback: feedback ? { count: feedback.count, mean: feedback.mean } : null,
        canaryProfile: profile ? profileBins(profile) : null,
      },
      plan,
      step,
    );
    await hooks.afterDecide?.();

    const base = deployment.currentRevision;
    const data = analysisData(analysis, revision, step, canary.percent);
    if (analysis.verdict === 'wait') {
      // No revision to compare-and-set: the row lock (after any concurrent action commits) and a re-check stand in for it.
      const locked = await tx.deployments.lock(deployment.name);
      if (locked?.currentRevision !== base) return 'stale';
      await tx.deployments.appendEvent(deploymentId, {
        revisionId: revision.id,
        type: 'analysis.waiting',
        message: analysis.reason,
        data,
        actor: ANALYSER_ACTOR_NAME,
      });
      return 'waiting';
    }
    await tx.deployments.appendEvent(deploymentId, {
      revisionId: revision.id,
      type: analysis.verdict === 'pass' ? 'analysis.passed' : 'analysis.failed',
      message: analysis.reason,
      data,
      actor: ANALYSER_ACTOR_NAME,
    });
    const shadow = revision.shadow ? { versionId: revision.shadow.versionId, percent: revision.shadow.percent } : null;
    const common = { reason: analysis.reason, createdBy: ANALYSER_ACTOR_NAME, shadow };
    let outcome: AnalysisOutcome;
    let committed: Awaited<ReturnType<typeof commitDeploymentRevision>>;
    if (analysis.verdict === 'fail') {
      outcome = 'rolled-back';
      committed = await commitDeploymentRevision(
        tx,
        deployment,
        base,
        { ...common, action: 'AUTO_ROLLBACK', stableVersionId: revision.stable.versionId, canary: null, status: 'ACTIVE' },
        {
          action: 'auto_rollback',
          event: 'deployment.auto_rolled_back',
          message: `Canary of version ${canary.version} rolled back automatically; version ${revision.stable.version} serves all traffic. ${analysis.reason}`,
          data,
        },
      );
    } else if (step + 1 < plan.steps.length) {
      outcome = 'advanced';
      const percent = plan.steps[step + 1];
      committed = await commitDeploymentRevision(
        tx,
        deployment,
        base,
        {
          ...common,
          action: 'GRAY_STEP',
          stableVersionId: revision.stable.versionId,
          canary: { versionId: canary.versionId, percent, sticky: canary.sticky },
          rolloutPlan: plan,
          rolloutStep: step + 1,
          status: 'ROLLING_OUT',
        },
        {
          action: 'rollout_step',
          event: 'deployment.rollout_advanced',
          message: `Rollout of version ${canary.version}: ${canary.percent}% → ${percent}%`,
          data,
        },
      );
    } else {
      outcome = 'promoted';
      committed = await commitDeploymentRevision(
        tx,
        deployment,
        base,
        { ...common, action: 'PROMOTE', stableVersionId: canary.versionId, canary: null, status: 'ACTIVE' },
        {
          action: 'promote',
          event: 'deployment.promoted',
          message: `Version ${canary.version} promoted to stable after the last rollout step (was ${revision.stable.version})`,
          data: { ...data, fromVersion: revision.stable.version, toVersion: canary.version },
        },
      );
    }
    // A person's action won between the read and the act: undo the analysis event with everything else.
    if (!committed) throw new LostRace(`deployment ${deploymentId} moved past revision ${base}`);
    return outcome;
  }
}
