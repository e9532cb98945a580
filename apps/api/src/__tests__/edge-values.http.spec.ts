/**
 * One bad row never breaks reads for others. Plants every edge value the schemas allow through the API, then rows
 * written before the safe primitives (years past 9999, a jsonb column of another shape, a megabyte of text) directly
 * with SQL, and calls every GET read route of the OpenAPI document (so a new route is covered without editing this
 * file) plus the POST reads (search, compare): each answers < 500, and the lists still hold the other rows.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { deploymentEventListSchema, deploymentListSchema, MAX_TIMESTAMP_MS, versionListSchema, versionSchema } from '@slipway/contracts';
import { connectTestSql, useTestDatabase, type TestSql } from '@slipway/testing';
import { startApiTestApp, type ApiTestApp } from './api-test-app';
import { json, uploadVersion } from './registry-fixtures';

const ASTRAL_RTL = '😀𝔘𠜎 שלום مرحبا';
const longName = (length: number) => `${'n'.repeat(length - 2)}😀`;
/** Finite doubles at the ends of the range and ones a rounding parser changes: all stored and read back bit-exact. */
const EXTREME_DOUBLES = { max: 1.7976931348623157e308, min: -1.7976931348623157e308, tiny: 5e-324, a: 1.9796781408864355, b: 0.30000000000000004 };
const deepJson = (depth: number): unknown => (depth === 0 ? 'leaf' : { d: deepJson(depth - 1) });

describe('edge values and legacy rows: every read route still answers', () => {
  const db = useTestDatabase();
  let api: ApiTestApp;
  let sql: TestSql;
  const planted: Record<string, string> = {};

  beforeAll(async () => {
    api = await startApiTestApp(db.url);
    sql = connectTestSql(db.url);
    const post = async (path: string, body: unknown, status = 201) =>
      json<Record<string, unknown>>(await api.request(path, { role: 'admin', method: 'POST', json: body }), status);

    const edge = await post('/api/v1/experiments', { name: longName(256), description: ASTRAL_RTL.repeat(100), tags: { rtl: ASTRAL_RTL, empty: '' } });
    const plain = await post('/api/v1/experiments', { name: 'plain', description: '' });
    const legacy = await post('/api/v1/experiments', { name: 'legacy' });
    planted.experimentId = String(edge.id);
    planted.plainExperimentId = String(plain.id);
    planted.legacyExperimentId = String(legacy.id);
    const run = await post('/api/v1/runs', {
      experimentId: edge.id,
      name: longName(256),
      seed: 2_147_483_647,
      tags: { t: ASTRAL_RTL },
      params: [{ key: 'p', value: '' }],
    });
    planted.runId = String(run.id);
    await post(
      `/api/v1/runs/${run.id}/log-batch`,
      {
        metrics: [
          { key: 'loss', value: 0.5, step: Number.MAX_SAFE_INTEGER, timestamp: '9999-12-31T23:59:59.999Z' },
          { key: 'loss', value: 0.25, step: 0, timestamp: '0001-01-01T00:00:00Z' },
          { key: 'acc', value: 1, step: 1, timestamp: 0 },
        ],
      },
      200,
    );
    await post(`/api/v1/runs/${run.id}/end`, { status: 'FINISHED', endTime: MAX_TIMESTAMP_MS }, 200);
    const legacyRun = await post('/api/v1/runs', { experimentId: legacy.id, name: 'legacy-run' });
    planted.legacyRunId = String(legacyRun.id);
    await post(`/api/v1/runs/${legacyRun.id}/log-batch`, { metrics: [{ key: 'loss', value: 1, step: 1 }] }, 200);
    const artifact = await api.request(`/api/v1/runs/${legacyRun.id}/artifacts/big.bin`, {
      role: 'editor',
      method: 'PUT',
      headers: { 'content-type': 'application/octet-stream' },
    });
    expect(artifact.status).toBeLessThan(300);
    const legacyToken = await post('/api/v1/tokens', { name: ASTRAL_RTL, role: 'viewer', expiresInDays: 3650 });

    planted.model = `m${'x'.repeat(127)}`;
    await post('/api/v1/models', { name: planted.model, description: ASTRAL_RTL });
    await post('/api/v1/models', { name: 'plain-model' });
    await uploadVersion(
      api,
      planted.model,
      { 'model.json': '{}' },
      {
        description: ASTRAL_RTL,
        evaluation: {
          metrics: EXTREME_DOUBLES,
          roc: { x: [0, 5e-324, 1], y: [0, 1.7976931348623157e308, 1], auc: 1 },
          extra: { deep: deepJson(6) },
        },
      },
    );
    await uploadVersion(api, planted.model, { 'model.json': '{"v":2}' });
    await uploadVersion(api, planted.model, { 'model.json': '{"v":3}' });
    await json(await api.request(`/api/v1/models/${planted.model}/aliases/prod`, { role: 'admin', method: 'PUT', json: { version: 1 } }), 200);

    // Rows as they could be written before the primitives: each is read next to the good ones.
    await sql.query(`UPDATE experiments SET created_at = '10000-01-01T00:00:00Z', description = $2 WHERE id = $1`, [legacy.id, 'x'.repeat(1_000_000)]);
    await sql.query(`UPDATE runs SET started_at = '20000-06-01T00:00:00Z', ended_at = '10000-01-01T00:00:00Z' WHERE id = $1`, [legacyRun.id]);
    await sql.query(
      `UPDATE model_versions SET evaluation = '{"metrics": "not a map", "unknown": true}'::jsonb, input_schema = '[1, 2]'::jsonb WHERE version = 2`,
    );
    await sql.query(`UPDATE model_versions SET manifest = '{"not": "a list"}'::jsonb WHERE version = 3`);
    // Webhooks are inserted directly: the URL policy refuses every address this offline machine could name.
    planted.webhookId = (
      await sql.one<{ id: string }>(
        `INSERT INTO webhooks (id, name, url, secret, events, updated_at) VALUES (gen_random_uuid(), $1, 'https://hooks.example.com/x', 'sixteen-characters', '{model_version.ready}', now()) RETURNING id`,
        [ASTRAL_RTL],
      )
    ).id;
    await sql.query(
      `INSERT INTO webhook_deliveries (id, webhook_id, event, payload, next_attempt_at, created_at) VALUES
         (gen_random_uuid(), $1, 'model_version.ready', '{"ok": true}'::jsonb, now(), now()),
         (gen_random_uuid(), $1, 'model_version.ready', $2::jsonb, '10000-01-01T00:00:00Z', '10000-01-01T00:00:00Z')`,
      [planted.webhookId, JSON.stringify(deepJson(40))],
    );
    // A step past 2^53 (bigint column) and a time past 9999: neither has an exact JSON reading.
    await sql.query(`UPDATE metrics SET timestamp = '10000-01-01T00:00:00Z', step = 9223372036854775807 WHERE run_id = $1`, [legacyRun.id]);
    await sql.query(`UPDATE latest_metrics SET timestamp = '10000-01-01T00:00:00Z', step = 9223372036854775807, value = 'Infinity' WHERE run_id = $1`, [
      legacyRun.id,
    ]);
    await sql.query(`UPDATE metrics SET value = 'NaN' WHERE run_id = $1`, [run.id]);
    await sql.query(`UPDATE api_tokens SET expires_at = '10000-01-01T00:00:00Z', last_used_at = '12000-01-01T00:00:00Z' WHERE id = $1`, [legacyToken.id]);
    await sql.query(`UPDATE artifacts SET size_bytes = 9223372036854775807 WHERE run_id = $1`, [legacyRun.id]);
    await sql.query(`UPDATE model_versions SET size_bytes = 9223372036854775807 WHERE version = 2`);
    await sql.query(`UPDATE audit_log SET created_at = '10000-01-01T00:00:00Z' WHERE id = (SELECT min(id) FROM audit_log)`);
    // Datasets: one uploaded, one whose row predates its contracts (columns and profile that no longer parse, times and sizes past the wire's range).
    const uploadDataset = (csv: string, name: string) =>
      fetch(`${api.baseUrl}/api/v1/datasets?name=${encodeURIComponent(name)}`, {
        method: 'PUT',
        headers: { authorization: `Bearer ${api.tokens.editor}`, 'content-type': 'text/csv' },
        body: csv,
      }).then(async (response) => (await json(response, 201)) as { id: string });
    planted.datasetId = (await uploadDataset(`x,${ASTRAL_RTL}\n1.7976931348623157e308,a\n5e-324,b\n`, ASTRAL_RTL)).id;
    planted.legacyDatasetId = (await uploadDataset('x\n1\n2\n', 'legacy-dataset')).id;
    await sql.query(
      `UPDATE datasets SET columns = '{"not": "a list"}'::jsonb, profile = '[1]'::jsonb, created_at = '10000-01-01T00:00:00Z', size_bytes = 9223372036854775807 WHERE id = $1`,
      [planted.legacyDatasetId],
    );
    // Training jobs: one queued through the API, one whose JSON columns and times no longer fit their contracts.
    const trainingJob = (body: unknown) =>
      api
        .request('/api/v1/training-jobs', { role: 'editor', method: 'POST', json: body })
        .then(async (response) => (await json(response, 201)) as { id: string });
    planted.trainingJobId = (
      await trainingJob({ datasetId: planted.datasetId, algorithm: 'kmeans', hyperparameters: { k: 2 }, name: ASTRAL_RTL, experiment: 'plain' })
    ).id;
    planted.legacyTrainingJobId = (await trainingJob({ datasetId: planted.datasetId, algorithm: 'cart', targetColumn: ASTRAL_RTL, experiment: 'plain' })).id;
    await sql.query(
      `UPDATE training_jobs SET hyperparameters = '{"maxDepth": "deep"}'::jsonb, evaluation_plan = '[]'::jsonb, progress = '{"step": -1}'::jsonb,
              evaluation = '{"metrics": 1}'::jsonb, result = '"done"'::jsonb, attempt_history = '{"not": "a list"}'::jsonb, feature_columns = '[1]'::jsonb,
              algorithm = 'svm', seed = NULL, created_at = '10000-01-01T00:00:00Z', started_at = '20000-01-01T00:00:00Z', heartbeat_at = '10000-01-01T00:00:00Z'
        WHERE id = $1`,
      [planted.legacyTrainingJobId],
    );
    // Tuning studies: one through the API, one whose defensively read JSON columns and times no longer fit their contracts.
    const study = (name: string) =>
      api
        .request('/api/v1/studies', {
          role: 'editor',
          method: 'POST',
          json: {
            name,
            datasetId: planted.datasetId,
            algorithm: 'kmeans',
            searchSpace: { k: { type: 'int', low: 1, high: 2 } },
            objective: { metric: 'inertia', direction: 'minimize' },
            maxTrials: 2,
            experiment: 'plain',
            start: false,
          },
        })
        .then(async (response) => (await json(response, 201)) as { id: string });
    planted.studyId = (await study(ASTRAL_RTL)).id;
    planted.legacyStudyId = (await study('legacy-study')).id;
    await sql.query(
      `UPDATE tuning_studies SET feature_columns = '{"a": 1}'::jsonb, fixed_hyperparameters = '[1]'::jsonb, sampler_options = '"x"'::jsonb, evaluation_plan = '[]'::jsonb,
              early_stopping = '{"rule": "never"}'::jsonb, algorithm = 'svm', seed = NULL, created_at = '10000-01-01T00:00:00Z', started_at = '20000-01-01T00:00:00Z'
        WHERE id = $1`,
      [planted.legacyStudyId],
    );
    // Deployments: one through the API (canary, shadow, rollout plan, events with data), one whose JSON columns, sticky
    // key, policy and times no longer fit their contracts, and a row whose current revision is missing.
    const act = (name: string, action: string, body: unknown) =>
      api
        .request(action ? `/api/v1/deployments/${name}${action}` : '/api/v1/deployments', { role: 'editor', method: 'POST', json: body })
        .then((response) => json(response, action ? 200 : 201));
    const plan = { steps: [10, 100], intervalSeconds: 604800, minRequestsPerStep: 0, gates: { maxErrorRate: 1, minFeedbackScore: -1.7976931348623157e308 } };
    planted.deployment = `d${'9'.repeat(62)}z`;
    await act(planted.deployment, '', {
      name: planted.deployment,
      model: planted.model,
      version: 1,
      description: ASTRAL_RTL,
      reason: ASTRAL_RTL,
      rolloutPlan: plan,
    });
    await act(planted.deployment, '/shadow', { baseRevision: 1, version: 2, percent: 1 });
    await act(planted.deployment, '/rollout', { baseRevision: 2, version: 2, sticky: { field: ASTRAL_RTL } });
    planted.legacyDeployment = 'legacy-deployment';
    await act(planted.legacyDeployment, '', { name: planted.legacyDeployment, model: planted.model, version: 1 });
    await act(planted.legacyDeployment, '/canary', { baseRevision: 1, version: 2, percent: 50, sticky: { header: 'x-user' } });
    await sql.query(
      `UPDATE deployments SET rollout_plan = '[1]'::jsonb, alias_policy = 'sideways', status = 'ROLLING_OUT', created_at = '10000-01-01T00:00:00Z', updated_at = '20000-01-01T00:00:00Z'
        WHERE name = $1`,
      [planted.legacyDeployment],
    );
    await sql.query(
      `UPDATE deployment_revisions SET rollout_plan = '{"steps": "up"}'::jsonb, rollout_step = 7, sticky_key = 'cookie:x', created_at = '10000-01-01T00:00:00Z'
        WHERE deployment_id = (SELECT id FROM deployments WHERE name = $1)`,
      [planted.legacyDeployment],
    );
    await sql.query(
      `UPDATE deployment_events SET data = '[1, 2]'::jsonb, created_at = '10000-01-01T00:00:00Z' WHERE deployment_id = (SELECT id FROM deployments WHERE name = $1)`,
      [planted.legacyDeployment],
    );
    await sql.query(
      `INSERT INTO deployments (id, name, model_id, current_revision, updated_at) SELECT gen_random_uuid(), 'no-revision', id, 5, now() FROM models WHERE name = $1`,
      [planted.model],
    );
  });
  afterAll(async () => {
    await sql?.close();
    await api?.close();
  });

  /** Every way to fill a route template's path params from the planted rows (good and legacy ones), or [] when one cannot be filled. */
  const fillings = (template: string): string[] => {
    const choices: Record<string, string[]> = {
      name: template.startsWith('/api/v1/deployments/') ? [planted.deployment, planted.legacyDeployment, 'no-revision'] : [planted.model],
      version: ['1', '2', '3'],
      alias: ['prod'],
      ref: [`${planted.model}@prod`, `${planted.model}@latest`, `${planted.model}/2`],
      key: ['loss'],
      path: ['model.json'],
      id: template.startsWith('/api/v1/runs/')
        ? [planted.runId, planted.legacyRunId]
        : template.startsWith('/api/v1/experiments/')
          ? [planted.experimentId, planted.legacyExperimentId]
          : template.startsWith('/api/v1/webhooks/')
            ? [planted.webhookId]
            : template.startsWith('/api/v1/datasets/')
              ? [planted.datasetId, planted.legacyDatasetId]
              : template.startsWith('/api/v1/training-jobs/')
                ? [planted.trainingJobId, planted.legacyTrainingJobId]
                : template.startsWith('/api/v1/studies/')
                  ? [planted.studyId, planted.legacyStudyId]
                  : [],
    };
    let paths = [template];
    for (const [, param] of template.matchAll(/\{(\w+)\}/g)) {
      const values = choices[param] ?? [];
      paths = paths.flatMap((path) => values.map((value) => path.replace(`{${param}}`, encodeURIComponent(value))));
    }
    return paths;
  };

  it('answers every GET read route of the OpenAPI document, and the search and compare reads, below 500', async () => {
    const document = (await json(await api.request('/docs-json', { role: null }), 200)) as { paths: Record<string, Record<string, unknown>> };
    const reads = Object.entries(document.paths)
      .filter(([, operations]) => 'get' in operations)
      .map(([path]) => path);
    expect(reads.length).toBeGreaterThan(15);
    const answers: string[] = [];
    const skipped: string[] = [];
    for (const template of reads) {
      const paths = fillings(template);
      if (paths.length === 0) skipped.push(template);
      for (const path of paths) {
        for (const variant of [path, `${path}?limit=500`]) {
          const response = await api.request(variant);
          if (response.status === 400 && variant !== path) continue; // a route without `limit`
          answers.push(`${response.status} GET ${variant.slice(0, 120)}`);
        }
      }
    }
    for (const [path, body] of [
      ['/api/v1/runs/search', {}],
      ['/api/v1/runs/search', { orderBy: 'attributes.ended_at DESC' }],
      ['/api/v1/runs/search', { orderBy: 'metrics.loss ASC', filter: 'metrics.loss >= 0' }],
      ['/api/v1/registry/compare', { runIds: [planted.runId, planted.legacyRunId] }],
      [
        '/api/v1/registry/compare',
        {
          versions: [
            { model: planted.model, version: 1 },
            { model: planted.model, version: 2 },
          ],
        },
      ],
    ] as const) {
      const response = await api.request(path, { method: 'POST', json: body });
      answers.push(`${response.status} POST ${path} ${JSON.stringify(body).slice(0, 80)}`);
    }
    expect(answers.filter((answer) => Number(answer.slice(0, 3)) >= 500)).toEqual([]);
    expect(skipped).toEqual([]);
    expect(answers.length).toBeGreaterThan(40);
  });

  it('lists keep the other rows next to the legacy ones, the unreadable values degraded per field', async () => {
    const experiments = await json<{ experiments: { id: string; name: string; createdAt: string }[] }>(
      await api.request('/api/v1/experiments?limit=1000'),
      200,
    );
    expect(experiments.experiments.map((e) => e.name).sort()).toEqual([longName(256), 'legacy', 'plain'].sort());
    // Year 10000 is past what ISO-8601 with 4-digit years writes: clamped to the end of the range.
    expect(experiments.experiments.find((e) => e.name === 'legacy')?.createdAt).toBe('9999-12-31T23:59:59.999Z');
    const jobs = (await json(await api.request('/api/v1/training-jobs', { role: 'viewer' }), 200)) as {
      jobs: { id: string; name: string; createdAt: string; evaluation: unknown; attemptHistory: unknown[] }[];
    };
    expect(jobs.jobs.map((j) => j.id).sort()).toEqual([planted.trainingJobId, planted.legacyTrainingJobId].sort());
    const legacyJob = jobs.jobs.find((j) => j.id === planted.legacyTrainingJobId);
    expect(legacyJob).toMatchObject({ createdAt: '9999-12-31T23:59:59.999Z', evaluation: null, attemptHistory: [] });
    const studies = (await json(await api.request('/api/v1/studies', { role: 'viewer' }), 200)) as {
      studies: { id: string; createdAt: string; featureColumns: unknown }[];
    };
    expect(studies.studies.map((s) => s.id).sort()).toEqual([planted.studyId, planted.legacyStudyId].sort());
    expect(studies.studies.find((s) => s.id === planted.legacyStudyId)).toMatchObject({ createdAt: '9999-12-31T23:59:59.999Z', featureColumns: null });

    const deployments = deploymentListSchema.parse(await json(await api.request('/api/v1/deployments', { role: 'viewer' }), 200));
    expect(deployments.deployments.map((d) => d.name).sort()).toEqual([planted.deployment, planted.legacyDeployment].sort());
    const legacyDeployment = deployments.deployments.find((d) => d.name === planted.legacyDeployment);
    expect(legacyDeployment).toMatchObject({ createdAt: '9999-12-31T23:59:59.999Z', rolloutPlan: null, aliasPolicy: 'redeploy', rollout: null });
    expect(legacyDeployment?.revision).toMatchObject({ rolloutPlan: null, canary: { version: 2, percent: 50, sticky: null } });
    const planted1 = deployments.deployments.find((d) => d.name === planted.deployment);
    expect(planted1?.revision).toMatchObject({ canary: { version: 2, percent: 10, sticky: { field: ASTRAL_RTL } }, shadow: { version: 2, percent: 1 } });
    expect(planted1?.rolloutPlan?.gates.minFeedbackScore).toBe(-1.7976931348623157e308);
    const legacyEvents = deploymentEventListSchema.parse(await json(await api.request(`/api/v1/deployments/${planted.legacyDeployment}/events`), 200));
    expect(legacyEvents.events.map((e) => [e.data, e.createdAt])).toEqual([
      [null, '9999-12-31T23:59:59.999Z'],
      [null, '9999-12-31T23:59:59.999Z'],
    ]);
    expect((await api.request('/api/v1/deployments/no-revision')).status).toBe(404);
    // One per page: the legacy row's creation time past 9999 still resumes exactly.
    const paged: string[] = [];
    for (let cursor: string | null = ''; cursor !== null;) {
      const page = deploymentListSchema.parse(
        await json(await api.request(`/api/v1/deployments?limit=1${cursor ? `&cursor=${cursor}` : ''}`, { role: 'viewer' }), 200),
      );
      paged.push(...page.deployments.map((d) => d.name));
      cursor = page.nextCursor;
    }
    expect(paged).toEqual([planted.legacyDeployment, planted.deployment]);

    const runs = await json<{ runs: { id: string; endedAt: string | null; metrics: { key: string; timestamp: string }[] }[] }>(
      await api.request('/api/v1/runs/search', { method: 'POST', json: {} }),
      200,
    );
    expect(runs.runs.map((r) => r.id).sort()).toEqual([planted.runId, planted.legacyRunId].sort());
    expect(runs.runs.find((r) => r.id === planted.runId)?.endedAt).toBe('9999-12-31T23:59:59.999Z');

    const versions = versionListSchema.parse(await json(await api.request(`/api/v1/models/${planted.model}/versions`), 200));
    expect(versions.versions.map((v) => v.version)).toEqual([3, 2, 1]);
    // An unreadable manifest: listed without files, and never served unverified (422, not 500).
    expect(versions.versions[0].files).toBeNull();
    expect((await api.request(`/api/v1/models/${planted.model}/versions/3/files/model.json`)).status).toBe(422);
    expect((await api.request(`/api/v1/models/${planted.model}/versions/1/files/model.json`)).status).toBe(200);
    const second = versionSchema.parse(await json(await api.request(`/api/v1/models/${planted.model}/versions/2`), 200));
    expect([second.evaluation, second.inputSchema]).toEqual([null, null]);
    const first = versionSchema.parse(await json(await api.request(`/api/v1/models/${planted.model}/versions/1`), 200));
    expect(first.description).toBe(ASTRAL_RTL);
    expect(first.evaluation).toMatchObject({ metrics: EXTREME_DOUBLES, roc: { y: [0, 1.7976931348623157e308, 1] }, extra: { deep: deepJson(6) } });

    const deliveries = await json<{ deliveries: { createdAt: string }[] }>(await api.request(`/api/v1/webhooks/${planted.webhookId}/deliveries`), 200);
    expect(deliveries.deliveries.map((d) => d.createdAt).sort()[1]).toBe('9999-12-31T23:59:59.999Z');

    const audit = await json<{ entries: unknown[] }>(await api.request('/api/v1/audit?limit=500'), 200);
    expect(audit.entries.length).toBeGreaterThan(5);
  });
});
