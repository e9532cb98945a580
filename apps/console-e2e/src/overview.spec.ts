import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';
import { randomUUID } from 'node:crypto';
import { PlatformDatabase } from './support/database';

const formatCount = (n: number) => new Intl.NumberFormat('en-US').format(n);

async function readCount(page: Page, testId: string): Promise<number> {
  const value = await page.getByTestId(testId).getAttribute('data-value');
  if (value === null) throw new Error(`${testId} has no data-value`);
  return Number(value);
}

/**
 * The launcher reports the console ready as soon as it answers, which can be before the API does; the
 * page then shows its "cannot reach the API" state and recovers by polling, so allow for that here.
 */
async function openOverview(page: Page): Promise<void> {
  await page.goto('/');
  await expect(page.getByTestId('count-models')).toBeVisible({ timeout: 60_000 });
}

/** Set in the page; still there later only if the page was never reloaded. */
const markPage = (page: Page) => page.evaluate(() => Object.assign(window, { slipwayE2eMarker: true }));
const pageMarked = (page: Page) => page.evaluate(() => (window as unknown as { slipwayE2eMarker?: boolean }).slipwayE2eMarker === true);

let db: PlatformDatabase;

test.beforeAll(async () => {
  db = await PlatformDatabase.connect();
});

test.afterAll(async () => {
  await db?.cleanUp();
  await db?.close();
});

test('the console answers its liveness probe', async ({ request }) => {
  const response = await request.get('/api/healthz');
  expect(response.status()).toBe(200);
  expect(await response.json()).toEqual({ status: 'OK' });
});

test('the overview shows live counts, platform health and a connected worker', async ({ page }, testInfo) => {
  await openOverview(page);
  await expect(page.getByRole('heading', { level: 1, name: 'Overview' })).toBeVisible();
  await expect(page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Overview' })).toHaveAttribute('aria-current', 'page');

  for (const id of [
    'count-models',
    'count-model-versions',
    'count-experiments',
    'count-runs-total',
    'count-runs-finished',
    'count-deployments',
    'count-training-jobs-queued',
  ]) {
    await expect(page.getByTestId(id), id).toHaveText(/^\d[\d,]*$/);
  }
  await expect(page.getByTestId('health-database-status')).toHaveText('up');
  await expect(page.getByTestId('health-queue-status')).toHaveText('up');

  // The worker registers on its own schedule; the page picks it up by polling if the first paint missed it.
  const connectedWorker = page.locator('[data-testid="worker-row"][data-connected="true"]').first();
  await expect(connectedWorker).toBeVisible({ timeout: 60_000 });
  await expect(connectedWorker.getByTestId('worker-tf-backend')).toHaveText(/\S/);
  await expect.poll(() => readCount(page, 'count-workers-connected')).toBeGreaterThanOrEqual(1);

  // Rows written by someone else appear without a reload.
  const before = {
    models: await readCount(page, 'count-models'),
    experiments: await readCount(page, 'count-experiments'),
    runs: await readCount(page, 'count-runs-total'),
    finished: await readCount(page, 'count-runs-finished'),
  };
  await markPage(page);
  const suffix = randomUUID().slice(0, 8);
  await db.insertModel(`e2e-model-${suffix}`);
  await db.insertExperimentWithRun(`e2e-experiment-${suffix}`, 'FINISHED');

  await expect(page.getByTestId('count-models')).toHaveText(formatCount(before.models + 1));
  await expect(page.getByTestId('count-experiments')).toHaveText(formatCount(before.experiments + 1));
  await expect(page.getByTestId('count-runs-total')).toHaveText(formatCount(before.runs + 1));
  await expect(page.getByTestId('count-runs-finished')).toHaveText(formatCount(before.finished + 1));
  expect(await pageMarked(page), 'the page updated in place, without a reload').toBe(true);

  const screenshot = testInfo.outputPath('overview.png');
  await page.screenshot({ path: screenshot, fullPage: true });
  await testInfo.attach('overview', { path: screenshot, contentType: 'image/png' });

  // And back down once the rows are gone.
  await db.cleanUp();
  await expect(page.getByTestId('count-models')).toHaveText(formatCount(before.models));
  await expect(page.getByTestId('count-runs-total')).toHaveText(formatCount(before.runs));
});

test('the overview has no detectable accessibility violations', async ({ page }) => {
  await openOverview(page);
  const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  expect(results.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.length})`)).toEqual([]);
});
