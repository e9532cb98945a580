import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { expectNamed } from '@slipway/testing-matchers';
import { apiTokenListSchema, auditListSchema, createdApiTokenSchema, errorResponseSchema } from '@slipway/contracts';
import { hashToken } from '@slipway/db';
import { connectTestSql, useTestDatabase } from '@slipway/testing';
import { startApiTestApp, type ApiTestApp } from './api-test-app';

const BOOTSTRAP = 'slw_bootstrap-token-for-the-auth-test-0123456789';

describe('auth: tokens, roles, audit', () => {
  const db = useTestDatabase();
  let api: ApiTestApp;

  beforeAll(async () => {
    api = await startApiTestApp(db.url, { SLIPWAY_BOOTSTRAP_TOKEN: BOOTSTRAP });
  });
  afterAll(async () => api?.close());

  async function errorOf(response: Response) {
    return errorResponseSchema.parse(await response.json()).error;
  }

  it('needs a token for reads (401) and names the problem', async () => {
    const none = await api.request('/api/v1/overview', { role: null });
    expect(none.status).toBe(401);
    expect(await errorOf(none)).toMatchObject({ code: 'UNAUTHENTICATED' });
    const wrong = await api.request('/api/v1/overview', { role: null, headers: { authorization: 'Bearer slw_not-a-real-token' } });
    expect(wrong.status).toBe(401);
    const malformed = await api.request('/api/v1/overview', { role: null, headers: { authorization: 'Basic abc' } });
    expect(malformed.status).toBe(401);
  });

  it('keeps /health public', async () => {
    expect((await api.request('/health', { role: null })).status).toBe(200);
  });

  it('registers the bootstrap token as admin, stored only as a hash', async () => {
    const who = await fetch(`${api.baseUrl}/api/v1/whoami`, { headers: { authorization: `Bearer ${BOOTSTRAP}` } });
    expect(await who.json()).toMatchObject({ name: 'bootstrap-admin', role: 'admin' });
    const sql = connectTestSql(db.url);
    const rows = await sql.query<{ token_hash: string }>("SELECT * FROM api_tokens WHERE name = 'bootstrap-admin'");
    await sql.close();
    expect(rows.map((r) => r.token_hash)).toEqual([hashToken(BOOTSTRAP)]);
    expect(JSON.stringify(rows)).not.toContain(BOOTSTRAP);
  });

  it.each([
    ['viewer', 403],
    ['editor', 403],
    ['admin', 201],
  ] as const)('lets only admins create tokens (%s → %i)', async (role, status) => {
    const response = await api.request('/api/v1/tokens', { role, method: 'POST', json: { name: `made-by-${role}`, role: 'viewer' } });
    expect(response.status).toBe(status);
    if (status === 403) expect(await errorOf(response)).toMatchObject({ code: 'PERMISSION_DENIED' });
  });

  it('shows a new token once, then authenticates it with its role until revoked', async () => {
    const created = createdApiTokenSchema.parse(
      await (await api.request('/api/v1/tokens', { method: 'POST', json: { name: 'ci-bot', role: 'editor', expiresInDays: 30 } })).json(),
    );
    expect(created.token).toMatch(/^slw_[\w-]{43}$/);
    expect(created.token.startsWith(created.prefix)).toBe(true);
    const list = apiTokenListSchema.parse(await (await api.request('/api/v1/tokens')).json());
    expect(JSON.stringify(list)).not.toContain(created.token);
    expect(list.tokens.find((t) => t.id === created.id)).toMatchObject({ name: 'ci-bot', role: 'editor', revokedAt: null });

    const asBot = () => fetch(`${api.baseUrl}/api/v1/whoami`, { headers: { authorization: `Bearer ${created.token}` } });
    expect(await (await asBot()).json()).toMatchObject({ name: 'ci-bot', role: 'editor' });
    expect((await api.request(`/api/v1/tokens/${created.id}`, { method: 'DELETE' })).status).toBe(200);
    expect((await asBot()).status).toBe(401);
    const again = await api.request(`/api/v1/tokens/${created.id}`, { method: 'DELETE' });
    expect(again.status).toBe(409);
  });

  it('rejects bad token requests with the field named, storing nothing', async () => {
    const before = apiTokenListSchema.parse(await (await api.request('/api/v1/tokens')).json()).tokens.length;
    for (const json of [
      { name: '', role: 'viewer' },
      { name: 'x', role: 'owner' },
      { name: 'x', role: 'viewer', expiresInDays: -1 },
      { name: 'x'.repeat(10_000), role: 'viewer' },
      { name: 'x', role: 'viewer', extra: 1 },
      [],
    ]) {
      const response = await api.request('/api/v1/tokens', { method: 'POST', json });
      expectNamed(response.status, JSON.stringify(json).slice(0, 80)).toBe(400);
      const error = await errorOf(response);
      expect(error.code).toBe('INVALID_ARGUMENT');
      expect(error.fields?.length).toBeGreaterThan(0);
    }
    const unknownId = await api.request('/api/v1/tokens/not-a-uuid', { method: 'DELETE' });
    expect(unknownId.status).toBe(400);
    expect((await errorOf(unknownId)).fields?.[0].field).toBe('params.id');
    expect((await api.request('/api/v1/tokens/00000000-0000-4000-8000-000000000000', { method: 'DELETE' })).status).toBe(404);
    const after = apiTokenListSchema.parse(await (await api.request('/api/v1/tokens')).json()).tokens.length;
    expect(after).toBe(before);
  });

  it('audits every token change with actor and before/after, filterable and paginated', async () => {
    const all = auditListSchema.parse(await (await api.request('/api/v1/audit?entityType=api_token&limit=500')).json());
    const actions = all.entries.map((e) => e.action);
    expect(actions).toContain('token.create');
    expect(actions).toContain('token.revoke');
    const revoke = all.entries.find((e) => e.action === 'token.revoke');
    expect(revoke).toMatchObject({ actor: 'test-admin', before: { revokedAt: null } });
    expect((revoke?.after as { revokedAt: string }).revokedAt).toBeTruthy();
    const page1 = auditListSchema.parse(await (await api.request('/api/v1/audit?limit=2')).json());
    expect(page1.entries).toHaveLength(2);
    const page2 = auditListSchema.parse(await (await api.request(`/api/v1/audit?limit=2&cursor=${page1.nextCursor}`)).json());
    expect(BigInt(page2.entries[0].id)).toBeLessThan(BigInt(page1.entries[1].id));
    expect((await api.request('/api/v1/audit', { role: 'editor' })).status).toBe(403);
    expect((await api.request('/api/v1/audit?limit=0')).status).toBe(400);
  });
});
