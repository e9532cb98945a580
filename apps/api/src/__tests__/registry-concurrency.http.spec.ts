import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { aliasSchema, auditListSchema, versionSchema } from '@slipway/contracts';
import { useTestDatabase } from '@slipway/testing';
import { startApiTestApp, type ApiTestApp } from './api-test-app';
import { createModel, json, uploadVersion } from './registry-fixtures';

describe('registry under concurrency', () => {
  const db = useTestDatabase();
  let api: ApiTestApp;

  beforeAll(async () => {
    api = await startApiTestApp(db.url);
  });
  afterAll(async () => api?.close());

  it('gives 20 parallel registrations on one model the distinct consecutive numbers 1..20, no error', async () => {
    await createModel(api, 'busy');
    const responses = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        api.request('/api/v1/models/busy/versions', { role: 'editor', method: 'POST', json: { description: `parallel ${i}` } }),
      ),
    );
    const versions = await Promise.all(responses.map(async (r) => versionSchema.parse(await json(r, 201))));
    expect(versions.map((v) => v.version).sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    const audit = auditListSchema.parse(await json(await api.request('/api/v1/audit?action=model_version.create&limit=100'), 200));
    expect(audit.entries).toHaveLength(20);
  });

  it('leaves one consistent alias after 20 parallel moves, with 20 audit entries whose before/after chain up', async () => {
    await createModel(api, 'moving');
    for (let i = 0; i < 20; i++) await uploadVersion(api, 'moving', { 'm.json': `{"v":${i}}` });
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        api
          .request('/api/v1/models/moving/aliases/champion', { role: 'editor', method: 'PUT', json: { version: i + 1 } })
          .then(async (r) => aliasSchema.parse(await json(r, 200))),
      ),
    );
    const audit = auditListSchema
      .parse(await json(await api.request('/api/v1/audit?entityType=model_alias&entityId=moving%40champion&limit=100'), 200))
      .entries.reverse();
    expect(audit).toHaveLength(20);
    expect(audit[0]).toMatchObject({ action: 'alias.set', before: null });
    const versionOf = (value: unknown) => (value as { version: number } | null)?.version ?? null;
    for (let i = 1; i < audit.length; i++) {
      expect(audit[i].action).toBe('alias.move');
      expect(versionOf(audit[i].before)).toBe(versionOf(audit[i - 1].after));
    }
    // Each response's previousVersion is exactly what its audit entry saw.
    const chain = audit.map((e) => [versionOf(e.before), versionOf(e.after)]);
    expect(results.map((r) => [r.previousVersion, r.version]).sort(([, a], [, b]) => (a ?? 0) - (b ?? 0))).toEqual(
      [...chain].sort(([, a], [, b]) => (a ?? 0) - (b ?? 0)),
    );
    // Every target was applied once, and the alias holds the last committed move.
    expect(new Set(chain.map(([, after]) => after)).size).toBe(20);
    const final = aliasSchema.parse(await json(await api.request('/api/v1/models/moving/aliases/champion', { role: 'viewer' }), 200));
    expect(final.version).toBe(versionOf(audit[audit.length - 1].after));
  });
});
