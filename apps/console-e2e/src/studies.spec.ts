import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page, type TestInfo } from '@playwright/test';
import { randomUUID } from 'node:crypto';
import type { SlipwayClient } from '@slipway/client';
import {
  tuningStudyDetailSchema,
  tuningStudySchema,
  type CreateStudyRequestInput,
  type DatasetView,
  type TuningStudyDetail,
  type TuningStudyView,
} from '@slipway/contracts';
import { connectApi } from './support/slipway-api';

// Journey 3 ("Launch tuning runs") through the console: on breast_cancer, set up a TPE study over CART's depth,
// criterion and (only for entropy) leaf size with 3-fold CV and the median rule, watch the platform's worker run its six trials to
// COMPLETED, read the trials table and the four charts against the API's own answer, and register the best trial;
// then stop and resume a second study from its page, and what a viewer sees (everything, no controls).

const suffix = randomUUID().slice(0, 8);
const MODEL = `bc-study-${suffix}`;
let api: SlipwayClient;
let breastCancer: DatasetView;
/** A study with a big budget, stopped and resumed by the second test (stopped again after all). */
let longStudyId: string | undefined;

async function getStudy(id: string): Promise<TuningStudyDetail> {
  return api.parseBody(tuningStudyDetailSchema, await api.send(`/api/v1/studies/${id}`, { method: 'GET' }));
}

async function createStudy(body: CreateStudyRequestInput): Promise<TuningStudyView> {
  const response = await api.send('/api/v1/studies', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return api.parseBody(tuningStudySchema, response);
}

async function waitForStudy(id: string, done: (study: TuningStudyDetail) => boolean, timeoutMs = 90_000): Promise<TuningStudyDetail> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const study = await getStudy(id);
    if (done(study)) return study;
    if (Date.now() > deadline) throw new Error(`study ${id} is still ${study.status} (${JSON.stringify(study.counts)}) after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

test.beforeAll(async () => {
  api = await connectApi();
  breastCancer = await api.datasets.createSample('breast_cancer');
});

test.afterAll(async () => {
  if (longStudyId)
    await api
      ?.send(`/api/v1/studies/${longStudyId}/stop`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' })
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

const row = (page: Page, param: string) => page.locator(`[data-testid="dimension-row"][data-param="${param}"]`);
const problem = (page: Page, field: string) => page.locator(`[data-testid="field-problem"][data-field="${field}"]`);

async function addParameter(page: Page, param: string): Promise<void> {
  await page.getByLabel('Parameter to add').selectOption(param);
  await page.getByRole('button', { name: 'Add parameter' }).click();
  await expect(row(page, param)).toBeVisible();
}

test('on breast_cancer, run a TPE study over CART with 3-fold CV to COMPLETED, read its trials and charts, register the best trial', async ({
  page,
}, testInfo) => {
  test.setTimeout(240_000);
  const name = `bc-cart-tpe-${suffix}`;
  await page.goto('/');
  await page.getByRole('navigation').getByRole('link', { name: 'Studies', exact: true }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Studies' })).toBeVisible();
  await page.getByRole('link', { name: 'New study' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'New study' })).toBeVisible();

  await page.getByLabel('Dataset', { exact: true }).selectOption(breastCancer.id);
  await expect(page.getByLabel('Target column')).toHaveValue(breastCancer.targetColumn ?? '');
  await page.getByRole('combobox', { name: 'Algorithm' }).selectOption('cart');

  // Nothing to search yet: the submit is refused on the form, naming what is missing, and nothing is sent.
  await page.getByRole('button', { name: 'Start study' }).click();
  await expect(page.getByTestId('new-study-message')).toHaveAttribute('data-state', 'invalid');
  await expect(problem(page, 'name')).toHaveText('name the study');
  await expect(problem(page, 'searchSpace')).toHaveText('add at least one parameter to search over');
  await expect(page.getByLabel('Study name')).toBeFocused();
  await page.getByLabel('Study name').fill(name);

  // The parameters come from CART's JSON Schema: an integer range inside its bounds, the enum's values as tags.
  await addParameter(page, 'maxDepth');
  await expect(row(page, 'maxDepth')).toHaveAttribute('data-type', 'int');
  await row(page, 'maxDepth').getByLabel('Low', { exact: true }).fill('9');
  await row(page, 'maxDepth').getByLabel('High', { exact: true }).fill('3');
  // The contract's own rule, on the field it names.
  await expect(problem(page, 'searchSpace.maxDepth.high')).toHaveText('low must be ≤ high');
  await row(page, 'maxDepth').getByLabel('Low', { exact: true }).fill('0');
  await expect(problem(page, 'searchSpace.maxDepth.low')).toHaveText('maxDepth must be at least 1');
  await row(page, 'maxDepth').getByLabel('Low', { exact: true }).fill('2');
  await row(page, 'maxDepth').getByLabel('High', { exact: true }).fill('8');
  await expect(problem(page, 'searchSpace.maxDepth.high')).toHaveCount(0);
  await expect(problem(page, 'searchSpace.maxDepth.low')).toHaveCount(0);

  await addParameter(page, 'criterion');
  await expect(row(page, 'criterion')).toHaveAttribute('data-type', 'categorical');
  await expect(row(page, 'criterion').getByTestId('choice-tag')).toHaveText(['gini×', 'entropy×', 'squared_error×']);
  // What only the API checks (one study optimises one task: gini/entropy or squared_error) comes back as its 400,
  // shown on the field it names; nothing is created.
  await page.getByRole('button', { name: 'Start study' }).click();
  await expect(page.getByTestId('new-study-message')).toContainText('HTTP 400 INVALID_ARGUMENT');
  await expect(problem(page, 'searchSpace.criterion')).toHaveText('every choice must give the same task');
  await expect(row(page, 'criterion').getByLabel('Parameter', { exact: true })).toBeFocused();
  await expect(page).toHaveURL(/\/studies\/new$/);
  await row(page, 'criterion').getByRole('button', { name: 'Remove choice squared_error of criterion' }).click();
  await expect(problem(page, 'searchSpace.criterion')).toHaveCount(0);
  await expect(row(page, 'criterion').getByTestId('choice-tag')).toHaveCount(2);

  // A conditional dimension: leaf size is searched only for entropy trees.
  await addParameter(page, 'minSamplesLeaf');
  await row(page, 'minSamplesLeaf').getByLabel('Low', { exact: true }).fill('1');
  await row(page, 'minSamplesLeaf').getByLabel('High', { exact: true }).fill('20');
  await row(page, 'minSamplesLeaf').getByLabel('Only when').selectOption('criterion');
  await expect(problem(page, 'searchSpace.minSamplesLeaf.when.in')).toBeVisible();
  await row(page, 'minSamplesLeaf').getByLabel('entropy').check();
  await expect(problem(page, 'searchSpace.minSamplesLeaf.when.in')).toHaveCount(0);

  await expect(page.getByLabel('Strategy', { exact: true })).toHaveValue('tpe');
  await page.getByLabel('Startup trials').fill('3');
  // The objective's metrics are the classification ones; f1 is maximised by default.
  await page.getByLabel('Objective metric').selectOption('f1');
  await expect(page.getByRole('radio', { name: 'maximize' })).toBeChecked();
  await page.getByLabel('Objective metric').selectOption('log_loss');
  await expect(page.getByRole('radio', { name: 'minimize' })).toBeChecked();
  await page.getByLabel('Objective metric').selectOption('f1');
  await expect(page.getByLabel('k-fold cross-validation')).toBeChecked();
  await page.getByLabel('Folds').fill('3');
  await page.getByLabel('Max trials').fill('6');
  await page.getByLabel('Parallelism').fill('2');
  await page.getByLabel('Seed (optional)').fill('7');
  // The median rule on the folds' running mean: every trial reports its folds, and the chart draws them.
  await page.getByLabel('Median rule').check();
  await page.getByLabel('Min trials').fill('0');
  await expect(problem(page, 'earlyStopping.minTrials')).toHaveText('must be at least 1');
  await page.getByLabel('Min trials').fill('2');
  await expect(page.getByLabel('Warm-up steps')).toHaveValue('0');
  await expect(page.getByTestId('field-problem')).toHaveCount(0);
  await expectNoAxeViolations(page);
  await shoot(page, testInfo, 'new-study');

  await page.getByRole('button', { name: 'Start study' }).click();
  await expect(page).toHaveURL(/\/studies\/[0-9a-f-]{36}$/);
  const studyId = page.url().split('/').pop() ?? '';
  await expect(page.getByRole('heading', { level: 1, name })).toBeVisible();
  const created = await getStudy(studyId);
  expect(created.searchSpace).toEqual({
    maxDepth: { type: 'int', low: 2, high: 8, log: false },
    criterion: { type: 'categorical', choices: ['gini', 'entropy'] },
    minSamplesLeaf: { type: 'int', low: 1, high: 20, log: false, when: { param: 'criterion', in: ['entropy'] } },
  });
  expect(created).toMatchObject({
    strategy: 'tpe',
    sampler: { startupTrials: 3 },
    objective: { metric: 'f1', direction: 'maximize' },
    maxTrials: 6,
    parallelism: 2,
    seed: 7,
  });
  expect(created.evaluationPlan).toMatchObject({ kind: 'kfold', folds: 3 });
  expect(created.earlyStopping).toEqual({ rule: 'median', warmupSteps: 0, minTrials: 2, intervalSteps: 1 });

  // The page follows the study by itself: no reload between the first trial and the last.
  await page.evaluate(() => Object.assign(window, { slipwayE2eMarker: true }));
  await expect(page.getByTestId('study')).toHaveAttribute('data-status', 'COMPLETED', { timeout: 180_000 });
  expect(await page.evaluate(() => (window as unknown as { slipwayE2eMarker?: boolean }).slipwayE2eMarker)).toBe(true);
  await expect(page.getByTestId('study-freshness')).toHaveAttribute('data-live', 'false');

  const study = await getStudy(studyId);
  expect(study.counts.total).toBe(6);
  expect(study.counts.completed).toBeGreaterThan(0);
  const completed = study.trials.filter((t) => t.status === 'COMPLETED');
  const withValue = study.trials.filter((t) => t.value !== null);
  await expect(page.getByTestId('study-progress').first()).toHaveAttribute(
    'data-done',
    String(study.counts.completed + study.counts.pruned + study.counts.failed),
  );
  await expect(page.getByTestId('trial-row')).toHaveCount(study.trials.length);
  await expect(page.locator('[data-testid="trial-row"][data-status="COMPLETED"]')).toHaveCount(completed.length);
  // A trial of a gini tree has no leaf size; one of an entropy tree has one within the range.
  for (const trial of study.trials) {
    const cells = page.locator(`[data-testid="trial-row"][data-trial="${trial.number}"]`);
    await expect(cells.locator('[data-param="criterion"]')).toHaveText(String(trial.params['criterion']));
    const leaf = trial.params['minSamplesLeaf'];
    await expect(cells.locator('[data-param="minSamplesLeaf"]')).toHaveText(leaf === undefined ? '—' : String(leaf));
    if (trial.params['criterion'] === 'gini') expect(leaf).toBeUndefined();
  }

  // The best so far, with its run.
  const best = study.best;
  if (!best) throw new Error('the completed study has no best trial');
  await expect(page.getByTestId('study-best')).toHaveAttribute('data-trial', String(best.number));
  expect(Math.max(...completed.map((t) => t.value ?? Number.NEGATIVE_INFINITY))).toBe(best.value);
  if (best.runId) await expect(page.getByTestId('best-run-link')).toHaveAttribute('href', `/runs/${best.runId}`);
  await expect(page.locator('[data-testid="trial-row"][data-best="true"]')).toHaveAttribute('data-trial', String(best.number));

  // Sorting by the objective puts the best first (maximised: descending), then by state.
  await page.getByRole('button', { name: /^f1/ }).click();
  await expect(page.getByTestId('trials-table')).toHaveAttribute('data-sort', 'value:desc');
  await expect(page.getByTestId('trial-row').first()).toHaveAttribute('data-best', 'true');
  await page.getByRole('button', { name: /^State/ }).click();
  await expect(page.getByTestId('trials-table')).toHaveAttribute('data-sort', 'status:asc');

  // The charts, each with what the API's trials say it should draw.
  await expect(page.getByRole('img', { name: /^f1 of \d+ trials by trial number/ })).toBeVisible();
  await expect(page.getByTestId('history-point')).toHaveCount(withValue.length);
  await expect(page.getByTestId('history-best-line')).toBeVisible();
  await expect(page.getByTestId('parallel-chart')).toHaveAttribute('data-lines', String(completed.length));
  await expect(page.getByTestId('parallel-line')).toHaveCount(completed.length);
  await expect(page.getByTestId('parallel-axis')).toHaveCount(4);
  await expect(page.locator('[data-testid="parallel-axis"][data-axis="criterion"]')).toHaveAttribute('data-scale', 'categorical');
  await expect(page.locator('[data-testid="parallel-axis"][data-axis="maxDepth"]')).toHaveAttribute('data-scale', 'linear');
  await expect(page.getByRole('img', { name: new RegExp(`^${completed.length} completed trials across .*f1 \\(linear\\)`) })).toBeVisible();
  await expect(page.getByTestId('importance-bar')).toHaveCount(study.importance.filter((r) => Number.isFinite(r.importance)).length);
  // Each trial reported its folds' running mean (3 steps unless it was pruned before the last); pruned ones are dashed.
  const reporting = study.trials.filter((t) => t.intermediateValues.length > 0);
  expect(reporting.length).toBe(study.trials.length);
  for (const t of completed) expect(t.intermediateValues.map((p) => p.step)).toEqual([1, 2, 3]);
  await expect(page.getByTestId('intermediate-curve')).toHaveCount(reporting.length);
  await expect(page.locator('[data-testid="intermediate-curve"][data-pruned="true"]')).toHaveCount(reporting.filter((t) => t.status === 'PRUNED').length);
  await expect(page.getByRole('img', { name: `f1 by step for ${reporting.length} trials, ${study.counts.pruned} of them pruned (dashed)` })).toBeVisible();
  await expectNoAxeViolations(page);
  await shoot(page, testInfo, 'study-completed');

  // A trial's run is one click away.
  const firstWithRun = study.trials.find((t) => t.runId !== null);
  if (firstWithRun)
    await expect(page.getByRole('link', { name: `Run of trial ${firstWithRun.number}` })).toHaveAttribute('href', `/runs/${firstWithRun.runId}`);

  // Register the best trial's model, and find it on the model page.
  await page.getByLabel('Model', { exact: true }).fill(MODEL);
  await page.getByLabel('Alias (optional)').fill('challenger');
  await page.getByRole('button', { name: 'Register best' }).click();
  const registered = page.getByTestId('registered-version');
  await expect(registered).toHaveAttribute('data-model', MODEL);
  const version = Number(await registered.getAttribute('data-version'));
  expect((await getStudy(studyId)).registeredVersion).toEqual({ model: MODEL, version });
  await page.getByTestId('model-version-link').click();
  await expect(page.getByRole('heading', { level: 1, name: MODEL })).toBeVisible();
  await expect(page.locator('[data-testid="alias-row"][data-alias="challenger"]')).toHaveAttribute('data-version', String(version));

  // The list shows it with its progress and best value, and the status filter keeps it.
  await page.goto('/studies?status=COMPLETED');
  const listed = page.locator(`[data-testid="study-row"][data-study-id="${studyId}"]`);
  await expect(listed).toHaveAttribute('data-status', 'COMPLETED');
  await expect(listed.getByTestId('study-progress')).toHaveAttribute('data-done', '6');
  await expect(listed.getByRole('progressbar')).toHaveAttribute('aria-valuenow', '6');
  await expect(listed.getByTestId('study-best')).not.toHaveText('—');
  await page.goto('/studies?status=FAILED');
  await expect(page.locator(`[data-testid="study-row"][data-study-id="${studyId}"]`)).toHaveCount(0);
  await expectNoAxeViolations(page);
});

test('stop a running study from its page (after a confirmation), then resume it with a new budget', async ({ page }, testInfo) => {
  test.setTimeout(180_000);
  const long = await createStudy({
    name: `bc-random-long-${suffix}`,
    datasetId: breastCancer.id,
    algorithm: 'cart',
    searchSpace: { maxDepth: { type: 'int', low: 1, high: 30 }, minSamplesSplit: { type: 'int', low: 2, high: 40 } },
    strategy: 'random',
    objective: { metric: 'accuracy', direction: 'maximize' },
    evaluationPlan: { kind: 'kfold', folds: 3 },
    maxTrials: 500,
    parallelism: 1,
    seed: 11,
  });
  longStudyId = long.id;
  await waitForStudy(long.id, (s) => s.status === 'RUNNING' && s.counts.total >= 1);

  await page.goto(`/studies/${long.id}`);
  await expect(page.getByTestId('study')).toHaveAttribute('data-status', 'RUNNING');
  await expect(page.getByTestId('study-freshness')).toHaveAttribute('data-live', 'true');
  await page.getByRole('button', { name: 'Stop study' }).click();
  await expect(page.getByTestId('stop-confirm')).toContainText('Queued trials are cancelled');
  await page.getByLabel('Reason (optional)').fill('e2e: enough trials');
  await page.getByRole('button', { name: 'Confirm stop' }).click();
  await expect(page.getByTestId('study')).toHaveAttribute('data-status', 'STOPPED', { timeout: 60_000 });
  await expect(page.getByTestId('study-freshness')).toHaveAttribute('data-live', 'false');
  const stopped = await getStudy(long.id);
  expect(stopped.status).toBe('STOPPED');
  expect(stopped.counts.running + stopped.counts.queued).toBe(0);
  await shoot(page, testInfo, 'study-stopped');

  // Resume with a budget just above what was done: the study runs again and ends COMPLETED at it.
  const budget = stopped.counts.total + 1;
  await page.getByLabel('New max trials (optional)').fill(String(budget));
  await page.getByRole('button', { name: 'Resume study' }).click();
  await expect(page.getByTestId('study')).toHaveAttribute('data-status', /RUNNING|COMPLETED/);
  await expect(page.getByTestId('study')).toHaveAttribute('data-status', 'COMPLETED', { timeout: 90_000 });
  const resumed = await getStudy(long.id);
  expect(resumed.maxTrials).toBe(budget);
  expect(resumed.counts.total).toBe(budget);
  await expect(page.getByTestId('trial-row')).toHaveCount(budget);
  longStudyId = undefined;
});

test('a viewer sees studies, trials and charts and no control to start, stop, resume or register; an unknown study is not found', async ({ page }) => {
  test.setTimeout(120_000);
  const viewed = await createStudy({
    name: `bc-grid-viewer-${suffix}`,
    datasetId: breastCancer.id,
    algorithm: 'cart',
    searchSpace: { maxDepth: { type: 'int', low: 2, high: 3 } },
    strategy: 'grid',
    objective: { metric: 'accuracy', direction: 'maximize' },
    evaluationPlan: { kind: 'split', testFraction: 0.25 },
    maxTrials: 2,
  });
  const done = await waitForStudy(viewed.id, (s) => s.status === 'COMPLETED');

  const viewer = await api.tokens.create({ name: `e2e-studies-viewer-${suffix}`, role: 'viewer' });
  await page.goto('/login?next=/studies');
  await page.getByLabel('API token').fill(viewer.token);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).toHaveURL(/\/studies$/);
  await expect(page.getByTestId('identity-role')).toHaveText('viewer');
  await expect(page.getByTestId('studies-read-only')).toContainText('viewer');
  await expect(page.getByRole('link', { name: 'New study' })).toHaveCount(0);

  await page.locator(`[data-testid="study-row"][data-study-id="${viewed.id}"]`).getByRole('link', { name: viewed.name }).click();
  await expect(page.getByTestId('study')).toHaveAttribute('data-status', 'COMPLETED');
  await expect(page.getByTestId('trial-row')).toHaveCount(done.trials.length);
  await expect(page.getByTestId('history-point')).toHaveCount(done.trials.filter((t) => t.value !== null).length);
  await expect(page.getByTestId('study-controls')).toHaveCount(0);
  for (const name of ['Stop study', 'Resume study', 'Start study', 'Register best']) await expect(page.getByRole('button', { name })).toHaveCount(0);
  await expect(page.getByTestId('register-best-read-only')).toContainText('needs an editor or admin token');

  await page.goto('/studies/new');
  await expect(page.getByTestId('new-study-read-only')).toContainText('viewer');

  await page.goto(`/studies/${randomUUID()}`);
  await expect(page.getByTestId('study-not-found')).toContainText('Study not found');
});
