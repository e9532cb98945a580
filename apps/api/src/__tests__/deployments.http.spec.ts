import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { ArtifactSigner } from '@slipway/artifacts';
import {
  auditListSchema,
  deploymentConflictSchema,
  deploymentEventListSchema,
  deploymentListSchema,
  deploymentRevisionListSchema,
  deploymentSchema,
  errorResponseSchema,
  type DeploymentView,
} from '@slipway/contracts';
import { UnitOfWork } from '@slipway/db';
import { ModelRegistrar } from '@slipway/model-registry';
import { useTestDatabase, type TestSql } from '@slipway/testing';
import { expectNamed } from '@slipway/testing-matchers';
import { startApiTestApp, type ApiTestApp } from './api-test-app';
import { connect, createModel, json, uploadVersion } from './registry-fixtures';

const PLAN = { steps: [10, 50], intervalSeconds: 60, minRequestsPerStep: 5, gates: { maxErrorRate: 0.05 } };

describe('deployments over HTTP', () => {
  const db = useTestDatabase();
  let api: ApiTestApp;
  let sql: TestSql;

  const post = (path: string, body: unknown, role: 'viewer' | 'editor' | 'admin' = 'editor') =>
    api.request(`/api/v1/deployments${path}`, { role, method: 'POST', json: body });
  const deployment = async (name: string) => deploymentSchema.parse(await json(await api.request(`/api/v1/deployments/${name}`, { role: 'viewer' }), 200));
  const act = async (name: string, action: string, body: Record<string, unknown>, status = 200) => {
    const answer = await json(await post(`/${name}/${action}`, body), status);
    return status === 200 ? deploymentSchema.parse(answer) : errorResponseSchema.parse(answer);
  };
  const revisionsOf = async (name: string) =>
    deploymentRevisionListSchema.parse(await json(await api.request(`/api/v1/deployments/${name}/revisions?limit=200`, { role: 'viewer' }), 200)).revisions;
  const fieldOf = (body: unknown) => errorResponseSchema.parse(body).error.fields?.[0]?.field;

  beforeAll(async () => {
    api = await startApiTestApp(db.url);
    sql = connect(api, db.url).sql;
    await createModel(api, 'fraud');
    for (let v = 1; v <= 4; v++) await uploadVersion(api, 'fraud', { 'model.json': `{"v":${v}}` });
    // Version 5 stays PENDING_UPLOAD: never deployable.
    await json(await api.request('/api/v1/models/fraud/versions', { role: 'editor', method: 'POST', json: {} }), 201);
    await createModel(api, 'other');
    await uploadVersion(api, 'other', { 'model.json': '{"other":1}' });
    // A subscriber to every deployment event: the deliveries are staged in the action's transaction.
    await sql.query(
      `INSERT INTO webhooks (id, name, url, secret, events, active, updated_at)
       VALUES (gen_random_uuid(), 'deploys', 'http://127.0.0.1:9/hook', 'a-secret-of-16-chars', ARRAY(SELECT 'deployment.' || e FROM unnest($1::text[]) e), true, now())`,
      [['created', 'updated', 'deleted', 'canary_started', 'shadow_changed', 'rollout_started', 'promoted', 'rolled_back', 'aborted', 'alias_redeployed']],
    );
  });
  afterAll(async () => {
    await sql?.close();
    await api?.close();
  });

  it('creates a deployment of a READY version as revision 1; refuses missing models, versions, aliases and unready versions naming the field', async () => {
    const created = deploymentSchema.parse(await json(await post('', { name: 'scorer', model: 'fraud', version: 1, description: 'fraud scoring' }), 201));
    expect(created).toMatchObject({ name: 'scorer', model: 'fraud', status: 'ACTIVE', currentRevision: 1, trackedAlias: null, aliasPolicy: 'redeploy' });
    expect(created.revision).toMatchObject({ revision: 1, action: 'CREATE', stable: { version: 1 }, canary: null, shadow: null, createdBy: 'test-editor' });

    const refusals: [Record<string, unknown>, number, string][] = [
      [{ name: 'x1', model: 'nope', version: 1 }, 404, 'body.model'],
      [{ name: 'x2', model: 'fraud', version: 99 }, 404, 'body.version'],
      [{ name: 'x3', model: 'fraud', alias: 'nope' }, 404, 'body.alias'],
      [{ name: 'x4', model: 'fraud', version: 5 }, 409, 'body.version'],
      [{ name: 'scorer', model: 'fraud', version: 2 }, 409, 'body.name'],
      [{ name: 'Bad_Name', model: 'fraud', version: 1 }, 400, 'body.name'],
      [{ name: 'x5', model: 'fraud', version: 1, alias: 'champion' }, 400, 'body.version'],
      [{ name: 'x6', model: 'fraud', version: 1, followAlias: true }, 400, 'body.followAlias'],
      [{ name: 'x7', model: 'fraud', alias: 'champion', aliasPolicy: 'rollout' }, 400, 'body.rolloutPlan'],
    ];
    for (const [body, status, field] of refusals) expectNamed(fieldOf(await json(await post('', body), status)), JSON.stringify(body)).toBe(field);
    expect(await sql.count('deployments', "name LIKE 'x%'")).toBe(0);

    const listed = deploymentListSchema.parse(await json(await api.request('/api/v1/deployments?model=fraud', { role: 'viewer' }), 200));
    expect(listed.deployments.map((d) => d.name)).toContain('scorer');
    expect(deploymentListSchema.parse(await json(await api.request('/api/v1/deployments?model=other', { role: 'viewer' }), 200)).deployments).toEqual([]);
  });

  it('runs the whole action set, each one an immutable revision with its event, audit entry and webhook event', async () => {
    await json(await post('', { name: 'actions', model: 'fraud', version: 1 }), 201);
    let d = (await act('actions', 'canary', {
      baseRevision: 1,
      version: 2,
      percent: 10,
      sticky: { header: 'x-customer' },
      reason: 'try v2',
    })) as DeploymentView;
    expect(d.revision).toMatchObject({
      revision: 2,
      action: 'GRAY_START',
      stable: { version: 1 },
      canary: { version: 2, percent: 10, sticky: { header: 'x-customer' } },
    });
    expect(d.revision.reason).toBe('try v2');
    expect(fieldOf(await act('actions', 'canary', { baseRevision: 2, version: 3, percent: 5 }, 409))).toBe('body.version');
    d = (await act('actions', 'promote', { baseRevision: 2, reason: 'looks good' })) as DeploymentView;
    expect(d.revision).toMatchObject({ revision: 3, action: 'PROMOTE', stable: { version: 2 }, canary: null });
    d = (await act('actions', 'rollback', { baseRevision: 3 })) as DeploymentView;
    expect(d.revision).toMatchObject({ revision: 4, action: 'ROLLBACK', stable: { version: 1 }, canary: null });
    d = (await act('actions', 'shadow', { baseRevision: 4, version: 3, percent: 50 })) as DeploymentView;
    expect(d.revision).toMatchObject({ revision: 5, action: 'SHADOW', stable: { version: 1 }, shadow: { version: 3, percent: 50 } });
    d = (await act('actions', 'rollout', { baseRevision: 5, version: 2, plan: PLAN })) as DeploymentView;
    expect(d).toMatchObject({ status: 'ROLLING_OUT', rollout: { step: 0, steps: [10, 50] } });
    expect(d.revision).toMatchObject({
      revision: 6,
      action: 'GRAY_START',
      canary: { version: 2, percent: 10, sticky: null },
      shadow: { version: 3 },
      rolloutStep: 0,
    });
    expect(Date.parse(d.rollout?.nextAnalysisAt ?? '') - Date.parse(d.rollout?.stepStartedAt ?? '')).toBe(60_000);
    d = (await act('actions', 'abort', { baseRevision: 6, reason: 'not now' })) as DeploymentView;
    expect(d).toMatchObject({ status: 'ACTIVE', rollout: null });
    expect(d.revision).toMatchObject({ revision: 7, action: 'ABORT', stable: { version: 1 }, canary: null, shadow: { version: 3 } });
    d = (await act('actions', 'canary', { baseRevision: 7, version: 4, percent: 25 })) as DeploymentView;
    d = (await act('actions', 'rollback', { baseRevision: 8 })) as DeploymentView;
    expect(d.revision).toMatchObject({ revision: 9, action: 'ROLLBACK', stable: { version: 1 }, canary: null });
    d = (await act('actions', 'shadow', { baseRevision: 9, version: null })) as DeploymentView;
    expect(d.revision).toMatchObject({ revision: 10, action: 'SHADOW', shadow: null });

    // Refusals that depend on the state, each naming its field; none writes a revision.
    const refusals: [string, Record<string, unknown>, number, string][] = [
      ['canary', { baseRevision: 10, version: 1, percent: 10 }, 409, 'body.version'],
      ['canary', { baseRevision: 10, version: 99, percent: 10 }, 404, 'body.version'],
      ['canary', { baseRevision: 10, version: 5, percent: 10 }, 409, 'body.version'],
      ['rollout', { baseRevision: 10, version: 2 }, 409, 'body.plan'],
      ['promote', { baseRevision: 10 }, 409, 'body.baseRevision'],
      ['abort', { baseRevision: 10 }, 409, 'body.baseRevision'],
      ['shadow', { baseRevision: 10, version: null }, 409, 'body.version'],
      ['shadow', { baseRevision: 10, version: 1 }, 409, 'body.version'],
      ['canary', { baseRevision: 10, version: 2, percent: 100 }, 400, 'body.percent'],
      ['canary', { baseRevision: '10', version: 2, percent: 10 }, 400, 'body.baseRevision'],
      ['promote', { baseRevision: 0 }, 400, 'body.baseRevision'],
      ['promote', { baseRevision: 10, extra: 1 }, 400, 'body'],
    ];
    for (const [action, body, status, field] of refusals)
      expectNamed(fieldOf(await json(await post(`/actions/${action}`, body), status)), `${action} ${JSON.stringify(body)}`).toMatch(new RegExp(`^${field}`));
    expect(fieldOf(await json(await post('/nope/promote', { baseRevision: 1 }), 404))).toBe('params.name');

    const revisions = await revisionsOf('actions');
    expect(revisions.map((r) => r.revision)).toEqual([10, 9, 8, 7, 6, 5, 4, 3, 2, 1]);
    expect(revisions.map((r) => r.action).reverse()).toEqual([
      'CREATE',
      'GRAY_START',
      'PROMOTE',
      'ROLLBACK',
      'SHADOW',
      'GRAY_START',
      'ABORT',
      'GRAY_START',
      'ROLLBACK',
      'SHADOW',
    ]);
    const events = deploymentEventListSchema.parse(await json(await api.request('/api/v1/deployments/actions/events?limit=100', { role: 'viewer' }), 200));
    expect(events.events.map((e) => [e.type, e.revision]).reverse()).toEqual([
      ['create', 1],
      ['canary', 2],
      ['promote', 3],
      ['rollback', 4],
      ['shadow', 5],
      ['rollout', 6],
      ['abort', 7],
      ['canary', 8],
      ['rollback', 9],
      ['shadow', 10],
    ]);
    expect(events.events.every((e) => e.actor === 'test-editor')).toBe(true);
    const onlyPromotes = deploymentEventListSchema.parse(
      await json(await api.request('/api/v1/deployments/actions/events?type=promote', { role: 'viewer' }), 200),
    );
    expect(onlyPromotes.events.map((e) => e.data)).toEqual([{ fromVersion: 1, toVersion: 2 }]);

    const audit = auditListSchema.parse(await json(await api.request(`/api/v1/audit?entityType=deployment&entityId=${d.id}&limit=100`), 200)).entries;
    expect(audit.map((e) => e.action).reverse()).toEqual([
      'deployment.create',
      'deployment.canary',
      'deployment.promote',
      'deployment.rollback',
      'deployment.shadow',
      'deployment.rollout',
      'deployment.abort',
      'deployment.canary',
      'deployment.rollback',
      'deployment.shadow',
    ]);
    expect(audit[audit.length - 3]).toMatchObject({ before: { revision: 2, stableVersion: 1 }, after: { revision: 3, stableVersion: 2, action: 'PROMOTE' } });
    const staged = await sql.query<{ event: string; revision: number }>(
      `SELECT event, (payload->>'revision')::int AS revision FROM webhook_deliveries WHERE payload->>'deployment' = 'actions' ORDER BY (payload->>'revision')::int`,
    );
    expect(staged.map((s) => s.event)).toEqual([
      'deployment.created',
      'deployment.canary_started',
      'deployment.promoted',
      'deployment.rolled_back',
      'deployment.shadow_changed',
      'deployment.rollout_started',
      'deployment.aborted',
      'deployment.canary_started',
      'deployment.rolled_back',
      'deployment.shadow_changed',
    ]);
  });

  it('answers a stale baseRevision with 409 carrying the current state, and writes nothing', async () => {
    await json(await post('', { name: 'stale', model: 'fraud', version: 1 }), 201);
    await act('stale', 'canary', { baseRevision: 1, version: 2, percent: 20 });
    const body = deploymentConflictSchema.parse(await json(await post('/stale/promote', { baseRevision: 1 }), 409));
    expect(body.error.code).toBe('CONFLICT');
    expect(body.current).toMatchObject({ name: 'stale', currentRevision: 2, revision: { revision: 2, canary: { version: 2, percent: 20 } } });
    expect(fieldOf(body)).toBe('body.baseRevision');
    expect((await revisionsOf('stale')).length).toBe(2);
    // Deciding again from `current` goes through.
    expect(((await act('stale', 'promote', { baseRevision: body.current.currentRevision })) as DeploymentView).revision.stable.version).toBe(2);
  });

  it('keeps one linear history under 50 racing promote/rollback/canary calls per round: one winner, every loser a 409 with the current state', async () => {
    await json(await post('', { name: 'race', model: 'fraud', version: 1 }), 201);
    await act('race', 'canary', { baseRevision: 1, version: 2, percent: 10 });
    await act('race', 'promote', { baseRevision: 2 });
    let current = await deployment('race');
    for (let round = 0; round < 4; round++) {
      const base = current.currentRevision;
      const canary = current.revision.canary;
      const stable = current.revision.stable.version;
      // Every call is valid for the state all of them saw, so only the race decides who loses.
      const calls = Array.from({ length: 50 }, (_, i) => {
        if (canary) return ['promote', 'rollback', 'abort'][i % 3];
        return i % 2 === 0 ? 'canary' : 'rollback';
      });
      const responses = await Promise.all(
        calls.map((action, i) =>
          post(`/race/${action}`, action === 'canary' ? { baseRevision: base, version: stable === 3 ? 2 : 3, percent: 1 + (i % 50) } : { baseRevision: base }),
        ),
      );
      const bodies = await Promise.all(responses.map(async (r) => ({ status: r.status, body: JSON.parse(await r.text()) as unknown })));
      const winners = bodies.filter((b) => b.status === 200);
      expectNamed(winners.length, `round ${round} winners`).toBe(1);
      const winner = deploymentSchema.parse(winners[0].body);
      expect(winner.currentRevision).toBe(base + 1);
      for (const loser of bodies.filter((b) => b.status !== 200)) {
        expectNamed(loser.status, `round ${round} loser`).toBe(409);
        expect(deploymentConflictSchema.parse(loser.body).current.currentRevision).toBe(base + 1);
      }
      current = winner;
    }
    const revisions = await revisionsOf('race');
    expect(revisions.map((r) => r.revision)).toEqual(Array.from({ length: revisions.length }, (_, i) => revisions.length - i));
    const row = await sql.one<{ current: number; max: number; count: number }>(
      `SELECT d.current_revision AS current, max(r.revision) AS max, count(*)::int AS count
         FROM deployments d JOIN deployment_revisions r ON r.deployment_id = d.id WHERE d.name = 'race' GROUP BY d.current_revision`,
    );
    expect(row).toEqual({ current: 7, max: 7, count: 7 });
    expect(await sql.count('deployment_events', "deployment_id = (SELECT id FROM deployments WHERE name = 'race')")).toBe(7);
  });

  it('follows an alias: redeploys at once or starts the rollout plan, whether the API or a registrar elsewhere moves it', async () => {
    await json(await api.request('/api/v1/models/fraud/aliases/champion', { role: 'editor', method: 'PUT', json: { version: 1 } }), 200);
    const redeploy = deploymentSchema.parse(await json(await post('', { name: 'follow-now', model: 'fraud', alias: 'champion', followAlias: true }), 201));
    expect(redeploy).toMatchObject({ trackedAlias: 'champion', aliasPolicy: 'redeploy', revision: { stable: { version: 1 } } });
    await json(await post('', { name: 'follow-gray', model: 'fraud', alias: 'champion', followAlias: true, aliasPolicy: 'rollout', rolloutPlan: PLAN }), 201);
    await json(await post('', { name: 'pinned', model: 'fraud', alias: 'champion' }), 201);

    await json(await api.request('/api/v1/models/fraud/aliases/champion', { role: 'editor', method: 'PUT', json: { version: 2 } }), 200);
    expect((await deployment('follow-now')).revision).toMatchObject({
      revision: 2,
      action: 'ALIAS_REDEPLOY',
      stable: { version: 2 },
      canary: null,
      createdBy: 'test-editor',
      reason: 'alias champion moved to version 2',
    });
    const gray = await deployment('follow-gray');
    expect(gray).toMatchObject({ status: 'ROLLING_OUT', rollout: { step: 0, steps: [10, 50] } });
    expect(gray.revision).toMatchObject({ revision: 2, action: 'GRAY_START', stable: { version: 1 }, canary: { version: 2, percent: 10 }, rolloutStep: 0 });
    expect(gray.revision.rolloutPlan).toMatchObject({ steps: [10, 50], intervalSeconds: 60 });
    expect((await deployment('pinned')).currentRevision).toBe(1);

    // A worker registering a training job's model moves aliases through its own ModelRegistrar: the same follow happens.
    const uow = UnitOfWork.connect(db.url, { poolSize: 2 });
    try {
      const registrar = new ModelRegistrar(uow, connect(api, db.url).objects, ArtifactSigner.loadOrCreate(api.config.signingKeyFile));
      await registrar.setAlias({ tokenId: null, name: 'trainer', requestId: 'training-job:t1' }, 'fraud', 'champion', 3);
    } finally {
      await uow.close();
    }
    expect((await deployment('follow-now')).revision).toMatchObject({ revision: 3, action: 'ALIAS_REDEPLOY', stable: { version: 3 }, createdBy: 'trainer' });
    // A rollout already running restarts with the newest version as its canary.
    expect((await deployment('follow-gray')).revision).toMatchObject({ revision: 3, action: 'GRAY_START', stable: { version: 1 }, canary: { version: 3 } });
    const audit = auditListSchema.parse(await json(await api.request('/api/v1/audit?action=deployment.alias_redeploy&limit=10'), 200)).entries;
    expect(audit.map((e) => [e.actor, e.requestId])).toContainEqual(['trainer', 'training-job:t1']);
    const webhook = await sql.count('webhook_deliveries', "event = 'deployment.alias_redeployed' AND payload->>'deployment' = 'follow-now'");
    expect(webhook).toBe(2);

    // Moving it where it already points changes nothing.
    await json(await api.request('/api/v1/models/fraud/aliases/champion', { role: 'editor', method: 'PUT', json: { version: 3 } }), 200);
    expect((await deployment('follow-now')).currentRevision).toBe(3);
  });

  it('PATCH changes settings without a revision, refusing a rollout policy without a plan', async () => {
    await json(await post('', { name: 'settings', model: 'fraud', version: 1 }), 201);
    const patched = deploymentSchema.parse(
      await json(await api.request('/api/v1/deployments/settings', { role: 'editor', method: 'PATCH', json: { description: 'new', rolloutPlan: PLAN } }), 200),
    );
    expect(patched).toMatchObject({ description: 'new', rolloutPlan: { steps: [10, 50] }, currentRevision: 1 });
    const refused = await json(
      await api.request('/api/v1/deployments/settings', { role: 'editor', method: 'PATCH', json: { aliasPolicy: 'rollout', rolloutPlan: null } }),
      409,
    );
    expect(fieldOf(refused)).toBe('body.rolloutPlan');
    // The deployment's own plan is what POST …/rollout uses without one.
    const rolled = (await act('settings', 'rollout', { baseRevision: 1, version: 2 })) as DeploymentView;
    expect(rolled.revision.rolloutPlan).toMatchObject({ steps: [10, 50], minRequestsPerStep: 5 });
  });

  it('refuses to archive or delete a version any revision of a live deployment used, past revisions included, until the deployment is deleted', async () => {
    await createModel(api, 'guarded');
    for (let v = 1; v <= 3; v++) await uploadVersion(api, 'guarded', { 'model.json': `{"g":${v}}` });
    await json(await post('', { name: 'guard', model: 'guarded', version: 1 }), 201);
    await act('guard', 'canary', { baseRevision: 1, version: 2, percent: 10 });
    await act('guard', 'promote', { baseRevision: 2 });
    // Version 1 is only in past revisions now; version 2 serves.
    for (const v of [1, 2]) {
      const archive = await json(await api.request(`/api/v1/models/guarded/versions/${v}/archive`, { role: 'editor', method: 'POST', json: {} }), 409);
      expectNamed(errorResponseSchema.parse(archive).error.message, `archive ${v}`).toMatch(/deployment "guard"/);
      await json(await api.request(`/api/v1/models/guarded/versions/${v}`, { role: 'admin', method: 'DELETE' }), 409);
    }
    await json(await api.request('/api/v1/models/guarded/versions/3/archive', { role: 'editor', method: 'POST', json: {} }), 200);

    const deleted = deploymentSchema.parse(await json(await api.request('/api/v1/deployments/guard', { role: 'editor', method: 'DELETE' }), 200));
    expect(deleted.status).toBe('DELETED');
    expect(fieldOf(await json(await post('/guard/rollback', { baseRevision: 3 }), 409))).toBe('params.name');
    await json(await api.request('/api/v1/deployments/guard', { role: 'editor', method: 'DELETE' }), 409);
    expect(deploymentListSchema.parse(await json(await api.request('/api/v1/deployments?model=guarded', { role: 'viewer' }), 200)).deployments).toEqual([]);
    expect(
      deploymentListSchema
        .parse(await json(await api.request('/api/v1/deployments?model=guarded&status=DELETED', { role: 'viewer' }), 200))
        .deployments.map((d) => d.name),
    ).toEqual(['guard']);
    await json(await api.request('/api/v1/models/guarded/versions/1/archive', { role: 'editor', method: 'POST', json: {} }), 200);
    expect((await revisionsOf('guard')).length).toBe(3);
  });

  it('lets a viewer read but act on nothing', async () => {
    await json(await post('', { name: 'viewed', model: 'fraud', version: 1 }), 201);
    const actions: [string, string, unknown][] = [
      ['POST', '', { name: 'by-viewer', model: 'fraud', version: 1 }],
      ['PATCH', '/viewed', { description: 'x' }],
      ['DELETE', '/viewed', undefined],
      ['POST', '/viewed/canary', { baseRevision: 1, version: 2, percent: 10 }],
      ['POST', '/viewed/shadow', { baseRevision: 1, version: 2 }],
      ['POST', '/viewed/rollout', { baseRevision: 1, version: 2, plan: PLAN }],
      ['POST', '/viewed/promote', { baseRevision: 1 }],
      ['POST', '/viewed/rollback', { baseRevision: 1 }],
      ['POST', '/viewed/abort', { baseRevision: 1 }],
    ];
    for (const [method, path, body] of actions)
      expectNamed((await api.request(`/api/v1/deployments${path}`, { role: 'viewer', method, json: body })).status, `${method} ${path}`).toBe(403);
    for (const path of ['', '/viewed', '/viewed/revisions', '/viewed/events'])
      expectNamed((await api.request(`/api/v1/deployments${path}`, { role: 'viewer' })).status, path).toBe(200);
    expect((await deployment('viewed')).currentRevision).toBe(1);
    expect(fieldOf(await json(await api.request('/api/v1/deployments?cursor=abc', { role: 'viewer' }), 400))).toBe('query.cursor');
    expect(fieldOf(await json(await api.request('/api/v1/deployments/viewed/revisions?cursor=abc', { role: 'viewer' }), 400))).toBe('query.cursor');
  });
});
