import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { LATENCY_BUCKETS_MS, METRICS_WINDOW_SECONDS, type BinnedCounts, type RolloutGates } from '@slipway/contracts';
import { UnitOfWork, type DeploymentEntity } from '@slipway/db';
import { commitDeploymentRevision } from '@slipway/model-registry';
import { connectTestSql, type TestSql, useTestDatabase } from '@slipway/testing';
import { ANALYSER_ACTOR_NAME, RolloutAnalyser } from '../deployment-analysis';

const person = { tokenId: null, name: 'alice' };
const EDGES = [0, 1, 2, 3, 4];
/** The canary version's training profile: feature `x` spread evenly over [0, 4). */
const PROFILE = {
  rowCount: 400,
  columns: [{ name: 'x', type: 'number', count: 400, missing: 0, histogram: { edges: EDGES, counts: [100, 100, 100, 100] } }],
};

interface Traffic {
  requests: number;
  errors?: number;
  /** Upper bound (ms) of the bucket every request lands in. */
  latencyMs?: number;
  x?: number[];
}

/**
 * The analyser against real Postgres: metric rows planted as the serving replicas write them, the verdict's
 * revision, events, audit entries and webhook deliveries checked in the tables; two analysers racing; a person
 * acting between the analyser's read and its act.
 */
describe('RolloutAnalyser', () => {
  const db = useTestDatabase();
  let uow: UnitOfWork;
  let other: UnitOfWork;
  let sql: TestSql;
  let modelId: string;
  let v1: string;
  let v2: string;

  beforeAll(async () => {
    uow = UnitOfWork.connect(db.url, { poolSize: 4 });
    other = UnitOfWork.connect(db.url, { poolSize: 4 });
    sql = connectTestSql(db.url);
    modelId = (await sql.one<{ id: string }>(`INSERT INTO models (id, name, updated_at) VALUES (gen_random_uuid(), 'fraud', now()) RETURNING id`)).id;
    v1 = (
      await sql.one<{ id: string }>(`INSERT INTO model_versions (id, model_id, version, status) VALUES (gen_random_uuid(), $1, 1, 'READY') RETURNING id`, [
        modelId,
      ])
    ).id;
    v2 = (
      await sql.one<{ id: string }>(
        `INSERT INTO model_versions (id, model_id, version, status, training_profile) VALUES (gen_random_uuid(), $1, 2, 'READY', $2::jsonb) RETURNING id`,
        [modelId, JSON.stringify(PROFILE)],
      )
    ).id;
    await sql.query(
      `INSERT INTO webhooks (id, name, url, secret, events, updated_at) VALUES (gen_random_uuid(), 'ops', 'https://hooks.example/x', 's',
       ARRAY['deployment.auto_rolled_back', 'deployment.rollout_advanced', 'deployment.promoted'], now())`,
    );
  });
  afterAll(async () => {
    await uow?.close();
    await other?.close();
    await sql?.close();
  });

  /** A deployment serving v1 with v2 as canary at `step` of a plan, its step started long enough ago to be due. */
  async function rollout(gates: RolloutGates, options: { steps?: number[]; step?: number; minRequestsPerStep?: number } = {}): Promise<DeploymentEntity> {
    const steps = options.steps ?? [10, 50];
    const step = options.step ?? 0;
    const plan = { steps, intervalSeconds: 30, minRequestsPerStep: options.minRequestsPerStep ?? 100, gates };
    const name = `d-${randomUUID().slice(0, 8)}`;
    const deployment = await uow.run(person, async (tx) => {
      const created = await tx.deployments.create(
        { id: randomUUID(), name, description: '', modelId, trackedAlias: null, aliasPolicy: 'redeploy', rolloutPlan: null, createdBy: 'alice' },
        { action: 'CREATE', stableVersionId: v1, reason: '', createdBy: 'alice' },
      );
      await tx.deployments.appendRevision(created.id, 1, {
        action: 'GRAY_START',
        stableVersionId: v1,
        canary: { versionId: v2, percent: steps[step], sticky: null },
        rolloutPlan: plan,
        rolloutStep: step,
        reason: 'try v2',
        createdBy: 'alice',
        status: 'ROLLING_OUT',
      });
      return created;
    });
    await backdate(deployment.id, 60);
    return (await uow.read.deployments.getById(deployment.id)) as DeploymentEntity;
  }

  /** Moves the current revision's start `seconds` into the past (its interval has then elapsed). */
  async function backdate(deploymentId: string, seconds: number): Promise<void> {
    await sql.query(
      `UPDATE deployment_revisions r SET created_at = now() - make_interval(secs => $2) FROM deployments d
        WHERE d.id = r.deployment_id AND r.revision = d.current_revision AND d.id = $1`,
      [deploymentId, seconds],
    );
  }

  /** Counts added into the current window's row, as a serving replica's flush adds them (latency buckets as first written). */
  async function plant(deploymentId: string, versionId: string, role: 'stable' | 'canary', t: Traffic): Promise<void> {
    const buckets = new Array<number>(LATENCY_BUCKETS_MS.length + 1).fill(0);
    buckets[LATENCY_BUCKETS_MS.indexOf((t.latencyMs ?? 5) as (typeof LATENCY_BUCKETS_MS)[number])] = t.requests;
    const features: Record<string, BinnedCounts> | null = t.x ? { x: { kind: 'histogram', edges: EDGES, counts: t.x } } : null;
    await sql.query(
      `INSERT INTO deployment_metrics (deployment_id, version_id, role, window_start, requests, errors, latency_buckets, latency_sum_ms, features)
       VALUES ($1, $2, $3, to_timestamp(floor(extract(epoch FROM now()) / $8) * $8), $4, $5, $6::int[], $7, $9::jsonb)
       ON CONFLICT (deployment_id, version_id, role, window_start) DO UPDATE SET requests = deployment_metrics.requests + EXCLUDED.requests,
         errors = deployment_metrics.errors + EXCLUDED.errors`,
      [
        deploymentId,
        versionId,
        role,
        t.requests,
        t.errors ?? 0,
        buckets,
        t.requests * (t.latencyMs ?? 5),
        METRICS_WINDOW_SECONDS,
        features && JSON.stringify(features),
      ],
    );
  }

  const current = async (id: string) => (await uow.read.deployments.getById(id)) as DeploymentEntity;
  const eventsOf = (id: string) =>
    sql.query<{ type: string; data: Record<string, unknown>; actor: string }>(
      `SELECT type, data, actor FROM deployment_events WHERE deployment_id = $1 ORDER BY id`,
      [id],
    );

  it('rolls a failing canary back: AUTO_ROLLBACK keeps stable, the event names the gate with its numbers, audited and announced', async () => {
    const d = await rollout({ maxErrorRate: 0.05, maxP99LatencyMs: 100 });
    await plant(d.id, v2, 'canary', { requests: 200, errors: 30 });
    await plant(d.id, v1, 'stable', { requests: 1800 });
    await expect(new RolloutAnalyser(uow).analyse(d.id)).resolves.toBe('rolled-back');

    const after = await current(d.id);
    expect(after).toMatchObject({ status: 'ACTIVE', currentRevision: 3 });
    expect(after.revision).toMatchObject({ action: 'AUTO_ROLLBACK', stable: { versionId: v1 }, canary: null, createdBy: ANALYSER_ACTOR_NAME });
    expect(after.revision?.reason).toBe('step 1/2 (10%) failed: maxErrorRate 0.15 (threshold 0.05)');
    const events = await eventsOf(d.id);
    const failed = events.find((e) => e.type === 'analysis.failed');
    expect(failed).toMatchObject({
      actor: ANALYSER_ACTOR_NAME,
      data: { verdict: 'fail', gate: 'maxErrorRate', value: 0.15, threshold: 0.05, canaryRequests: 200, step: 0 },
    });
    expect(failed?.data.gates).toEqual([
      { gate: 'maxErrorRate', value: 0.15, threshold: 0.05, passed: false },
      { gate: 'maxP99LatencyMs', value: 4.97, threshold: 100, passed: true },
    ]);
    expect(events.map((e) => e.type)).toEqual(['analysis.failed', 'auto_rollback']);
    const audit = await sql.one<{ actor: string; request_id: string }>(
      `SELECT actor, request_id FROM audit_log WHERE entity_id = $1 AND action = 'deployment.auto_rollback'`,
      [d.id],
    );
    expect(audit).toEqual({ actor: ANALYSER_ACTOR_NAME, request_id: `rollout-analysis:${d.id}` });
    await expect(sql.count('webhook_deliveries', `event = 'deployment.auto_rolled_back' AND payload->>'deploymentId' = $1`, [d.id])).resolves.toBe(1);
    // Not a rollout any more: nothing is due.
    await expect(new RolloutAnalyser(uow).analyse(d.id)).resolves.toBe('not-due');
  });

  it('advances a passing step to the next percent, then promotes after the last one', async () => {
    const d = await rollout({ maxErrorRate: 0.05, maxP99LatencyRatio: 1.5 });
    await plant(d.id, v2, 'canary', { requests: 150, errors: 1 });
    await plant(d.id, v1, 'stable', { requests: 1350 });
    const analyser = new RolloutAnalyser(uow);
    await expect(analyser.analyse(d.id)).resolves.toBe('advanced');
    let after = await current(d.id);
    expect(after).toMatchObject({ status: 'ROLLING_OUT', currentRevision: 3 });
    expect(after.revision).toMatchObject({ action: 'GRAY_STEP', canary: { versionId: v2, percent: 50 }, rolloutStep: 1, rolloutPlan: { steps: [10, 50] } });
    // The new step has its own interval: not due yet.
    await expect(analyser.analyse(d.id)).resolves.toBe('not-due');

    await backdate(d.id, 60);
    await expect(analyser.analyse(d.id)).resolves.toBe('promoted');
    after = await current(d.id);
    expect(after).toMatchObject({ status: 'ACTIVE', currentRevision: 4 });
    expect(after.revision).toMatchObject({ action: 'PROMOTE', stable: { versionId: v2 }, canary: null });
    expect((await eventsOf(d.id)).map((e) => e.type)).toEqual(['analysis.passed', 'rollout_step', 'analysis.passed', 'promote']);
    await expect(
      sql.count('webhook_deliveries', `event IN ('deployment.rollout_advanced', 'deployment.promoted') AND payload->>'deploymentId' = $1`, [d.id]),
    ).resolves.toBe(2);
  });

  it('waits on too few canary requests, says so at most once per interval, and judges once enough arrived', async () => {
    const d = await rollout({ maxErrorRate: 0.05 });
    await plant(d.id, v2, 'canary', { requests: 40, errors: 40 });
    const analyser = new RolloutAnalyser(uow);
    await expect(analyser.analyse(d.id)).resolves.toBe('waiting');
    await expect(analyser.analyse(d.id)).resolves.toBe('not-due');
    const waiting = (await eventsOf(d.id)).filter((e) => e.type === 'analysis.waiting');
    expect(waiting).toHaveLength(1);
    expect(waiting[0].data).toMatchObject({ verdict: 'wait', canaryRequests: 40, minRequests: 100 });
    expect((await current(d.id)).currentRevision).toBe(2);
    // An interval after the waiting event, with enough requests now, it is judged.
    await sql.query(`UPDATE deployment_events SET created_at = now() - interval '1 minute' WHERE deployment_id = $1 AND type = 'analysis.waiting'`, [d.id]);
    await plant(d.id, v2, 'canary', { requests: 60 });
    await expect(analyser.analyse(d.id)).resolves.toBe('rolled-back');
  });

  it('fires the input drift gate on shifted inputs and stays quiet on unshifted ones', async () => {
    const shifted = await rollout({ maxInputDrift: 0.2 });
    await plant(shifted.id, v2, 'canary', { requests: 400, x: [10, 30, 60, 300] });
    await expect(new RolloutAnalyser(uow).analyse(shifted.id)).resolves.toBe('rolled-back');
    const failed = (await eventsOf(shifted.id)).find((e) => e.type === 'analysis.failed');
    expect(failed?.data).toMatchObject({ gate: 'maxInputDrift', threshold: 0.2 });
    expect(failed?.data.value as number).toBeGreaterThan(0.2);

    const steady = await rollout({ maxInputDrift: 0.2 });
    await plant(steady.id, v2, 'canary', { requests: 400, x: [95, 105, 98, 102] });
    await expect(new RolloutAnalyser(uow).analyse(steady.id)).resolves.toBe('advanced');
  });

  it('two analysers racing on the same steps act exactly once per step', async () => {
    for (let round = 0; round < 5; round++) {
      const d = await rollout({ maxErrorRate: 0.05 }, { steps: [10, 20, 50] });
      await plant(d.id, v2, 'canary', { requests: 500 });
      const outcomes = await Promise.all([new RolloutAnalyser(uow).analyse(d.id), new RolloutAnalyser(other).analyse(d.id)]);
      expect(outcomes.filter((o) => o === 'advanced')).toHaveLength(1);
      expect(outcomes.filter((o) => o !== 'advanced').every((o) => o === 'locked' || o === 'not-due')).toBe(true);
      await expect(sql.count('deployment_revisions', 'deployment_id = $1', [d.id])).resolves.toBe(3);
      await expect(sql.count('deployment_events', `deployment_id = $1 AND type LIKE 'analysis.%'`, [d.id])).resolves.toBe(1);
    }
  });

  it('does nothing when a person acts between its read and its act (the compare-and-set loses, its event is undone)', async () => {
    const d = await rollout({ maxErrorRate: 0.05 });
    await plant(d.id, v2, 'canary', { requests: 500, errors: 100 });
    const outcome = await new RolloutAnalyser(uow).analyse(d.id, {
      afterDecide: async () => {
        const seen = await other.read.deployments.getById(d.id);
        if (!seen?.revision) throw new Error('no deployment');
        await other.run(person, (tx) =>
          commitDeploymentRevision(
            tx,
            seen,
            seen.currentRevision,
            { action: 'PROMOTE', stableVersionId: v2, canary: null, reason: 'looks fine to me', createdBy: 'alice', status: 'ACTIVE' },
            { action: 'promote', event: 'deployment.promoted', message: 'promoted by hand' },
          ),
        );
      },
    });
    expect(outcome).toBe('stale');
    const after = await current(d.id);
    expect(after).toMatchObject({ currentRevision: 3, status: 'ACTIVE' });
    expect(after.revision).toMatchObject({ action: 'PROMOTE', createdBy: 'alice' });
    expect((await eventsOf(d.id)).map((e) => e.type)).toEqual(['promote']);
    await expect(sql.count('audit_log', `entity_id = $1 AND actor = $2`, [d.id, ANALYSER_ACTOR_NAME])).resolves.toBe(0);
  });

  it('a sweep analyses only the rollouts whose step is due', async () => {
    const due = await rollout({}, { minRequestsPerStep: 0 });
    const fresh = await rollout({}, { minRequestsPerStep: 0 });
    await sql.query(`UPDATE deployment_revisions SET created_at = now() WHERE deployment_id = $1 AND revision = 2`, [fresh.id]);
    const outcomes = await new RolloutAnalyser(uow).sweep();
    expect(outcomes.get(due.id)).toBe('advanced');
    expect(outcomes.has(fresh.id)).toBe(false);
    expect((await current(fresh.id)).currentRevision).toBe(2);
  });
});
