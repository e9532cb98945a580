import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page, type TestInfo } from '@playwright/test';
import { randomUUID } from 'node:crypto';
import type { SlipwayClient } from '@slipway/client';
import { connectApi } from './support/slipway-api';

// Journey 2 ("Compare") through the console: versions registered through the API from two tracked runs,
// compared side by side, then `champion` moved in the UI; and the same pages for a read-only token.

interface RunSpec {
  name: string;
  params: Record<string, string>;
  /** Per-step values; the last one is the run's final value. */
  history: Record<string, number[]>;
  evaluation: { rocY: number[]; auc: number; matrix: number[][] };
}

const runs: RunSpec[] = [
  {
    name: 'cart-gini',
    params: { criterion: 'gini', maxDepth: '4', seed: '7' },
    history: { accuracy: [0.61, 0.7, 0.76, 0.8, 0.82], loss: [0.9, 0.7, 0.55, 0.46, 0.41] },
    evaluation: {
      rocY: [0, 0.55, 0.78, 0.9, 1],
      auc: 0.84,
      matrix: [
        [40, 10],
        [8, 42],
      ],
    },
  },
  {
    name: 'cart-entropy',
    params: { criterion: 'entropy', maxDepth: '4', seed: '7' },
    history: { accuracy: [0.66, 0.78, 0.85, 0.89, 0.91], loss: [0.85, 0.6, 0.42, 0.31, 0.26] },
    evaluation: {
      rocY: [0, 0.7, 0.88, 0.96, 1],
      auc: 0.92,
      matrix: [
        [46, 4],
        [5, 45],
      ],
    },
  },
];

const suffix = randomUUID().slice(0, 8);
const modelName = `e2e-fraud-${suffix}`;
let api: SlipwayClient;
let experimentId: string;
const runIds: string[] = [];

async function registerRun(spec: RunSpec): Promise<string> {
  const run = await api.runs.create({
    experimentId,
    name: spec.name,
    params: Object.entries(spec.params).map(([key, value]) => ({ key, value })),
  });
  const metrics = Object.entries(spec.history).flatMap(([key, values]) => values.map((value, step) => ({ key, value, step })));
  await api.runs.logBatch(run.id, { metrics, tags: { e2e: suffix } });
  await api.artifacts.uploadBytes(run.id, 'model.json', JSON.stringify({ kind: 'cart', criterion: spec.params.criterion }), {
    contentType: 'application/json',
  });
  await api.runs.end(run.id, 'FINISHED');
  const final = Object.fromEntries(Object.entries(spec.history).map(([key, values]) => [key, values[values.length - 1]]));
  await api.versions.create(modelName, {
    runId: run.id,
    artifactPath: 'model.json',
    algorithm: 'cart',
    evaluation: {
      metrics: final,
      roc: { x: [0, 0.1, 0.25, 0.5, 1], y: spec.evaluation.rocY, auc: spec.evaluation.auc },
      confusionMatrix: { labels: ['legit', 'fraud'], matrix: spec.evaluation.matrix },
    },
  });
  return run.id;
}

test.beforeAll(async () => {
  api = await connectApi();
  experimentId = (await api.experiments.create({ name: `e2e-registry-${suffix}` })).id;
  await api.models.create({ name: modelName, description: 'Fraud classifier (e2e)', tags: { team: 'risk' } });
  for (const spec of runs) runIds.push(await registerRun(spec));
  await api.aliases.set(modelName, 'champion', 1);
});

test.afterAll(async () => {
  // Leave nothing behind for the overview test's counts: the model goes with its versions and aliases.
  await api?.models.delete(modelName).catch(() => undefined);
});

async function shoot(page: Page, testInfo: TestInfo, name: string): Promise<void> {
  const path = testInfo.outputPath(`${name}.png`);
  await page.screenshot({ path, fullPage: true });
  await testInfo.attach(name, { path, contentType: 'image/png' });
}

async function openModel(page: Page): Promise<void> {
  await page.goto(`/models?search=${modelName}`);
  const row = page.locator(`[data-testid="model-row"][data-model="${modelName}"]`);
  await expect(row).toBeVisible();
  await expect(row.getByTestId('model-latest-version')).toContainText('v2');
  await expect(row.locator('[data-testid="alias-badge"][data-alias="champion"]')).toBeVisible();
  await row.getByRole('link', { name: modelName }).click();
  await expect(page.getByRole('heading', { level: 1, name: modelName })).toBeVisible();
  await expect(page.getByTestId('version-row')).toHaveCount(2);
}

test('compare two versions, then move champion from v1 to v2', async ({ page }, testInfo) => {
  await openModel(page);
  await expect(page.locator('[data-testid="version-row"][data-version="1"] [data-alias="champion"]')).toBeVisible();

  // Metric columns are chosen by the user and kept in the URL.
  await page.getByTestId('metric-column-picker').locator('summary').click();
  const picker = page.getByTestId('metric-column-picker');
  await expect(page.getByTestId('metric-column')).toHaveText(['accuracy', 'loss']);
  await picker.getByLabel('accuracy').uncheck();
  await expect(page).toHaveURL(/metrics=loss$/);
  await expect(page.getByTestId('metric-column')).toHaveText(['loss']);
  await picker.getByLabel('accuracy').check();
  await expect(page).toHaveURL(/metrics=loss(%2C|,)accuracy$/);
  await expect(page.getByTestId('metric-column')).toHaveText(['loss', 'accuracy']);
  // The columns survive a reload: they live in the URL.
  await page.reload();
  await expect(page.getByTestId('metric-column')).toHaveText(['loss', 'accuracy']);
  await shoot(page, testInfo, 'model-versions');

  await page.getByLabel('Select version 1').check();
  await page.getByLabel('Select version 2').check();
  await page.getByRole('button', { name: 'Compare selected (2)' }).click();
  await expect(page).toHaveURL(/\/compare\?v=.*%3A1&v=.*%3A2/);
  await expect(page.getByRole('heading', { level: 1, name: 'Compare versions' })).toBeVisible();

  // Params: the one that differs is marked, the shared ones are not.
  await expect(page.locator('[data-testid="param-row"][data-param="criterion"]')).toHaveAttribute('data-differs', 'true');
  await expect(page.locator('[data-testid="param-row"][data-param="criterion"] [data-testid="param-differs"]')).toBeVisible();
  await expect(page.locator('[data-testid="param-row"][data-param="maxDepth"]')).toHaveAttribute('data-differs', 'false');

  // Metrics: v2 is best on accuracy (higher) and loss (lower).
  for (const metric of ['accuracy', 'loss']) {
    const row = page.locator(`[data-testid="metric-row"][data-metric="${metric}"]`);
    await expect(row.locator('td[data-item="1"]')).toHaveAttribute('data-best', 'true');
    await expect(row.locator('td[data-item="0"]')).toHaveAttribute('data-best', 'false');
  }

  // Charts drawn by recharts: one per metric history, plus the ROC chart; a confusion matrix per version.
  await expect(page.locator('[data-testid="metric-chart"][data-metric="accuracy"] .recharts-wrapper > svg.recharts-surface')).toBeVisible();
  await expect(page.locator('[data-testid="metric-chart"][data-metric="loss"] .recharts-line')).toHaveCount(2);
  await expect(page.locator('[data-testid="roc-chart"] .recharts-wrapper > svg.recharts-surface')).toBeVisible();
  await expect(page.locator('[data-testid="roc-chart"] .recharts-line')).toHaveCount(3); // two versions + chance
  await expect(page.getByTestId('confusion-matrix')).toHaveCount(2);
  await expect(page.getByTestId('compare-lineage-link')).toHaveCount(2);
  await shoot(page, testInfo, 'compare');

  const axe = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa']).analyze();
  expect(axe.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`)).toEqual([]);

  // Move champion in the UI.
  await page.goto(`/models/${modelName}`);
  await page.getByLabel('Alias', { exact: true }).fill('champion');
  await page.getByLabel('Version', { exact: true }).selectOption('2');
  await page.getByRole('button', { name: 'Set alias' }).click();
  await expect(page.getByTestId('alias-message')).toHaveText('champion moved from version 1 to version 2.');
  await expect(page.locator('[data-testid="alias-row"][data-alias="champion"]')).toHaveAttribute('data-version', '2');
  await expect(page.locator('[data-testid="version-row"][data-version="2"] [data-alias="champion"]')).toBeVisible();
  const alias = await api.aliases.get(modelName, 'champion');
  expect(alias.version).toBe(2);
  await shoot(page, testInfo, 'champion-moved');

  // Someone archives v1 behind the page's back; pointing an alias at it now fails, with the API's own message inline.
  await api.versions.archive(modelName, 1);
  await page.getByLabel('Alias', { exact: true }).fill('challenger');
  await page.getByLabel('Version', { exact: true }).selectOption('1');
  await page.getByRole('button', { name: 'Set alias' }).click();
  await expect(page.getByTestId('alias-message')).toHaveAttribute('data-state', 'error');
  await expect(page.getByTestId('alias-message')).toContainText('Version 1 of');
  await expect(page.getByTestId('alias-message')).toContainText('aliases point at READY versions');
  await expect(page.locator('[data-testid="alias-row"][data-alias="challenger"]')).toHaveCount(0);
  // What was tried stays in the form; the page re-read the model, so v1 is no longer offered.
  await expect(page.getByLabel('Alias', { exact: true })).toHaveValue('challenger');
  await expect(page.locator('[data-testid="version-row"][data-version="1"]')).toContainText('archived');
  await shoot(page, testInfo, 'alias-error');
});

test('a viewer token sees the registry but no alias controls', async ({ page }, testInfo) => {
  const viewer = await api.tokens.create({ name: `e2e-viewer-${suffix}`, role: 'viewer' });

  await page.goto(`/login?next=/models/${modelName}`);
  await page.getByLabel('API token').fill('slw_not-a-real-token');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByTestId('login-message')).toHaveAttribute('data-state', 'error');

  await page.getByLabel('API token').fill(viewer.token);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).toHaveURL(new RegExp(`/models/${modelName}$`));
  await expect(page.getByTestId('identity-name')).toHaveText(viewer.name);
  await expect(page.getByTestId('identity-role')).toHaveText('viewer');
  const cookies = await page.context().cookies();
  expect(cookies.find((c) => c.name === 'slipway_token')).toMatchObject({ httpOnly: true, sameSite: 'Strict' });

  await expect(page.getByTestId('version-row')).toHaveCount(2);
  await expect(page.getByTestId('aliases-read-only')).toBeVisible();
  await expect(page.getByRole('button', { name: 'Set alias' })).toHaveCount(0);
  await expect(page.getByRole('button', { name: /Remove alias/ })).toHaveCount(0);
  // Reading still works: compare is open to viewers.
  await page.getByLabel('Select all versions').check();
  await expect(page.getByRole('button', { name: 'Compare selected (2)' })).toBeEnabled();
  await shoot(page, testInfo, 'viewer-model');

  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page).toHaveURL(/\/login$/);
  await expect(page.getByTestId('identity')).toHaveAttribute('data-signed-in', 'false');
});

test('run search: syntax errors point at their column; a match opens the run with its history and artifacts', async ({ page }, testInfo) => {
  await page.goto('/runs');
  const filter = page.getByLabel('Filter');
  await filter.fill('metrics.accuracy > AND');
  await expect(page.getByTestId('filter-error')).toHaveAttribute('data-column', '20');
  await expect(page.getByRole('button', { name: 'Search', exact: true })).toBeDisabled();

  await filter.fill(
    `attributes.experiment_id = '${experimentId}' AND tags.e2e = '${suffix}' AND metrics.accuracy > 0.9 AND params.criterion IN ('entropy', 'log_loss')`,
  );
  await expect(page.getByTestId('filter-error')).toHaveCount(0);
  await page.getByLabel('Order by').fill('metrics.accuracy DESC');
  await page.getByRole('button', { name: 'Search', exact: true }).click();
  await expect(page.getByTestId('run-row')).toHaveCount(1);
  await expect(page.getByTestId('run-row')).toHaveAttribute('data-run-id', runIds[1]);
  await shoot(page, testInfo, 'run-search');

  await page.getByTestId('run-row').getByRole('link', { name: 'cart-entropy' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'cart-entropy' })).toBeVisible();
  await expect(page.getByTestId('run-params')).toContainText('entropy');
  await expect(page.getByTestId('run-tags').getByRole('row', { name: `e2e ${suffix}` })).toBeVisible();
  await expect(page.locator('[data-testid="metric-chart"][data-metric="accuracy"] .recharts-wrapper > svg.recharts-surface')).toBeVisible();
  await expect(page.getByTestId('run-artifacts')).toContainText('model.json');
  await shoot(page, testInfo, 'run');
});
