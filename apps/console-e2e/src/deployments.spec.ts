import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page, type TestInfo } from '@playwright/test';
import { randomUUID } from 'node:crypto';
import type { SlipwayClient } from '@slipway/client';
import { deploymentSchema, predictResponseSchema, SERVING_HEADERS, trainingJobSchema, type DeploymentView } from '@slipway/contracts';
import { platform } from './support/platform';
import { connectApi } from './support/slipway-api';

// Journey 4 ("Promote or roll back deployments") through the console: deploy v1 of a model trained on the
// platform's worker, start a 10% canary of v2, send traffic through the serving replica, see it counted per
// version, promote, roll back; an action based on a revision someone else moved past shows who changed it and
// retries on the new one; a rollout whose canary fails its gate is rolled back by the worker's analyser on its own;
// a sticky canary by a header keeps each caller on one version; settings edits and deletes never overwrite a change
// made meanwhile (they show it and retry on it); the list, history and events page by cursor; the charts follow
// the chosen time range; a viewer sees it all and can act on nothing.

const suffix = randomUUID().slice(0, 8);
const MODEL = `dep-model-${suffix}`;
const NAME = `scorer-${suffix}`;
const IRIS_ROWS = [
  [5.1, 3.5, 1.4, 0.2],
  [6.7, 3.0, 5.2, 2.3],
  [5.9, 3.0, 4.2, 1.5],
];
let api: SlipwayClient;

const json = { 'content-type': 'application/json' };

async function post<T>(path: string, body: unknown, parse: (b: unknown) => T): Promise<T> {
  const response = await api.send(path, { method: 'POST', headers: json, body: JSON.stringify(body) });
  return parse(await response.json());
}

async function getDeployment(name = NAME): Promise<DeploymentView> {
  return await api.parseBody(deploymentSchema, await api.send(`/api/v1/deployments/${name}`, { method: 'GET' }));
}

/** Deployments a test made of its own, deleted after the file so other specs' counts stay as they were. */
const extraDeployments: string[] = [];

async function deployV1(name: string): Promise<DeploymentView> {
  const created = await post('/api/v1/deployments', { name, model: MODEL, version: 1 }, (b) => deploymentSchema.parse(b));
  extraDeployments.push(name);
  return created;
}

/** A CART trained on iris by the platform's worker and registered as the next version of MODEL. */
async function trainVersion(datasetId: string, name: string): Promise<number> {
  let job = await post('/api/v1/training-jobs', { datasetId, algorithm: 'cart', name }, (b) => trainingJobSchema.parse(b));
  const deadline = Date.now() + 120_000;
  while (job.status !== 'SUCCEEDED') {
    if (job.status === 'FAILED' || job.status === 'CANCELLED' || Date.now() > deadline) throw new Error(`training job ${job.id} is ${job.status}`);
    await new Promise((resolve) => setTimeout(resolve, 300));
    job = await api.parseBody(trainingJobSchema, await api.send(`/api/v1/training-jobs/${job.id}`, { method: 'GET' }));
  }
  const registered = await post(`/api/v1/training-jobs/${job.id}/register`, { model: MODEL }, (b) => b as { version: number });
  return registered.version;
}

/** Predictions through the serving replica, as a caller of the deployment would ask for them; which version answered each. */
async function sendTraffic(
  requests: number,
  name = NAME,
  headers: Record<string, string> = {},
): Promise<{ role: string; version: number; revision: number }[]> {
  const answers: { role: string; version: number; revision: number }[] = [];
  for (let i = 0; i < requests; i++) {
    const response = await fetch(`${platform.servingUrl}/v1/deployments/${name}/predict`, {
      method: 'POST',
      headers: { ...json, ...headers },
      body: JSON.stringify({ inputs: IRIS_ROWS }),
    });
    expect(response.status).toBe(200);
    const body = predictResponseSchema.parse(await response.json());
    expect(response.headers.get(SERVING_HEADERS.version)).toBe(String(body.version));
    answers.push({ role: body.role, version: body.version, revision: body.revision });
  }
  return answers;
}

/** Waits until the serving replica answers from `revision` (it follows the database by LISTEN and polling). */
async function waitForServing(revision: number, name = NAME): Promise<void> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const response = await fetch(`${platform.servingUrl}/v1/deployments/${name}/predict`, {
      method: 'POST',
      headers: json,
      body: JSON.stringify({ inputs: IRIS_ROWS }),
    });
    if (response.ok && Number(response.headers.get(SERVING_HEADERS.revision)) >= revision) return;
    if (Date.now() > deadline)
      throw new Error(`serving still answers ${response.status} revision ${response.headers.get(SERVING_HEADERS.revision)}, not ${revision}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

test.beforeAll(async () => {
  test.setTimeout(300_000);
  api = await connectApi();
  const iris = await api.datasets.createSample('iris');
  expect(await trainVersion(iris.id, `dep-v1-${suffix}`)).toBe(1);
  expect(await trainVersion(iris.id, `dep-v2-${suffix}`)).toBe(2);
});

test.afterAll(async () => {
  // Leave no deployment or model behind for the counts other specs read.
  for (const name of [NAME, ...extraDeployments]) await api?.send(`/api/v1/deployments/${name}`, { method: 'DELETE' }).catch(() => undefined);
  await api?.models.delete(MODEL).catch(() => undefined);
});

async function shoot(page: Page, testInfo: TestInfo, name: string): Promise<void> {
  const path = testInfo.outputPath(`${name}.png`);
  await page.screenshot({ path, fullPage: true });
  await testInfo.attach(name, { path, contentType: 'image/png' });
}

async function expectNoAxeViolations(page: Page): Promise<void> {
  const axe = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa']).analyze();
  expect(axe.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`)).toEqual([]);
}

async function confirm(page: Page, button: string, label: string): Promise<void> {
  await page.getByTestId('deployment-actions').getByRole('button', { name: button, exact: true }).click();
  await page.getByRole('button', { name: label, exact: true }).click();
  await expect(page.getByTestId('action-done')).toBeVisible();
}

test('deploy v1, start a 10% canary of v2, send traffic and see it per version, promote, roll back', async ({ page }, testInfo) => {
  test.setTimeout(180_000);
  await page.goto('/');
  await page.getByRole('navigation').getByRole('link', { name: 'Deployments', exact: true }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Deployments' })).toBeVisible();
  await page.getByRole('link', { name: 'New deployment' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'New deployment' })).toBeVisible();

  // By name, as the version select below: the label lookup once resolved to another element while the page hydrated (a flaky 'not a <select>').
  await page.locator('select[name="model"]').selectOption(MODEL);
  await expect(page).toHaveURL(new RegExp(`model=${MODEL}`));
  await page.getByLabel('Deployment name').fill(NAME);
  await page.locator('select[name="version"]').selectOption('1');
  await page.getByRole('button', { name: 'Deploy…' }).click();
  await expect(page.getByTestId('deploy-confirm')).toContainText(`Deploy ${MODEL} v1 as ${NAME}?`);
  await expectNoAxeViolations(page);
  await page.getByRole('button', { name: 'Confirm deploy' }).click();

  await expect(page).toHaveURL(new RegExp(`/deployments/${NAME}$`));
  const deployment = page.getByTestId('deployment');
  await expect(deployment).toHaveAttribute('data-revision', '1');
  await expect(page.getByTestId('traffic-stable').first()).toHaveAttribute('data-version', '1');
  await expect(page.getByTestId('traffic-stable').first()).toHaveAttribute('data-percent', '100');

  // A 10% canary of v2, reviewed, then confirmed.
  await page.getByRole('button', { name: 'Start canary…' }).click();
  await page.getByTestId('action-form-canary').locator('select[name="version"]').selectOption('2');
  await expect(page.getByLabel('Canary traffic (%)')).toHaveValue('10');
  await page.getByRole('button', { name: 'Review' }).click();
  await expect(page.getByTestId('action-confirm')).toContainText('v2 gets 10% of traffic');
  await page.getByRole('button', { name: 'Confirm start canary' }).click();
  await expect(deployment).toHaveAttribute('data-revision', '2');
  await expect(page.getByTestId('traffic-canary').first()).toHaveAttribute('data-percent', '10');
  await expect(page.getByTestId('traffic-stable').first()).toHaveAttribute('data-percent', '90');

  // Traffic through the serving replica: about one request in ten answered by the canary.
  await waitForServing(2);
  const answers = await sendTraffic(300);
  const canary = answers.filter((a) => a.role === 'canary');
  expect(canary.every((a) => a.version === 2)).toBe(true);
  expect(answers.filter((a) => a.role === 'stable').every((a) => a.version === 1)).toBe(true);
  expect(canary.length).toBeGreaterThanOrEqual(10);
  expect(canary.length).toBeLessThanOrEqual(60);
  // The replicas flush every 2 s and the page polls every 2 s: the counts per version show within seconds.
  const canaryTotal = page.locator('[data-testid="traffic-total"][data-role="canary"]');
  await expect(canaryTotal).toHaveAttribute('data-version', '2', { timeout: 30_000 });
  await expect.poll(async () => Number(await canaryTotal.getAttribute('data-requests')), { timeout: 30_000 }).toBeGreaterThanOrEqual(canary.length);
  await expect(page.getByTestId('traffic-chart')).toHaveCount(3);
  await shoot(page, testInfo, 'canary-traffic');
  await expectNoAxeViolations(page);

  await confirm(page, 'Promote…', 'Confirm promote');
  await expect(deployment).toHaveAttribute('data-revision', '3');
  await expect(page.getByTestId('traffic-stable').first()).toHaveAttribute('data-version', '2');
  await expect(page.getByTestId('traffic-canary')).toHaveCount(0);
  await waitForServing(3);
  expect((await sendTraffic(20)).every((a) => a.version === 2 && a.role === 'stable')).toBe(true);

  await confirm(page, 'Roll back…', 'Confirm roll back');
  await expect(deployment).toHaveAttribute('data-revision', '4');
  await expect(page.getByTestId('traffic-stable').first()).toHaveAttribute('data-version', '1');
  await waitForServing(4);
  expect((await sendTraffic(20)).every((a) => a.version === 1)).toBe(true);

  const revisions = page.getByTestId('revision-row');
  await expect(revisions).toHaveCount(4);
  expect(await revisions.evaluateAll((rows) => rows.map((r) => r.getAttribute('data-action')))).toEqual(['ROLLBACK', 'PROMOTE', 'GRAY_START', 'CREATE']);
  await expect(page.getByTestId('deployment-event').first()).toBeVisible();

  await page.goto('/deployments');
  const row = page.locator(`[data-testid="deployment-row"][data-name="${NAME}"]`);
  await expect(row.getByTestId('deployment-versions')).toHaveText('stable v1');
  await expectNoAxeViolations(page);
  await shoot(page, testInfo, 'deployments-list');
});

test('an action on a revision someone else moved past shows who changed it, and retries on the new one', async ({ page }) => {
  await page.goto(`/deployments/${NAME}`);
  const before = await getDeployment();
  await page.getByRole('button', { name: 'Start canary…' }).click();
  await page.getByTestId('action-form-canary').locator('select[name="version"]').selectOption('2');
  await page.getByRole('button', { name: 'Review' }).click();
  await expect(page.getByTestId('action-confirm')).toContainText(`revision ${before.currentRevision}`);
  // Meanwhile, someone sets a shadow through the API.
  await post(`/api/v1/deployments/${NAME}/shadow`, { baseRevision: before.currentRevision, version: 2, percent: 50 }, (b) => deploymentSchema.parse(b));
  await page.getByRole('button', { name: 'Confirm start canary' }).click();
  const conflict = page.getByTestId('action-conflict');
  await expect(conflict).toContainText('Someone else changed this deployment');
  await expect(conflict).toContainText(`revision ${before.currentRevision + 1} (shadow`);
  await expect(conflict.getByTestId('traffic-shadow')).toContainText('shadow v2');
  await expectNoAxeViolations(page);
  await conflict.getByRole('button', { name: `Retry start canary on revision ${before.currentRevision + 1}` }).click();
  await expect(page.getByTestId('action-done')).toBeVisible();
  const after = await getDeployment();
  expect(after.currentRevision).toBe(before.currentRevision + 2);
  expect(after.revision).toMatchObject({ action: 'GRAY_START', canary: { version: 2, percent: 10 }, shadow: { version: 2 } });
});

test('a rollout whose canary fails its gate is rolled back by the analyser on its own, and the page shows why', async ({ page }, testInfo) => {
  test.setTimeout(120_000);
  // Drop the canary the previous test left, through the API, so a rollout can start.
  const current = await getDeployment();
  if (current.revision.canary) await post(`/api/v1/deployments/${NAME}/rollback`, { baseRevision: current.currentRevision }, (b) => deploymentSchema.parse(b));
  await page.goto(`/deployments/${NAME}`);
  await page.getByRole('button', { name: 'Start rollout…' }).click();
  const form = page.getByTestId('action-form-rollout');
  await form.locator('select[name="version"]').selectOption('2');
  await form.locator('input[name="plan-steps"]').fill('50');
  await form.locator('input[name="plan-interval"]').fill('2');
  await form.locator('input[name="plan-min-requests"]').fill('20');
  // A p99 no real request can meet (the first latency bucket alone interpolates above it): the canary fails its gate.
  await form.locator('input[name="gate-maxP99LatencyMs"]').fill('0.001');
  await page.getByRole('button', { name: 'Review' }).click();
  await expect(page.getByTestId('action-confirm')).toContainText('v2 starts at the first step (50% of traffic)');
  await page.getByRole('button', { name: 'Confirm start rollout' }).click();
  const deployment = page.getByTestId('deployment');
  await expect(deployment).toHaveAttribute('data-status', 'ROLLING_OUT');
  await expect(page.locator('[data-testid="rollout-step"][data-state="current"]')).toHaveText('50% (now)');
  await expect(page.getByTestId('rollout-countdown')).toContainText('every 2 s');
  await expect(page.getByTestId('rollout-gates')).toContainText('0.001');
  await expectNoAxeViolations(page);
  const started = await getDeployment();
  await waitForServing(started.currentRevision);
  await sendTraffic(100);

  // The worker's analyser judges the step once it has its requests, and rolls the canary back.
  await expect(deployment).toHaveAttribute('data-status', 'ACTIVE', { timeout: 60_000 });
  await expect(page.getByTestId('revision-row').first()).toHaveAttribute('data-action', 'AUTO_ROLLBACK');
  await expect(page.getByTestId('traffic-canary')).toHaveCount(0);
  await expect(page.getByTestId('traffic-stable').first()).toHaveAttribute('data-version', '1');
  const failed = page.locator('[data-testid="deployment-event"][data-type="analysis.failed"]').first();
  await expect(failed).toContainText('maxP99LatencyMs');
  await shoot(page, testInfo, 'auto-rollback');
  const after = await getDeployment();
  expect(after.revision).toMatchObject({ action: 'AUTO_ROLLBACK', stable: { version: 1 }, canary: null });
});

test('a sticky canary by a request header: a bad header name is marked on its field, then one caller always reaches one version', async ({
  page,
}, testInfo) => {
  test.setTimeout(120_000);
  const name = `sticky-${suffix}`;
  const created = await deployV1(name);
  await page.goto(`/deployments/${name}`);
  await page.getByRole('button', { name: 'Start canary…' }).click();
  const form = page.getByTestId('action-form-canary');
  await form.locator('select[name="version"]').selectOption('2');
  await form.locator('input[name="percent"]').fill('30');

  // An input field needs its name; a header must be lower-case: both refused on their field before anything is asked.
  await form.getByLabel('Sticky by input field').check();
  await page.getByRole('button', { name: 'Review' }).click();
  await expect(page.getByTestId('field-error-sticky.field')).toBeVisible();
  await form.getByLabel('Sticky by request header').check();
  await form.getByLabel('Header name').fill('X-Customer');
  await page.getByRole('button', { name: 'Review' }).click();
  await expect(page.getByTestId('field-error-sticky.header')).toHaveText('a lower-case HTTP header name');
  await expect(page.getByTestId('action-confirm')).toHaveCount(0);
  await shoot(page, testInfo, 'sticky-canary-field-error');
  await expectNoAxeViolations(page);

  await form.getByLabel('Header name').fill('x-customer');
  await page.getByRole('button', { name: 'Review' }).click();
  await expect(page.getByTestId('action-confirm')).toContainText('v2 gets 30% of traffic (sticky by the x-customer header');
  await page.getByRole('button', { name: 'Confirm start canary' }).click();
  await expect(page.getByTestId('action-done')).toBeVisible();
  await expect(page.getByTestId('traffic-sticky').first()).toContainText('x-customer');
  await expect(page.getByTestId('deployment-summary')).toContainText('sticky by the x-customer header');
  const after = await getDeployment(name);
  expect(after.currentRevision).toBe(created.currentRevision + 1);
  expect(after.revision.canary).toMatchObject({ version: 2, percent: 30, sticky: { header: 'x-customer' } });

  // Each customer's requests land on one version; with 30% and 20 customers, both versions get some.
  await waitForServing(after.currentRevision, name);
  const versionsByCustomer = new Map<string, Set<number>>();
  for (let c = 0; c < 20; c++) {
    for (const answer of await sendTraffic(3, name, { 'x-customer': `customer-${c}` })) {
      versionsByCustomer.set(`customer-${c}`, (versionsByCustomer.get(`customer-${c}`) ?? new Set()).add(answer.version));
    }
  }
  expect([...versionsByCustomer.values()].every((versions) => versions.size === 1)).toBe(true);
  const chosen = new Set([...versionsByCustomer.values()].map((versions) => [...versions][0]));
  expect(chosen).toEqual(new Set([1, 2]));
});

test('edit settings; a description someone else saved meanwhile is shown, not overwritten, and the retry applies over it', async ({ page }, testInfo) => {
  const name = `sticky-${suffix}`;
  await page.goto(`/deployments/${name}`);
  const settings = page.getByTestId('deployment-settings');
  await settings.getByRole('button', { name: 'Edit settings…' }).click();
  await settings.getByLabel('Description').fill('scores iris for the e2e');
  await settings.getByLabel('When the followed alias moves').selectOption('rollout');
  await settings.getByLabel(/Own rollout plan/).check();
  await settings.locator('input[name="plan-steps"]').fill('60, 20');
  await settings.getByRole('button', { name: 'Save settings' }).click();
  // The contract's refusal, on its field, before anything is sent.
  await expect(page.getByTestId('field-error-rolloutPlan.steps')).toHaveText('steps must increase');
  await settings.locator('input[name="plan-steps"]').fill('20, 60');
  await settings.getByRole('button', { name: 'Save settings' }).click();
  await expect(page.getByTestId('settings-saved')).toContainText('Saved: description, aliasPolicy, rolloutPlan.');
  await expect(page.getByTestId('settings-description')).toHaveText('scores iris for the e2e');
  await expect(page.getByTestId('settings-plan')).toContainText('steps 20 → 60%');
  expect(await getDeployment(name)).toMatchObject({ description: 'scores iris for the e2e', aliasPolicy: 'rollout', rolloutPlan: { steps: [20, 60] } });

  await settings.getByRole('button', { name: 'Edit settings…' }).click();
  await settings.getByLabel('Description').fill('mine');
  // Meanwhile, someone saves another description through the API.
  const theirs = await api.send(`/api/v1/deployments/${name}`, { method: 'PATCH', headers: json, body: JSON.stringify({ description: 'theirs' }) });
  expect(theirs.status).toBe(200);
  await settings.getByRole('button', { name: 'Save settings' }).click();
  const conflict = page.getByTestId('settings-conflict');
  await expect(conflict).toContainText('Someone else changed description since you opened the form; nothing was saved.');
  await expect(conflict.getByTestId('conflict-description')).toHaveText('theirs');
  expect((await getDeployment(name)).description).toBe('theirs');
  await shoot(page, testInfo, 'settings-conflict');
  await expectNoAxeViolations(page);
  await conflict.getByRole('button', { name: 'Save my changes over these' }).click();
  await expect(page.getByTestId('settings-saved')).toContainText('Saved: description.');
  await expect(page.getByTestId('settings-description')).toHaveText('mine');
  expect(await getDeployment(name)).toMatchObject({ description: 'mine', aliasPolicy: 'rollout', rolloutPlan: { steps: [20, 60] } });
});

test('delete behind a confirm naming the deployment; one that moved on meanwhile is shown to confirm again', async ({ page }, testInfo) => {
  const name = `sticky-${suffix}`;
  await page.goto(`/deployments/${name}`);
  const before = await getDeployment(name);
  await page.getByRole('button', { name: 'Delete deployment…' }).click();
  const confirmBox = page.getByTestId('delete-confirm');
  await expect(confirmBox).toContainText(`Delete ${name} (revision ${before.currentRevision})?`);
  const deleteButton = confirmBox.getByRole('button', { name: `Delete ${name}`, exact: true });
  await expect(deleteButton).toBeDisabled();
  await confirmBox.getByLabel(`Type ${name} to confirm`).fill(name.slice(0, -1));
  await expect(deleteButton).toBeDisabled();
  await confirmBox.getByLabel(`Type ${name} to confirm`).fill(name);
  // Meanwhile, someone promotes the sticky canary through the API.
  await post(`/api/v1/deployments/${name}/promote`, { baseRevision: before.currentRevision }, (b) => deploymentSchema.parse(b));
  await deleteButton.click();
  const conflict = page.getByTestId('delete-conflict');
  await expect(conflict).toContainText(`moved to revision ${before.currentRevision + 1} since you asked; nothing was deleted`);
  await expect(conflict).toContainText(`Revision ${before.currentRevision + 1} (promote`);
  expect((await getDeployment(name)).status).toBe('ACTIVE');
  await shoot(page, testInfo, 'delete-conflict');
  await expectNoAxeViolations(page);
  await confirmBox.getByRole('button', { name: `Delete at revision ${before.currentRevision + 1}` }).click();

  await expect(page).toHaveURL(new RegExp(`/deployments\\?deleted=${name}$`));
  await expect(page.getByTestId('deployment-deleted-notice')).toHaveText(`Deleted ${name}: nothing is served from it any more.`);
  await expect(page.locator(`[data-testid="deployment-row"][data-name="${name}"]`)).toHaveCount(0);
  expect((await getDeployment(name)).status).toBe('DELETED');
  await expect
    .poll(
      async () => {
        const r = await fetch(`${platform.servingUrl}/v1/deployments/${name}/predict`, {
          method: 'POST',
          headers: json,
          body: JSON.stringify({ inputs: IRIS_ROWS }),
        });
        await r.body?.cancel();
        return r.status;
      },
      { timeout: 30_000 },
    )
    .toBe(404);
});

test('the list, the revision history and the events page by the API cursor', async ({ page }) => {
  test.setTimeout(180_000);
  const name = `paged-${suffix}`;
  let deployment = await deployV1(name);
  // 110 shadow changes: 111 revisions (pages of 50), and more events than their first page of 100.
  for (let i = 0; i < 110; i++) {
    const body =
      i % 2 === 0 ? { baseRevision: deployment.currentRevision, version: 2, percent: 10 } : { baseRevision: deployment.currentRevision, version: null };
    deployment = await post(`/api/v1/deployments/${name}/shadow`, body, (b) => deploymentSchema.parse(b));
  }
  expect(deployment.currentRevision).toBe(111);
  const allEvents: string[] = [];
  for (let cursor: string | null = null, first = true; first || cursor; first = false) {
    const query: string = cursor ? `&cursor=${encodeURIComponent(cursor)}` : '';
    const page_ = (await (await api.send(`/api/v1/deployments/${name}/events?limit=500${query}`, { method: 'GET' })).json()) as {
      events: { id: string }[];
      nextCursor: string | null;
    };
    allEvents.push(...page_.events.map((e) => e.id));
    cursor = page_.nextCursor;
  }
  expect(allEvents.length).toBeGreaterThan(100);

  await page.goto(`/deployments/${name}`);
  const rows = page.getByTestId('revision-row');
  await expect(rows).toHaveCount(50);
  await page.getByRole('button', { name: 'Show older revisions' }).click();
  await expect(rows).toHaveCount(100);
  await page.getByRole('button', { name: 'Show older revisions' }).click();
  await expect(rows).toHaveCount(111);
  await expect(page.getByTestId('revisions-end')).toHaveText('111 revisions, the oldest included.');
  await expect(page.getByRole('button', { name: 'Show older revisions' })).toHaveCount(0);
  expect(await rows.evaluateAll((r) => r.map((row) => Number(row.getAttribute('data-revision'))))).toEqual(Array.from({ length: 111 }, (_, i) => 111 - i));

  const events = page.getByTestId('deployment-event');
  await expect(events).toHaveCount(100);
  // Serving replicas may report more events meanwhile: page until the end, then everything read before is shown once, in order.
  while ((await page.getByTestId('events-end').count()) === 0) {
    const shown = await events.count();
    await page.getByRole('button', { name: 'Show older events' }).click();
    await expect.poll(() => events.count()).toBeGreaterThan(shown);
  }
  const shownEvents = await events.evaluateAll((r) => r.map((row) => row.getAttribute('data-id') ?? ''));
  expect(new Set(shownEvents).size).toBe(shownEvents.length);
  expect(shownEvents.map(BigInt)).toEqual([...shownEvents.map(BigInt)].sort((x, y) => (x < y ? 1 : x > y ? -1 : 0)));
  expect(shownEvents).toEqual(expect.arrayContaining(allEvents));
  // A new event while older pages are shown: it joins the top, nothing drops out of the middle.
  await post(`/api/v1/deployments/${name}/shadow`, { baseRevision: 111, version: 2, percent: 20 }, (b) => deploymentSchema.parse(b));
  await expect(rows.first()).toHaveAttribute('data-revision', '112');
  await expect(rows).toHaveCount(112);
  await expectNoAxeViolations(page);

  // The list: make sure there are more deployments than its page of 50, then walk both pages.
  const listed = (await (await api.send('/api/v1/deployments?limit=200', { method: 'GET' })).json()) as { deployments: { name: string }[] };
  for (let i = listed.deployments.length; i <= 50; i++) await deployV1(`page-${suffix}-${i}`);
  const names = ((await (await api.send('/api/v1/deployments?limit=200', { method: 'GET' })).json()) as { deployments: { name: string }[] }).deployments.map(
    (d) => d.name,
  );
  await page.goto('/deployments');
  const listRows = page.getByTestId('deployment-row');
  await expect(listRows).toHaveCount(50);
  const firstPage = await listRows.evaluateAll((r) => r.map((row) => row.getAttribute('data-name')));
  await page.getByTestId('deployments-pager').getByRole('link', { name: 'Next page' }).click();
  await expect(page).toHaveURL(/cursor=/);
  await expect(listRows).toHaveCount(names.length - 50);
  const secondPage = await listRows.evaluateAll((r) => r.map((row) => row.getAttribute('data-name')));
  expect([...firstPage, ...secondPage]).toEqual(names);
  await page.getByTestId('deployments-pager').getByRole('link', { name: 'Newest' }).click();
  await expect(listRows).toHaveCount(50);
});

test('the traffic charts follow the chosen time range, and the range survives a reload', async ({ page }) => {
  await page.goto(`/deployments/${NAME}`);
  const current = await getDeployment();
  await waitForServing(current.currentRevision);
  await sendTraffic(10);
  const metrics = page.getByTestId('traffic-metrics');
  await expect(metrics).toHaveAttribute('data-range', '15m');
  await expect(metrics).toHaveAttribute('data-step', '10');

  await page.getByTestId('metrics-range').getByRole('button', { name: 'Last 24 h' }).click();
  await expect(page).toHaveURL(/range=24h/);
  await expect(metrics).toHaveAttribute('data-range', '24h');
  await expect(metrics).toHaveAttribute('data-step', '600');
  const since = Date.parse((await metrics.getAttribute('data-since')) ?? '');
  expect(Date.now() - since).toBeGreaterThan(23.8 * 3600 * 1000);
  expect(Date.now() - since).toBeLessThan(24 * 3600 * 1000);
  // Everything this file sent (300 + 20 + 20 + 100 requests and more) is inside the day.
  const total = async () =>
    (await page.getByTestId('traffic-total').evaluateAll((r) => r.map((row) => Number(row.getAttribute('data-requests'))))).reduce((a, b) => a + b, 0);
  expect(await total()).toBeGreaterThanOrEqual(440);
  await expect(page.getByTestId('traffic-chart')).toHaveCount(3);
  await expectNoAxeViolations(page);

  await page.reload();
  await expect(page.getByTestId('metrics-range').getByRole('button', { name: 'Last 24 h' })).toHaveAttribute('aria-pressed', 'true');
  await expect(metrics).toHaveAttribute('data-step', '600');

  await page.getByTestId('metrics-range').getByRole('button', { name: 'Last 5 min' }).click();
  await expect(metrics).toHaveAttribute('data-range', '5m');
  await expect(metrics).toHaveAttribute('data-step', '10');
  const recent = Date.parse((await metrics.getAttribute('data-since')) ?? '');
  expect(Date.now() - recent).toBeLessThan(5 * 60 * 1000 + 15_000);
  await expect.poll(total, { timeout: 30_000 }).toBeGreaterThanOrEqual(10);
});

test('a viewer sees the deployment, its traffic and history, and no action', async ({ page }) => {
  const viewer = await api.tokens.create({ name: `e2e-deployments-viewer-${suffix}`, role: 'viewer' });
  await page.goto(`/login?next=/deployments/${NAME}`);
  await page.getByLabel('API token').fill(viewer.token);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByTestId('identity-role')).toHaveText('viewer');
  await expect(page.getByTestId('deployment')).toBeVisible();
  await expect(page.getByTestId('revision-row').first()).toBeVisible();
  await expect(page.getByTestId('actions-read-only')).toBeVisible();
  await expect(page.getByTestId('deployment-actions')).toHaveCount(0);
  await expect(page.getByRole('button', { name: /Roll back|Promote|Start canary|Set shadow|Abort|Edit settings|Delete/ })).toHaveCount(0);
  await expect(page.getByTestId('deployment-settings')).toHaveCount(0);
  // Reading is not acting: a viewer still picks the charts' range.
  await page.getByTestId('metrics-range').getByRole('button', { name: 'Last 1 h' }).click();
  await expect(page.getByTestId('traffic-metrics')).toHaveAttribute('data-step', '30');
  await page.goto('/deployments');
  await expect(page.getByRole('link', { name: 'New deployment' })).toHaveCount(0);
  await page.goto('/deployments/new');
  await expect(page.getByTestId('deploy-read-only')).toBeVisible();
  await expectNoAxeViolations(page);
});
