import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { expectNamed } from '@slipway/testing-matchers';
import { createdWebhookSchema, errorResponseSchema } from '@slipway/contracts';
import { connectTestSql, useTestDatabase, type TestSql } from '@slipway/testing';
import { startApiTestApp, type ApiTestApp } from './api-test-app';
import { json } from './registry-fixtures';

/** Webhook URLs that would make the API or its workers a request-forgery proxy into their own network. */
const REFUSED = [
  'http://127.0.0.1:5432/',
  'http://127.1/',
  'http://2130706433/',
  'http://0177.0.0.1/',
  'http://0x7f000001/',
  'http://localhost:3000/hook',
  'http://LOCALHOST./hook',
  'http://[::1]/hook',
  'http://[::ffff:127.0.0.1]/hook',
  'http://[::ffff:a9fe:a9fe]/latest/meta-data/',
  'http://[fe80::1]/',
  'http://[fd00:ec2::254]/',
  'http://169.254.169.254/latest/meta-data/iam/',
  'http://10.0.0.1/',
  'http://172.16.5.4/',
  'http://192.168.1.1/admin',
  'http://100.64.0.1/',
  'http://0.0.0.0:3000/',
  'http://224.0.0.1/',
  'https://[ff02::1]/',
];

describe('webhook URLs and the network they may reach (strict default)', () => {
  const db = useTestDatabase();
  let api: ApiTestApp;
  let sql: TestSql;

  beforeAll(async () => {
    api = await startApiTestApp(db.url);
    sql = connectTestSql(db.url);
  });
  afterAll(async () => {
    await sql?.close();
    await api?.close();
  });

  it('refuses loopback, link-local, private, CGNAT, multicast and unspecified hosts in every spelling, naming body.url, and saves nothing', async () => {
    for (const url of REFUSED) {
      const response = await api.request('/api/v1/webhooks', { method: 'POST', json: { name: 'x', url, events: ['alias.moved'] } });
      const { error } = errorResponseSchema.parse(await json(response, 400));
      expectNamed(error, url).toMatchObject({
        code: 'INVALID_ARGUMENT',
        fields: [{ field: 'body.url', message: expect.stringMatching(/not a public address/) }],
      });
    }
    expect(await sql.count('webhooks')).toBe(0);
    expect(await sql.count('audit_log', `action = 'webhook.create'`)).toBe(0);
  });

  it('accepts a public address, and refuses to move an existing webhook onto a private one', async () => {
    const created = createdWebhookSchema.parse(
      await json(
        await api.request('/api/v1/webhooks', { method: 'POST', json: { name: 'public', url: 'https://93.184.216.34/hook', events: ['alias.moved'] } }),
        201,
      ),
    );
    for (const url of ['http://169.254.169.254/', 'http://[::1]:8080/']) {
      const { error } = errorResponseSchema.parse(await json(await api.request(`/api/v1/webhooks/${created.id}`, { method: 'PATCH', json: { url } }), 400));
      expectNamed(error.fields?.[0]?.field, url).toBe('body.url');
    }
    const after = await json(await api.request(`/api/v1/webhooks/${created.id}`), 200);
    expect(after).toMatchObject({ url: 'https://93.184.216.34/hook' });
  });
});

describe('webhook URLs with an allow-list', () => {
  const db = useTestDatabase();
  let api: ApiTestApp;

  beforeAll(async () => {
    api = await startApiTestApp(db.url, { SLIPWAY_WEBHOOK_ALLOWED_HOSTS: '10.0.0.0/8, 127.0.0.1, fd00::/8' });
  });
  afterAll(async () => api?.close());

  it('lets through exactly the networks it names', async () => {
    for (const url of [
      'http://10.20.30.40/hook',
      'http://127.0.0.1:9/hook',
      'http://2130706433:9/hook',
      'http://[fd00:ec2::254]/',
      'http://localhost:9/hook',
    ]) {
      const response = await api.request('/api/v1/webhooks', { method: 'POST', json: { name: 'ok', url, events: ['alias.moved'] } });
      // localhost may also resolve to ::1, which the list does not name: then it is refused, and says so.
      if (url.includes('localhost') && response.status === 400) {
        expect(JSON.stringify(await response.json())).toContain('::1');
        continue;
      }
      expectNamed(response.status, url).toBe(201);
    }
    for (const url of ['http://127.0.0.2/', 'http://192.168.0.1/', 'http://169.254.169.254/']) {
      const response = await api.request('/api/v1/webhooks', { method: 'POST', json: { name: 'no', url, events: ['alias.moved'] } });
      expectNamed(response.status, url).toBe(400);
    }
  });
});
