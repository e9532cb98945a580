import type { WebhookEvent } from '@slipway/contracts';
import type { PrismaClient } from '../generated/prisma/client';
import type { DbClient } from '../db-client';
import { createPrismaClient } from '../prisma-client';
import { ApiTokenStore } from '../auth/api-token.store';
import { AuditLogStore, type Actor } from '../audit/audit-log.store';
import { ArtifactStore } from '../experiments/artifact.store';
import { ExperimentStore } from '../experiments/experiment.store';
import { MetricStore } from '../experiments/metric.store';
import { RunSearchStore } from '../experiments/run-search.store';
import { RunStore } from '../experiments/run.store';
import { OverviewStore } from '../platform/overview.store';
import { CompareStore } from '../registry/compare.store';
import { DeploymentUsageStore } from '../registry/deployment-usage.store';
import { LineageStore } from '../registry/lineage.store';
import { ModelAliasStore } from '../registry/model-alias.store';
import { ModelVersionStore } from '../registry/model-version.store';
import { ModelStore } from '../registry/model.store';
import { RetentionStore } from '../registry/retention.store';
import { WebhookStore } from '../webhooks/webhook.store';
import { WorkerStore } from '../workers/worker.store';
import { IdempotencyStore } from '../idempotency/idempotency.store';
import { DatasetStore } from '../datasets/dataset.store';
import { TrainingJobStore } from '../training/training-job.store';
import { DeploymentStore } from '../deployments/deployment.store';
import { RolloutAnalysisStore } from '../deployments/rollout-analysis.store';
import { DeploymentMetricsStore } from '../deployments/deployment-metrics.store';
import { ServingStateStore } from '../deployments/serving-state.store';
import { TuningStudyStore } from '../tuning/tuning-study.store';
import type { IdempotencyClaim } from '../idempotency/idempotency.entity';
import { toSlipwayError } from './db-errors';

/** The stores, each bound to one database handle: the pool (reads) or one transaction (a unit of work). */
export interface Stores {
  experiments: ExperimentStore;
  runs: RunStore;
  metrics: MetricStore;
  artifacts: ArtifactStore;
  runSearch: RunSearchStore;
  models: ModelStore;
  versions: ModelVersionStore;
  aliases: ModelAliasStore;
  lineage: LineageStore;
  usage: DeploymentUsageStore;
  compare: CompareStore;
  retention: RetentionStore;
  tokens: ApiTokenStore;
  /** Reading only: entries are written by `Transaction.record`, nowhere else. */
  audit: Pick<AuditLogStore, 'list'>;
  webhooks: WebhookStore;
  idempotency: IdempotencyStore;
  datasets: DatasetStore;
  trainingJobs: TrainingJobStore;
  /** Tuning studies and their trials. */
  studies: TuningStudyStore;
  deployments: DeploymentStore;
  /** The rollout analyser's reads and its per-deployment lock. */
  rolloutAnalysis: RolloutAnalysisStore;
}

/** Outside a transaction there are also the platform's own reads and the worker presence table. */
export interface ReadStores extends Stores {
  overview: OverviewStore;
  workers: WorkerStore;
  /** The serving replicas' reads and their traffic aggregates (written outside transactions: additive upserts). */
  servingState: ServingStateStore;
  deploymentMetrics: DeploymentMetricsStore;
}

function storesOn(db: DbClient): Stores {
  return {
    experiments: new ExperimentStore(db),
    runs: new RunStore(db),
    metrics: new MetricStore(db),
    artifacts: new ArtifactStore(db),
    runSearch: new RunSearchStore(db),
    models: new ModelStore(db),
    versions: new ModelVersionStore(db),
    aliases: new ModelAliasStore(db),
    lineage: new LineageStore(db),
    usage: new DeploymentUsageStore(db),
    compare: new CompareStore(db),
    retention: new RetentionStore(db),
    tokens: new ApiTokenStore(db),
    audit: new AuditLogStore(db),
    webhooks: new WebhookStore(db),
    idempotency: new IdempotencyStore(db),
    datasets: new DatasetStore(db),
    trainingJobs: new TrainingJobStore(db),
    studies: new TuningStudyStore(db),
    deployments: new DeploymentStore(db),
    rolloutAnalysis: new RolloutAnalysisStore(db),
  };
}

/** Who makes the change and the request it came with: given once when the unit of work opens, written into every audit entry. */
export interface ChangeContext extends Actor {
  requestId?: string | null;
  /** The request's Idempotency-Key: each unit of work run with this context marks it committed in its own transaction. */
  idempotency?: IdempotencyClaim;
}

/** The platform itself acting (bootstrap, sweepers), not a token. */
export const SYSTEM_ACTOR: ChangeContext = { tokenId: null, name: 'system' };

/** One recorded change: its audit entry, and the webhook event announcing it (when there is one). */
export interface Change {
  /** e.g. `model.create`, `alias.move`, `token.revoke`. */
  action: string;
  entity: { type: string; id: string };
  before?: unknown;
  after?: unknown;
  /** Staged for every active webhook subscribed to `name`; `data` gets the actor's name as `actor`. */
  event?: { name: WebhookEvent; data: Record<string, unknown> };
}

/** What a unit of work hands its work: the stores on its transaction, and the recorder. */
export interface Transaction extends Stores {
  /** Writes the audit entry and stages the event's webhook deliveries in this transaction: they commit with the change or not at all. */
  record(change: Change): Promise<void>;
  /** Stages one delivery to one webhook whatever it subscribes to (the ping), sent after commit like the others. */
  deliverTo(webhookId: string, event: string, payload: unknown): Promise<string>;
  /**
   * The request's response body, when the request holds an Idempotency-Key: stored in this transaction, so
   * a retry with the key gets exactly this answer and a crash can never keep the change without it.
   * No-op without a key. `status`: when the answer is not the route's usual one (a 200 for a create that
   * found the thing already there instead of the route's 201).
   */
  respond(body: unknown, status?: number): Promise<void>;
}

export interface UnitOfWorkOptions {
  /**
   * Called after commit with the ids of the webhook deliveries the work staged, to enqueue them. A failure
   * here leaves them PENDING (never lost): the outbox relay finds them with WebhookStore.stalePendingDeliveries.
   */
  afterCommit?: (deliveryIds: readonly string[]) => Promise<void>;
}

/**
 * Generous on purpose. maxWait: changes to one model queue on its row lock, and many training loops log
 * to one database at once, so 20 parallel requests must all get a connection rather than a timeout.
 * timeout: a log batch of 1000 points with its params and tags must fit.
 */
const TRANSACTION_OPTIONS = { maxWait: 20_000, timeout: 60_000 } as const;

/**
 * The one way to change the platform's state: `run` opens a transaction, hands out the stores bound to it
 * and a change recorder, commits, then enqueues the webhook deliveries the change staged. Database
 * failures leave it as SlipwayErrors (toSlipwayError), never as Prisma errors. `read` are the same stores
 * on the pool, for reads that need no transaction.
 */
export class UnitOfWork {
  readonly read: ReadStores;

  private constructor(
    private readonly client: PrismaClient,
    private readonly options: UnitOfWorkOptions,
  ) {
    this.read = {
      ...storesOn(client),
      overview: new OverviewStore(client),
      workers: new WorkerStore(client),
      servingState: new ServingStateStore(client),
      deploymentMetrics: new DeploymentMetricsStore(client),
    };
  }

  static connect(databaseUrl: string, options: UnitOfWorkOptions & { poolSize?: number } = {}): UnitOfWork {
    return new UnitOfWork(createPrismaClient(databaseUrl, { poolSize: options.poolSize }), options);
  }

  async run<T>(context: ChangeContext, work: (tx: Transaction) => Promise<T>): Promise<T> {
    const staged: string[] = [];
    const claim = context.idempotency;
    let stored: string | null = null;
    let result: T;
    try {
      result = await this.client.$transaction(async (db) => {
        const tx = this.transactionOn(db, context, staged, (body) => (stored = body));
        const done = await work(tx);
        if (claim) {
          await tx.idempotency.markCommitted(claim.id);
          const rendered = stored === null ? (claim.render?.(done) ?? null) : null;
          if (rendered !== null) {
            await tx.idempotency.storeResponse(claim.id, claim.status, rendered);
            stored = rendered;
          }
        }
        return done;
      }, TRANSACTION_OPTIONS);
    } catch (error) {
      throw toSlipwayError(error);
    }
    if (claim) {
      claim.committed = true;
      if (stored !== null) {
        claim.responded = true;
        claim.storedBody = stored;
      }
    }
    if (staged.length > 0 && this.options.afterCommit) {
      // The change has committed: a failed enqueue must not turn its answer into an error.
      await this.options.afterCommit(staged).catch(() => undefined);
    }
    return result;
  }

  async close(): Promise<void> {
    await this.client.$disconnect();
  }

  private transactionOn(db: DbClient, context: ChangeContext, staged: string[], onRespond: (body: string) => void): Transaction {
    const stores = storesOn(db);
    const auditLog = new AuditLogStore(db);
    const actor: Actor = { tokenId: context.tokenId, name: context.name };
    return {
      ...stores,
      record: async (change) => {
        await auditLog.append({
          actor,
          action: change.action,
          entityType: change.entity.type,
          entityId: change.entity.id,
          before: change.before,
          after: change.after,
          requestId: context.requestId || null,
        });
        if (change.event) staged.push(...(await stores.webhooks.stageEvent(change.event.name, { ...change.event.data, actor: actor.name }, db)));
      },
      deliverTo: async (webhookId, event, payload) => {
        const id = await stores.webhooks.stageDelivery(webhookId, event, payload);
        staged.push(id);
        return id;
      },
      respond: async (body, status) => {
        const claim = context.idempotency;
        if (!claim) return;
        const json = JSON.stringify(body);
        await stores.idempotency.storeResponse(claim.id, status ?? claim.status, json);
        onRespond(json);
      },
    };
  }
}
