import { describe, expect, it } from '@jest/globals';
import { ErrorCode, deploymentSchema, type DeploymentView } from '@slipway/contracts';
import { DeploymentConflictError, rolloutOutcome } from '../deployments';
import { SlipwayApiError } from '../slipway-api-error';
import { createSlipwayClient } from '../slipway-client';
import { useScriptedApi } from './support/stand-in-api';

// A real HTTP server plays the API and the serving process, answering what each test scripts;
// deployments-cli.http.spec.ts in apps/api runs the same calls against the real ones.

const api = useScriptedApi();
const seen = api.seen;

const deployment = (revision: number, over: Partial<DeploymentView['revision']> = {}, status: DeploymentView['status'] = 'ACTIVE'): DeploymentView =>
  deploymentSchema.parse({
    id: '6f1c1c9e-1a7e-4f43-9d56-2f3f0e1c1a09',
    name: 'scorer',
    description: '',
    model: 'fraud',
    status,
    trackedAlias: null,
    aliasPolicy: 'redeploy',
    rolloutPlan: null,
    currentRevision: revision,
    revision: {
      revision,
      action: 'CREATE',
      stable: { versionId: '6f1c1c9e-1a7e-4f43-9d56-2f3f0e1c1a01', version: 1 },
      canary: null,
      shadow: null,
      rolloutPlan: null,
      rolloutStep: null,
      reason: '',
      createdBy: 'alice',
      createdAt: '2026-12-01T20:58:00.000Z',
      ...over,
    },
    rollout: null,
    createdBy: 'alice',
    createdAt: '2026-12-01T20:00:00.000Z',
    updatedAt: '2026-12-01T20:58:00.000Z',
  });

describe('client.deployments actions', () => {
  it('act() reads the current revision when none is given and sends it as baseRevision', async () => {
    api.answers = [
      { status: 200, body: deployment(4) },
      { status: 200, body: deployment(5, { action: 'PROMOTE' }) },
    ];
    const client = createSlipwayClient({ baseUrl: api.url, token: 't' });
    const promoted = await client.deployments.act('scorer', 'promote', { reason: 'good' });
    expect(promoted.currentRevision).toBe(5);
    expect(seen.map((r) => `${r.method} ${r.url}`)).toEqual(['GET /api/v1/deployments/scorer', 'POST /api/v1/deployments/scorer/promote']);
    expect(JSON.parse(seen[1].body.toString())).toEqual({ reason: 'good', baseRevision: 4 });

    // A given revision is sent as it is, with no read first.
    api.answers = [{ status: 200, body: deployment(3, { action: 'GRAY_START' }) }];
    await client.deployments.act('scorer', 'canary', { baseRevision: 2, version: 2, percent: 10, sticky: { header: 'x-user' } });
    expect(seen.slice(2).map((r) => [r.url, JSON.parse(r.body.toString())])).toEqual([
      ['/api/v1/deployments/scorer/canary', { baseRevision: 2, version: 2, percent: 10, sticky: { header: 'x-user' } }],
    ]);
  });

  it('a stale revision throws DeploymentConflictError carrying the current deployment; any other 409 stays a plain SlipwayApiError', async () => {
    const now = deployment(7, { action: 'ROLLBACK', createdBy: 'bob' });
    api.answers = [
      { status: 409, body: { error: { code: 'CONFLICT', message: 'Deployment "scorer" is at revision 7, not 6', requestId: 'r1' }, current: now } },
    ];
    const client = createSlipwayClient({ baseUrl: api.url });
    const error = await client.deployments.rollback('scorer', { baseRevision: 6 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DeploymentConflictError);
    expect(error).toBeInstanceOf(SlipwayApiError);
    expect(error).toMatchObject({ status: 409, code: ErrorCode.CONFLICT, requestId: 'r1', current: now });

    api.answers = [
      { status: 409, body: { error: { code: 'CONFLICT', message: 'no canary to promote', fields: [{ field: 'body.baseRevision', message: 'no canary' }] } } },
    ];
    const plain = await client.deployments.promote('scorer', { baseRevision: 7 }).catch((e: unknown) => e);
    expect(plain).toBeInstanceOf(SlipwayApiError);
    expect(plain).not.toBeInstanceOf(DeploymentConflictError);
    expect((plain as SlipwayApiError).describe()).toBe('CONFLICT: no canary to promote (body.baseRevision: no canary)');
  });

  it('waitForRollout reports each new event once, oldest first, and ends with how the rollout ended', async () => {
    const event = (id: string, message: string) => ({
      id,
      type: 'analysis',
      message,
      data: null,
      actor: null,
      revision: 2,
      createdAt: '2026-12-01T21:00:00.000Z',
    });
    const rolling = deployment(2, { action: 'GRAY_START' }, 'ROLLING_OUT');
    api.answers = [
      { status: 200, body: { events: [event('e0', 'before')], nextCursor: null } },
      { status: 200, body: rolling },
      { status: 200, body: { events: [event('e1', 'step 1 waiting'), event('e0', 'before')], nextCursor: null } },
      { status: 200, body: deployment(3, { action: 'AUTO_ROLLBACK' }) },
      { status: 200, body: { events: [event('e2', 'gate failed'), event('e1', 'step 1 waiting'), event('e0', 'before')], nextCursor: null } },
    ];
    const client = createSlipwayClient({ baseUrl: api.url });
    const messages: string[] = [];
    const { outcome, deployment: ended } = await client.deployments.waitForRollout('scorer', { intervalMs: 1, onEvent: (e) => void messages.push(e.message) });
    expect({ outcome, revision: ended.currentRevision, messages }).toEqual({
      outcome: 'ROLLED_BACK',
      revision: 3,
      messages: ['step 1 waiting', 'gate failed'],
    });
    expect(rolloutOutcome(deployment(4, { action: 'PROMOTE' }))).toBe('PROMOTED');
    expect(rolloutOutcome(deployment(4, { action: 'ABORT' }))).toBe('ABORTED');
    expect(rolloutOutcome(deployment(4, { action: 'GRAY_STEP' }, 'ROLLING_OUT'))).toBeNull();
  });
});

describe('client.predict against the serving process', () => {
  const answer = { deployment: 'scorer', revision: 3, model: 'fraud', version: 2, role: 'canary', predictions: [1], probabilities: null, requestId: 'req-9' };

  it('posts the rows to servingUrl (not the API), with the request id and extra headers, and checks the version header', async () => {
    api.answers = [{ status: 200, body: answer, headers: { 'x-slipway-version': '2' } }];
    const client = createSlipwayClient({ baseUrl: 'http://127.0.0.1:9', servingUrl: `${api.url}/` });
    const predicted = await client.predict('scorer', [[1, 2]], { requestId: 'req-9', probabilities: false, headers: { 'x-user': 'ann' } });
    expect(predicted).toEqual(answer);
    expect(seen[0]).toMatchObject({ method: 'POST', url: '/v1/deployments/scorer/predict', headers: { 'x-request-id': 'req-9', 'x-user': 'ann' } });
    expect(seen[0].headers.authorization).toBeUndefined();
    expect(JSON.parse(seen[0].body.toString())).toEqual({ inputs: [[1, 2]], probabilities: false });

    api.answers = [{ status: 200, body: answer, headers: { 'x-slipway-version': '1' } }];
    await expect(client.predict('scorer', [[1, 2]])).rejects.toThrow("x-slipway-version 1 does not match the body's version 2");
  });

  it('a serving 400 is a SlipwayApiError with its field; an unreachable one names the serving process', async () => {
    api.answers = [
      { status: 400, body: { error: { code: 'INVALID_ARGUMENT', message: 'bad row', fields: [{ field: 'body.inputs.0.x', message: 'expected a number' }] } } },
    ];
    const client = createSlipwayClient({ baseUrl: api.url, servingUrl: api.url });
    const refused = await client.predict('scorer', [{ x: 'a' }]).catch((e: unknown) => e);
    expect(refused).toMatchObject({ status: 400, code: ErrorCode.INVALID_ARGUMENT, fields: [{ field: 'body.inputs.0.x', message: 'expected a number' }] });

    const down = await client.predict('scorer', [[1]], { servingUrl: 'http://127.0.0.1:9' }).catch((e: unknown) => e);
    expect(down).toMatchObject({ status: 0, code: ErrorCode.UNAVAILABLE });
    expect((down as Error).message).toMatch(/^cannot reach the Slipway serving process at http:\/\/127\.0\.0\.1:9: /);
  });

  it('feedback posts to the serving process and answers its acknowledgement', async () => {
    api.answers = [{ status: 202, body: { accepted: true, requestId: 'fb-1' } }];
    const client = createSlipwayClient({ baseUrl: api.url, servingUrl: api.url });
    await expect(client.feedback('scorer', { requestId: 'req-9', metric: 'converted', value: 1 })).resolves.toEqual({ accepted: true, requestId: 'fb-1' });
    expect(seen[0]).toMatchObject({ method: 'POST', url: '/v1/deployments/scorer/feedback' });
    expect(JSON.parse(seen[0].body.toString())).toEqual({ requestId: 'req-9', metric: 'converted', value: 1 });
  });
});
