import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page, type TestInfo } from '@playwright/test';
import { randomUUID } from 'node:crypto';
import type { SlipwayClient } from '@slipway/client';
import { trainingJobSchema, type CreateTrainingJobRequestInput, type DatasetView, type TrainingJobView } from '@slipway/contracts';
import { connectApi } from './support/slipway-api';

// Journey 1 ("Train and register") through the console: pick iris, train CART with 5-fold CV on the platform's
// worker, watch it finish, register it as iris-model@challenger and find it on the model page; then what a viewer
// sees of jobs (everything, and no control to start, cancel or register), and cancelling a job while it trains.

const suffix = randomUUID().slice(0, 8);
const MODEL = 'iris-model';
let api: SlipwayClient;
let iris: DatasetView;
/** A job that trains long enough to be watched and cancelled (the viewer and cancel tests). */
let longJobId: string | undefined;

async function getJob(id: string): Promise<TrainingJobView> {
  return api.parseBody(trainingJobSchema, await api.send(`/api/v1/training-jobs/${id}`, { method: 'GET' }));
}

async function createJob(body: CreateTrainingJobRequestInput): Promise<TrainingJobView> {
  const response = await api.send('/api/v1/training-jobs', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return api.parseBody(trainingJobSchema, response);
}

async function waitForJob(id: string, done: (job: TrainingJobView) => boolean, timeoutMs = 90_000): Promise<TrainingJobView> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const job = await getJob(id);
    if (done(job)) return job;
    if (Date.now() > deadline) throw new Error(`job ${id} is still ${job.status} after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

test.beforeAll(async () => {
  api = await connectApi();
  iris = await api.datasets.createSample('iris');
});

test.afterAll(async () => {
  if (longJobId)
    await api
      ?.send(`/api/v1/training-jobs/${longJobId}/cancel`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' })
      .catch(() => undefined);
  // Leave no model behind for the counts other specs read.
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

test('pick iris, train CART with 5-fold CV, watch it finish, register it as iris-model@challenger, see it on the model page', async ({ page }, testInfo) => {
  test.setTimeout(180_000);
  await page.goto('/');
  await page.getByRole('navigation').getByRole('link', { name: 'Training', exact: true }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Training' })).toBeVisible();
  await page.getByRole('link', { name: 'New job' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'New training job' })).toBeVisible();

  await page.getByLabel('Dataset', { exact: true }).selectOption(iris.id);
  await expect(page.getByLabel('Target column')).toHaveValue(iris.targetColumn ?? '');
  await page.getByRole('combobox', { name: 'Algorithm' }).selectOption('cart');
  // The hyper-parameter fields come from CART's JSON Schema, with its defaults filled in.
  const hyperparameters = page.getByTestId('hyperparameters');
  await expect(hyperparameters).toHaveAttribute('data-algorithm', 'cart');
  await expect(hyperparameters.getByLabel('Criterion')).toHaveValue('gini');
  await expect(hyperparameters.getByLabel('Min samples split')).toHaveValue('2');
  // integer | null, null by default: the "none" option.
  await expect(hyperparameters.getByLabel('Max depth', { exact: true }).locator('option:checked')).toHaveText('none');

  // Inline validation from the schema's bounds, before anything is sent.
  await hyperparameters.getByLabel('Min samples split').fill('1');
  await expect(page.locator('[data-testid="field-problem"][data-field="hyperparameters.minSamplesSplit"]')).toHaveText('must be at least 2');
  await page.getByRole('button', { name: 'Start training' }).click();
  await expect(page.getByTestId('new-job-message')).toHaveAttribute('data-state', 'invalid');
  await expect(hyperparameters.getByLabel('Min samples split')).toBeFocused();
  await expect(page).toHaveURL(/\/training\/new/);
  await hyperparameters.getByLabel('Min samples split').fill('2');
  await expect(page.getByTestId('field-problem')).toHaveCount(0);

  await page.getByLabel('k-fold cross-validation').check();
  await expect(page.getByLabel('Folds')).toHaveValue('5');
  await page.getByLabel('Run name').fill(`iris-cart-${suffix}`);
  await expectNoAxeViolations(page);
  await shoot(page, testInfo, 'new-job');

  await page.getByRole('button', { name: 'Start training' }).click();
  await expect(page).toHaveURL(/\/training\/[0-9a-f-]{36}$/);
  const jobId = page.url().split('/').pop() ?? '';
  await expect(page.getByRole('heading', { level: 1, name: `iris-cart-${suffix}` })).toBeVisible();

  // The page follows the job by itself: no reload between queued and done.
  await page.evaluate(() => Object.assign(window, { slipwayE2eMarker: true }));
  await expect(page.getByTestId('training-job')).toHaveAttribute('data-status', 'SUCCEEDED', { timeout: 120_000 });
  expect(await page.evaluate(() => (window as unknown as { slipwayE2eMarker?: boolean }).slipwayE2eMarker)).toBe(true);
  await expect(page.getByTestId('job-freshness')).toHaveAttribute('data-live', 'false');

  // The evaluation, as the job stored it.
  const job = await getJob(jobId);
  const evaluation = job.evaluation;
  if (!evaluation) throw new Error('the succeeded job has no evaluation');
  expect(evaluation.plan).toBe('kfold');
  await expect(page.locator('[data-testid="evaluation-metric"][data-metric="accuracy"]')).toBeVisible();
  await expect(page.getByTestId('cv-fold-row')).toHaveCount(5);
  await expect(page.getByTestId('cv-mean-row')).toContainText('±');
  // Iris's three classes, named as the label map keeps them.
  const labels = evaluation.confusionMatrix?.labels ?? [];
  expect(labels).toHaveLength(3);
  await expect(page.getByTestId('confusion-cell')).toHaveCount(9);
  for (const label of labels) {
    await expect(page.getByTestId('confusion-matrix').getByRole('columnheader', { name: label, exact: true })).toBeVisible();
  }
  // Curves and importances are drawn exactly when the evaluation carries them.
  await expect(page.getByTestId('roc-chart')).toHaveCount(evaluation.curves && evaluation.curves.roc.length > 0 ? 1 : 0);
  if (evaluation.curves && evaluation.curves.roc.length > 0) {
    await expect(page.getByTestId('roc-chart')).toHaveAttribute('data-lines', String(evaluation.curves.roc.length));
    await expect(page.locator('[data-testid="roc-chart"] .recharts-wrapper > svg.recharts-surface')).toBeVisible();
  }
  await expect(page.getByTestId('importance-row')).toHaveCount(
    (evaluation.featureImportance?.impurity?.length ?? 0) + (evaluation.featureImportance?.permutation?.features.length ?? 0),
  );
  await expect(page.locator('[data-testid="attempt-row"][data-outcome="SUCCEEDED"]')).toHaveCount(1);
  await expect(page.getByTestId('job-result')).toContainText(job.result?.workerId ?? 'no worker');
  await expectNoAxeViolations(page);
  await shoot(page, testInfo, 'job-succeeded');

  // Register, with a confirmation step that says what it will do.
  await page.getByLabel('Model', { exact: true }).fill(MODEL);
  await page.getByLabel('Alias (optional)').fill('challenger');
  await page.getByRole('button', { name: 'Register', exact: true }).click();
  await expect(page.getByTestId('register-confirm')).toContainText(`next version of ${MODEL} and points challenger at it`);
  await page.getByRole('button', { name: `Confirm: register as ${MODEL}@challenger` }).click();
  const registered = page.getByTestId('registered-version');
  await expect(registered).toHaveAttribute('data-model', MODEL);
  const version = Number(await registered.getAttribute('data-version'));
  expect((await getJob(jobId)).modelVersion).toEqual({ model: MODEL, version });
  await shoot(page, testInfo, 'job-registered');

  await page.getByTestId('model-version-link').click();
  await expect(page.getByRole('heading', { level: 1, name: MODEL })).toBeVisible();
  await expect(page.locator(`[data-testid="version-row"][data-version="${version}"]`)).toBeVisible();
  await expect(page.locator('[data-testid="alias-row"][data-alias="challenger"]')).toHaveAttribute('data-version', String(version));
  await expect(page.locator(`[data-testid="version-row"][data-version="${version}"] [data-alias="challenger"]`)).toBeVisible();
  await shoot(page, testInfo, 'model-page');

  // Back on the job, the alias can be moved onto this version from there too.
  await page.goto(`/training/${jobId}`);
  await page.getByLabel('Alias to move here').fill('champion');
  await page.getByRole('button', { name: 'Move alias' }).click();
  await expect(page.getByTestId('move-alias-message')).toHaveText(`champion now points at version ${version}.`);
  expect((await api.aliases.get(MODEL, 'champion')).version).toBe(version);

  // The jobs list shows it, filtered by status too.
  await page.goto('/training?status=SUCCEEDED');
  const row = page.locator(`[data-testid="job-row"][data-job-id="${jobId}"]`);
  await expect(row).toHaveAttribute('data-status', 'SUCCEEDED');
  await expect(row).toContainText(`${MODEL} v${version}`);
  await expect(row.getByTestId('job-attempts')).toHaveText('1/' + String(job.maxAttempts));
  await page.goto('/training?status=FAILED');
  await expect(page.locator(`[data-testid="job-row"][data-job-id="${jobId}"]`)).toHaveCount(0);
  await expectNoAxeViolations(page);
});

test('a viewer sees the jobs, the live run and the evaluation, and no control to start, cancel or register', async ({ page }, testInfo) => {
  test.setTimeout(180_000);
  // An unregistered succeeded job, for the viewer's (absent) register control; first, as one worker may take one job at a time.
  const done = await createJob({ datasetId: iris.id, algorithm: 'cart', name: `iris-holdout-${suffix}` });
  await waitForJob(done.id, (j) => j.status === 'SUCCEEDED');
  // A network that trains for a long while, so it is still running while the viewer looks (cancelled by the next test).
  const regression = await api.datasets.createSample('regression_20k');
  const long = await createJob({
    datasetId: regression.id,
    algorithm: 'nn-regression',
    hyperparameters: { epochs: 10_000, batchSize: 32, earlyStopping: null },
    name: `long-nn-${suffix}`,
  });
  longJobId = long.id;
  await waitForJob(long.id, (j) => j.status === 'RUNNING' && (j.progress?.epoch ?? 0) >= 1);

  const viewer = await api.tokens.create({ name: `e2e-training-viewer-${suffix}`, role: 'viewer' });
  await page.goto('/login?next=/training');
  await page.getByLabel('API token').fill(viewer.token);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).toHaveURL(/\/training$/);
  await expect(page.getByTestId('identity-role')).toHaveText('viewer');
  await expect(page.getByTestId('training-read-only')).toBeVisible();
  await expect(page.getByRole('link', { name: 'New job' })).toHaveCount(0);
  await expect(page.locator(`[data-testid="job-row"][data-job-id="${long.id}"]`)).toHaveAttribute('data-status', 'RUNNING');
  await expect(page.getByTestId('jobs-freshness')).toHaveAttribute('data-live', 'true');

  await page.goto('/training/new');
  await expect(page.getByTestId('new-job-read-only')).toBeVisible();
  await expect(page.getByRole('button', { name: 'Start training' })).toHaveCount(0);

  await page.goto(`/training/${long.id}`);
  await expect(page.getByTestId('training-job')).toHaveAttribute('data-status', 'RUNNING');
  await expect(page.getByTestId('job-progress')).toContainText('epoch');
  await expect(page.locator('[data-testid="metric-chart"][data-metric="loss"] .recharts-wrapper > svg.recharts-surface')).toBeVisible({ timeout: 30_000 });
  await expect(page.getByRole('button', { name: 'Cancel job' })).toHaveCount(0);
  await shoot(page, testInfo, 'viewer-running-job');

  await page.goto(`/training/${done.id}`);
  await expect(page.getByTestId('training-job')).toHaveAttribute('data-status', 'SUCCEEDED');
  await expect(page.getByTestId('evaluation')).toBeVisible();
  await expect(page.getByTestId('register-read-only')).toBeVisible();
  await expect(page.getByRole('button', { name: 'Register', exact: true })).toHaveCount(0);
  await expectNoAxeViolations(page);
});

test('cancel a running job from its page: it stops within seconds and registers nothing', async ({ page }, testInfo) => {
  test.setTimeout(120_000);
  if (!longJobId) throw new Error('the viewer test did not start the long job');
  await page.goto(`/training/${longJobId}`);
  await expect(page.getByTestId('training-job')).toHaveAttribute('data-status', 'RUNNING');
  await page.getByRole('button', { name: 'Cancel job' }).click();
  await page.getByLabel('Reason (optional)').fill('e2e: enough epochs');
  await page.getByRole('button', { name: 'Confirm cancel' }).click();
  // Asked for at once; the page then offers no second cancel while the worker stops.
  await expect(page.getByTestId('cancel-requested')).toBeVisible();
  await expect(page.getByRole('button', { name: 'Cancel job' })).toHaveCount(0);
  // The request reaches the training loop with the worker's next heartbeat; the worker's process spec times that.
  // Here the bound only has to outlast a shared CI machine whose database connections queue behind the training.
  await expect(page.getByTestId('training-job')).toHaveAttribute('data-status', 'CANCELLED', { timeout: 60_000 });
  await expect(page.getByRole('button', { name: 'Cancel job' })).toHaveCount(0);
  const job = await getJob(longJobId);
  expect(job.status).toBe('CANCELLED');
  expect(job.modelVersion).toBeNull();
  await expect(page.locator('[data-testid="attempt-row"][data-outcome="CANCELLED"]')).toHaveCount(1);
  await shoot(page, testInfo, 'job-cancelled');
});
