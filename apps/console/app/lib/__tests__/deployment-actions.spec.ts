import { deploymentMetricsSchema, ErrorCode, type DeploymentView } from '@slipway/contracts';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it, jest } from '@jest/globals';
import type { DeploymentSettings } from '../deployment-view';

// The deployment page's server actions and its metrics route against a real HTTP server standing in for the API:
// which calls they make, with which bodies, when they refuse to send anything, and how refusals reach the form.

interface Call {
  method: string;
  path: string;
  body: string;
}

let server: Server;
let baseUrl: string;
let calls: Call[] = [];
let replies: Record<string, { status: number; body?: unknown }> = {};

const revision = {
  revision: 3,
  action: 'GRAY_START' as const,
  stable: { versionId: '00000000-0000-4000-8000-000000000001', version: 1 },
  canary: { versionId: '00000000-0000-4000-8000-000000000002', version: 2, percent: 10, sticky: null },
  shadow: null,
  rolloutPlan: null,
  rolloutStep: null,
  reason: '',
  createdBy: 'admin',
  createdAt: '2026-12-01T20:00:00.000Z',
};
const deployment: DeploymentView = {
  id: '00000000-0000-4000-8000-00000000000d',
  name: 'scorer',
  description: 'scores',
  model: 'fraud',
  status: 'ACTIVE',
  trackedAlias: null,
  aliasPolicy: 'redeploy',
  rolloutPlan: null,
  currentRevision: 3,
  revision,
  rollout: null,
  createdBy: 'admin',
  createdAt: '2026-12-01T20:00:00.000Z',
  updatedAt: '2026-12-01T20:00:00.000Z',
};
const base: DeploymentSettings = { description: 'scores', aliasPolicy: 'redeploy', rolloutPlan: null };

beforeAll(async () => {
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const call = { method: req.method ?? '', path: req.url ?? '', body: Buffer.concat(chunks).toString() };
      calls.push(call);
      const key = `${call.method} ${call.path.split('?')[0]}`;
      const reply = replies[key] ?? { status: 404, body: { error: { code: 'NOT_FOUND', message: `no stub for ${key}` } } };
      // A fresh connection per call: on a loaded machine a kept-alive one can be closed under the next request (ECONNRESET).
      res.writeHead(reply.status, { 'content-type': 'application/json', connection: 'close' });
      res.end(reply.body === undefined ? undefined : JSON.stringify(reply.body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

const originalEnv = { url: process.env.SLIPWAY_API_URL, token: process.env.SLIPWAY_CONSOLE_TOKEN };
afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  for (const [name, value] of [
    ['SLIPWAY_API_URL', originalEnv.url],
    ['SLIPWAY_CONSOLE_TOKEN', originalEnv.token],
  ] as const) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
});

const revalidated: string[] = [];

beforeEach(() => {
  calls = [];
  replies = {};
  revalidated.length = 0;
});

function useStandIn() {
  jest.resetModules();
  process.env.SLIPWAY_API_URL = baseUrl;
  process.env.SLIPWAY_CONSOLE_TOKEN = 'console-secret';
  // Outside a Next request there is no cache to revalidate; what the action asks to refresh is recorded instead.
  jest.doMock('next/cache', () => ({ revalidatePath: (path: string) => revalidated.push(path) }));
}

async function loadActions() {
  useStandIn();
  return import('../deployment-actions');
}

const sent = (method: string) => calls.filter((c) => c.method === method).map((c) => ({ path: c.path, body: c.body === '' ? undefined : JSON.parse(c.body) }));

describe('settings (PATCH)', () => {
  it('sends only the fields that changed, when nobody else changed them since the form opened', async () => {
    replies['GET /api/v1/deployments/scorer'] = { status: 200, body: deployment };
    replies['PATCH /api/v1/deployments/scorer'] = { status: 200, body: { ...deployment, description: 'mine' } };
    const { updateDeploymentAction } = await loadActions();
    await expect(updateDeploymentAction('scorer', base, { description: 'mine' })).resolves.toMatchObject({ ok: true, deployment: { description: 'mine' } });
    expect(sent('PATCH')).toEqual([{ path: '/api/v1/deployments/scorer', body: { description: 'mine' } }]);
    expect(revalidated).toEqual(['/deployments']);
  });

  it('sends nothing when someone else changed a field this edit sets, and answers the settings as they are now', async () => {
    replies['GET /api/v1/deployments/scorer'] = { status: 200, body: { ...deployment, description: 'theirs' } };
    const { updateDeploymentAction } = await loadActions();
    const outcome = await updateDeploymentAction('scorer', base, { description: 'mine' });
    expect(outcome).toMatchObject({
      ok: false,
      code: ErrorCode.CONFLICT,
      message: 'Someone else changed description since you opened the form; nothing was saved.',
      current: { description: 'theirs' },
    });
    expect(sent('PATCH')).toEqual([]);
  });

  it('keeps a change someone else made to another field: it is not in the body, so it is not overwritten', async () => {
    replies['GET /api/v1/deployments/scorer'] = {
      status: 200,
      body: { ...deployment, aliasPolicy: 'rollout', rolloutPlan: { steps: [10], intervalSeconds: 5, minRequestsPerStep: 1, gates: {} } },
    };
    replies['PATCH /api/v1/deployments/scorer'] = { status: 200, body: { ...deployment, description: 'mine' } };
    const { updateDeploymentAction } = await loadActions();
    await expect(updateDeploymentAction('scorer', base, { description: 'mine' })).resolves.toMatchObject({ ok: true });
    expect(sent('PATCH')).toEqual([{ path: '/api/v1/deployments/scorer', body: { description: 'mine' } }]);
  });

  it("checks the body with the PATCH contract first, and puts the API's body.* fields on the form's fields", async () => {
    const { updateDeploymentAction } = await loadActions();
    const invalid = await updateDeploymentAction('scorer', base, { rolloutPlan: { steps: [50, 10], intervalSeconds: 60 } });
    expect(invalid).toMatchObject({ ok: false, fields: [expect.objectContaining({ field: 'rolloutPlan.steps', message: 'steps must increase' })] });
    expect(calls).toEqual([]);

    replies['GET /api/v1/deployments/scorer'] = { status: 200, body: deployment };
    replies['PATCH /api/v1/deployments/scorer'] = {
      status: 409,
      body: {
        error: {
          code: 'CONFLICT',
          message: 'would follow its alias with a rollout but has no rolloutPlan',
          fields: [{ field: 'body.aliasPolicy', message: 'aliasPolicy rollout needs a rolloutPlan' }],
        },
      },
    };
    const refused = await updateDeploymentAction('scorer', base, { aliasPolicy: 'rollout' });
    expect(refused).toEqual({
      ok: false,
      code: ErrorCode.CONFLICT,
      httpStatus: 409,
      message: 'would follow its alias with a rollout but has no rolloutPlan',
      fields: [{ field: 'aliasPolicy', message: 'aliasPolicy rollout needs a rolloutPlan' }],
    });
    expect(revalidated).toEqual([]);
  });
});

describe('delete', () => {
  it('refuses without the name typed back, and calls nothing', async () => {
    const { deleteDeploymentAction } = await loadActions();
    await expect(deleteDeploymentAction('scorer', 3, 'score')).resolves.toMatchObject({ ok: false, fields: [{ field: 'confirmName' }] });
    await expect(deleteDeploymentAction('scorer', 0, 'scorer')).resolves.toMatchObject({ ok: false });
    expect(calls).toEqual([]);
  });

  it('deletes nothing when the deployment moved to another revision since the confirm, and answers it as it is now', async () => {
    replies['GET /api/v1/deployments/scorer'] = {
      status: 200,
      body: { ...deployment, currentRevision: 4, revision: { ...revision, revision: 4, action: 'PROMOTE' } },
    };
    const { deleteDeploymentAction } = await loadActions();
    await expect(deleteDeploymentAction('scorer', 3, 'scorer')).resolves.toMatchObject({
      ok: false,
      code: ErrorCode.CONFLICT,
      message: 'The deployment moved to revision 4 since you asked; nothing was deleted.',
      current: { currentRevision: 4 },
    });
    expect(sent('DELETE')).toEqual([]);
  });

  it('deletes at the revision confirmed on', async () => {
    replies['GET /api/v1/deployments/scorer'] = { status: 200, body: deployment };
    replies['DELETE /api/v1/deployments/scorer'] = { status: 200, body: { ...deployment, status: 'DELETED' } };
    const { deleteDeploymentAction } = await loadActions();
    await expect(deleteDeploymentAction('scorer', 3, 'scorer')).resolves.toMatchObject({ ok: true, deployment: { status: 'DELETED' } });
    expect(sent('DELETE')).toEqual([{ path: '/api/v1/deployments/scorer', body: undefined }]);
    expect(revalidated).toEqual(['/deployments']);
  });
});

describe('sticky canary', () => {
  it('sends the sticky key as the contract has it; a bad one is refused on sticky.header before and after the API', async () => {
    const { deploymentAction } = await loadActions();
    await expect(deploymentAction('scorer', 'canary', { baseRevision: 3, version: 2, percent: 10, sticky: { header: 'X-Customer' } })).resolves.toMatchObject({
      ok: false,
      fields: [{ field: 'sticky.header', message: 'a lower-case HTTP header name' }],
    });
    expect(calls).toEqual([]);

    replies['POST /api/v1/deployments/scorer/canary'] = {
      status: 400,
      body: { error: { code: 'INVALID_ARGUMENT', message: 'Invalid request', fields: [{ field: 'body.sticky.field', message: 'no such input column' }] } },
    };
    const refused = await deploymentAction('scorer', 'canary', { baseRevision: 3, version: 2, percent: 10, sticky: { field: 'customer' } });
    expect(refused).toMatchObject({ ok: false, httpStatus: 400, fields: [{ field: 'sticky.field', message: 'no such input column' }] });
    expect(sent('POST')).toEqual([
      { path: '/api/v1/deployments/scorer/canary', body: { baseRevision: 3, version: 2, percent: 10, sticky: { field: 'customer' } } },
    ]);
  });
});

describe('metrics route', () => {
  const params = { params: Promise.resolve({ name: 'scorer' }) };

  it('refuses an unknown range naming query.range, without asking the API', async () => {
    useStandIn();
    const { GET } = await import('../../api/deployments/[name]/metrics/route');
    const response = await GET(new Request('http://console/api/deployments/scorer/metrics?range=7d'), params);
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error: { code: 'INVALID_ARGUMENT', fields: [{ field: 'query.range' }] } });
    expect(calls).toEqual([]);
  });

  it("asks for the range's since and answers its chart steps", async () => {
    const until = new Date();
    const windows = [0, 10, 20].map((s) => ({
      at: new Date(Math.floor(until.getTime() / 600_000) * 600_000 - 600_000 + s * 1000).toISOString(),
      requests: 10,
      requestRate: 1,
      errorRate: 0.1,
      p99Ms: 5 + s,
    }));
    replies['GET /api/v1/deployments/scorer/metrics'] = {
      status: 200,
      body: {
        deployment: 'scorer',
        windowSeconds: 10,
        since: windows[0].at,
        until: until.toISOString(),
        series: [
          {
            versionId: revision.stable.versionId,
            version: 1,
            role: 'stable',
            points: windows,
            totals: { requests: 30, errors: 3, errorRate: 0.1, p99Ms: 25 },
            drift: [],
          },
        ],
      },
    };
    useStandIn();
    const { GET } = await import('../../api/deployments/[name]/metrics/route');
    const response = await GET(new Request('http://console/api/deployments/scorer/metrics?range=24h'), params);
    expect(response.status).toBe(200);
    const body = deploymentMetricsSchema.parse(await response.json());
    const since = new URL(calls[0].path, baseUrl).searchParams.get('since') ?? '';
    expect(until.getTime() - Date.parse(since)).toBeGreaterThan(23.8 * 3600_000);
    expect(until.getTime() - Date.parse(since)).toBeLessThan(24 * 3600_000);
    expect(body.windowSeconds).toBe(600);
    expect(body.series[0].points).toEqual([{ at: windows[0].at, requests: 30, requestRate: Number((30 / 600).toPrecision(6)), errorRate: 0.1, p99Ms: 25 }]);
  });
});
