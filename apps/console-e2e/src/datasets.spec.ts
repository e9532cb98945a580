import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page, type TestInfo } from '@playwright/test';
import { randomUUID } from 'node:crypto';
import type { SlipwayClient } from '@slipway/client';
import { platform } from './support/platform';
import { connectApi } from './support/slipway-api';

// Journey 1's first step through the console: a built-in sample added with one click and its profile read; a CSV
// uploaded through the console's streaming route with a progress bar; a malformed file refused with its line and
// column; and the same pages for a read-only token, which sees everything and can change nothing.

const suffix = randomUUID().slice(0, 8);
let api: SlipwayClient;

test.beforeAll(async () => {
  api = await connectApi();
});

/**
 * Chooses a file in the upload form and waits until the form has taken it (its name field follows the file).
 * Right after navigation the input can receive the file before React has attached its change handler, which
 * then never sees it; choosing again once hydrated is what a person would do.
 */
async function chooseFile(page: Page, file: { name: string; mimeType: string; buffer: Buffer }): Promise<void> {
  const expectedName = file.name.replace(/\.[^.]+$/, '');
  await expect(async () => {
    await page.getByLabel('File', { exact: true }).setInputFiles(file);
    await expect(page.getByLabel('Name', { exact: true })).toHaveValue(expectedName, { timeout: 1_000 });
  }).toPass({ timeout: 15_000 });
}

async function shoot(page: Page, testInfo: TestInfo, name: string): Promise<void> {
  const path = testInfo.outputPath(`${name}.png`);
  await page.screenshot({ path, fullPage: true });
  await testInfo.attach(name, { path, contentType: 'image/png' });
}

async function expectNoAxeViolations(page: Page): Promise<void> {
  const axe = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa']).analyze();
  expect(axe.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`)).toEqual([]);
}

/** The editor's column types fold out; it stays open across saves (the form is not re-created). */
async function openColumnTypes(page: Page): Promise<void> {
  const details = page.locator('details', { has: page.locator('summary', { hasText: 'Column types' }) });
  if (!(await details.evaluate((element) => (element as HTMLDetailsElement).open))) await details.locator('summary').click();
}

/** A small classification table: two numeric features, a category and a string label with a 2:1 imbalance. */
function smallCsv(rows: number): string {
  const lines = ['height,weight,colour,label'];
  for (let i = 0; i < rows; i++) {
    const label = i % 3 === 0 ? 'cat' : 'dog';
    lines.push(`${(150 + (i % 50)).toFixed(1)},${60 + ((i * 7) % 40)},${['red', 'green', 'blue'][i % 3]},${label}`);
  }
  // The suffix makes these bytes this run's own: files are stored once by sha256.
  lines.push(`151.5,61,red,cat-${suffix}`);
  return lines.join('\n') + '\n';
}

test('add the iris sample with one click, then read its profile: histograms and class balance', async ({ page }, testInfo) => {
  const iris = (await api.datasets.samples()).samples.find((s) => s.name === 'iris');
  if (!iris) throw new Error('the API lists no iris sample');

  await page.goto('/');
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Datasets' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Datasets' })).toBeVisible();
  const card = page.locator('[data-testid="sample"][data-sample="iris"]');
  await expect(card).toContainText(iris.provenance);
  await expect(page.locator('[data-testid="sample"]')).toHaveCount(5);
  await expectNoAxeViolations(page);
  await shoot(page, testInfo, 'datasets');

  await card.getByRole('button', { name: 'Add iris' }).click();
  await expect(page).toHaveURL(/\/datasets\/[0-9a-f-]{36}$/);
  const id = page.url().split('/').pop() as string;
  const stored = await api.datasets.get(id);
  expect(stored.source?.sample).toBe('iris');

  await expect(page.getByRole('heading', { level: 1, name: 'iris' })).toBeVisible();
  await expect(page.getByTestId('dataset-rows')).toHaveText('150');
  await expect(page.getByTestId('dataset-target')).toHaveText(iris.targetColumn);
  await expect(page.getByTestId('dataset-sha256')).toHaveText(stored.sha256);
  await expect(page.getByTestId('dataset-provenance')).toHaveText(iris.provenance);
  await expect(page.getByTestId('train-link')).toHaveAttribute('href', `/training/new?datasetId=${id}`);

  // Three classes of 50 rows, drawn as bars and listed exactly.
  await expect(page.getByTestId('class-row')).toHaveCount(3);
  for (const count of await page.getByTestId('class-row').evaluateAll((rows) => rows.map((row) => row.getAttribute('data-count')))) {
    expect(count).toBe('50');
  }
  await expect(page.locator('[data-testid="class-balance"] .recharts-bar-rectangle')).toHaveCount(3);

  // A histogram per numeric feature, each with bars.
  const features = stored.columns.filter((c) => c.name !== iris.targetColumn);
  await expect(page.getByTestId('column-row')).toHaveCount(stored.columns.length);
  const first = page.locator(`[data-testid="column-histogram"][data-column="${features[0].name}"]`);
  await expect(first.locator('.recharts-wrapper > svg.recharts-surface')).toBeVisible();
  expect(await first.locator('.recharts-bar-rectangle').count()).toBeGreaterThan(3);
  await expect(page.getByTestId('column-histogram')).toHaveCount(stored.columns.filter((c) => c.type === 'number' || c.type === 'integer').length);
  await expectNoAxeViolations(page);
  await shoot(page, testInfo, 'iris-profile');

  // Stored once: the card now opens it, and adding it again (here through the API) answers the same dataset.
  await page.goto('/datasets');
  await expect(page.locator(`[data-testid="dataset-row"][data-dataset-id="${id}"]`)).toBeVisible();
  const storedCard = page.locator('[data-testid="sample"][data-sample="iris"]');
  await expect(storedCard.getByRole('button', { name: 'Add iris' })).toHaveCount(0);
  await storedCard.getByRole('link', { name: 'Open iris' }).click();
  await expect(page).toHaveURL(new RegExp(`/datasets/${id}$`));
  expect((await api.datasets.createSample('iris')).id).toBe(id);

  // digits has an image form too (8×8×1, classes 0..9): stored as images, profiled by class, no columns.
  await page.goto('/datasets');
  await page.locator('[data-testid="sample"][data-sample="digits"]').getByRole('button', { name: 'Add digits as images (8×8×1)' }).click();
  await expect(page).toHaveURL(/\/datasets\/[0-9a-f-]{36}$/);
  await expect(page.getByTestId('dataset-format')).toHaveText('images');
  await expect(page.getByTestId('dataset-image-size')).toHaveText('8×8×1');
  await expect(page.getByTestId('dataset-rows')).toHaveText('1,797');
  await expect(page.getByTestId('class-row')).toHaveCount(10);
  await expect(page.getByTestId('columns-table')).toHaveCount(0);
  await expect(page.getByLabel('Target column', { exact: true })).toHaveCount(0);
  await expectNoAxeViolations(page);
  await shoot(page, testInfo, 'digits-images');
});

test('upload a CSV: the progress bar reaches 100%, then the profile; change the target, then delete it', async ({ page }, testInfo) => {
  const csv = smallCsv(6000);
  await page.goto('/datasets');
  await page.getByRole('link', { name: 'Upload a file' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Upload a dataset' })).toBeVisible();

  await chooseFile(page, { name: `pets-${suffix}.csv`, mimeType: 'text/csv', buffer: Buffer.from(csv) });
  // Named after the file; the header's columns are offered as the target.
  await expect(page.getByLabel('Name', { exact: true })).toHaveValue(`pets-${suffix}`);
  await expect(page.getByTestId('upload-file-size')).toContainText('4 columns in the header');
  await expect(page.locator('#upload-target-columns option')).toHaveCount(4);
  await page.getByLabel('Target column (optional)').fill('label');
  await page.getByLabel('Delimiter').selectOption('comma');
  await expectNoAxeViolations(page);
  await page.getByRole('button', { name: 'Upload', exact: true }).click();

  await expect(page.getByTestId('upload-done')).toBeVisible();
  await expect(page.getByTestId('upload-progress')).toHaveAttribute('aria-valuenow', '100');
  await expect(page.getByTestId('upload-progress-text')).toContainText('(100%)');
  await expect(page.getByTestId('upload-done')).toContainText(`Stored pets-${suffix}: 6,001 rows, 4 columns.`);
  await shoot(page, testInfo, 'upload-done');

  await page.getByRole('link', { name: `Open the profile of pets-${suffix}` }).click();
  await expect(page.getByRole('heading', { level: 1, name: `pets-${suffix}` })).toBeVisible();
  const id = page.url().split('/').pop() as string;
  const stored = await api.datasets.get(id);
  expect(stored).toMatchObject({ rows: 6001, targetColumn: 'label', source: null });
  expect(stored.sizeBytes).toBe(Buffer.byteLength(csv));
  await expect(page.getByTestId('dataset-sha256')).toHaveText(stored.sha256);
  await expect(page.locator('[data-testid="class-row"][data-class="dog"]')).toHaveAttribute('data-count', '4000');
  await expect(page.locator('[data-testid="class-row"][data-class="cat"]')).toHaveAttribute('data-count', '2000');
  await expect(page.locator('[data-testid="column-histogram"][data-column="height"] .recharts-bar-rectangle').first()).toBeVisible();
  await expect(page.locator('[data-testid="column-top-values"][data-column="colour"] .recharts-bar-rectangle')).toHaveCount(3);
  await expect(page.locator('[data-testid="column-row"][data-column="weight"]')).toHaveAttribute('data-type', 'integer');
  await expectNoAxeViolations(page);
  await shoot(page, testInfo, 'upload-profile');

  // Editors change the target and a column type; the API re-profiles from the stored file.
  await page.getByLabel('Target column', { exact: true }).selectOption('colour');
  await openColumnTypes(page);
  await page.getByLabel('weight', { exact: true }).selectOption('number');
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByTestId('dataset-edit-message')).toHaveText('Saved: target is colour, 1 column type(s) changed; the profile was recomputed.');
  await expect(page.getByTestId('dataset-target')).toHaveText('colour');
  await expect(page.locator('[data-testid="column-row"][data-column="weight"]')).toHaveAttribute('data-type', 'number');
  await expect(page.getByTestId('class-row')).toHaveCount(3);
  expect((await api.datasets.get(id)).targetColumn).toBe('colour');

  // A type the values cannot hold is refused with the API's message, and nothing changes.
  await openColumnTypes(page);
  await page.getByLabel('label', { exact: true }).selectOption('integer');
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByTestId('dataset-edit-message')).toHaveAttribute('data-state', 'error');
  await expect(page.getByTestId('dataset-edit-message')).toContainText(/line \d+/);
  expect((await api.datasets.get(id)).columns.find((c) => c.name === 'label')?.type).not.toBe('integer');

  // Delete asks first; keeping it changes nothing, confirming removes it.
  await page.getByRole('button', { name: 'Delete dataset…' }).click();
  await page.getByRole('button', { name: 'Keep it' }).click();
  await page.getByRole('button', { name: 'Delete dataset…' }).click();
  await page.getByRole('button', { name: 'Yes, delete' }).click();
  await expect(page).toHaveURL(/\/datasets$/);
  await expect(page.locator(`[data-testid="dataset-row"][data-dataset-id="${id}"]`)).toHaveCount(0);
  await expect(api.datasets.get(id)).rejects.toMatchObject({ status: 404 });
});

test('a malformed CSV is refused with the line and column, next to the form, and nothing is stored', async ({ page }, testInfo) => {
  await page.goto('/datasets/upload');
  const before = (await api.datasets.list({ limit: 200 })).datasets.length;
  await chooseFile(page, {
    name: `ragged-${suffix}.csv`,
    mimeType: 'text/csv',
    buffer: Buffer.from(`a,b,c\n1,2,3\n4,5\n7,8,${suffix}\n`),
  });
  await page.getByRole('button', { name: 'Upload', exact: true }).click();
  const error = page.getByTestId('upload-error');
  await expect(error).toBeVisible();
  await expect(error).toContainText('line 3');
  await expect(error).toContainText('HTTP 422');
  await expect(page.getByTestId('upload-done')).toHaveCount(0);
  expect((await api.datasets.list({ limit: 200 })).datasets.length).toBe(before);
  await shoot(page, testInfo, 'upload-422');

  // A target the file does not have is refused naming it.
  await chooseFile(page, { name: `no-target-${suffix}.csv`, mimeType: 'text/csv', buffer: Buffer.from(`x,y\n1,2\n3,${suffix}\n`) });
  // The name follows the file until one is typed.
  await expect(page.getByLabel('Name', { exact: true })).toHaveValue(`no-target-${suffix}`);
  await page.getByLabel('Target column (optional)').fill('nope');
  await page.getByRole('button', { name: 'Upload', exact: true }).click();
  await expect(error).toContainText('The file has no column "nope"');
  await expect(error).toContainText('HTTP 422');

  // A blank name is caught in the form before anything is sent.
  await page.getByLabel('Name', { exact: true }).fill('   ');
  await page.getByRole('button', { name: 'Upload', exact: true }).click();
  await expect(page.getByTestId('upload-name-error')).toHaveText('Give the dataset a name.');
});

test('a viewer sees the datasets and their profiles, and can upload, add or change nothing', async ({ page }, testInfo) => {
  const iris = await api.datasets.createSample('iris');
  const viewer = await api.tokens.create({ name: `e2e-dataset-viewer-${suffix}`, role: 'viewer' });
  await page.goto('/login?next=/datasets');
  await page.getByLabel('API token').fill(viewer.token);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).toHaveURL(/\/datasets$/);
  await expect(page.getByTestId('identity-role')).toHaveText('viewer');

  await expect(page.locator(`[data-testid="dataset-row"][data-dataset-id="${iris.id}"]`)).toBeVisible();
  await expect(page.getByRole('link', { name: 'Upload a file' })).toHaveCount(0);
  await expect(page.getByTestId('upload-read-only')).toContainText('viewer');
  await expect(page.getByTestId('samples-read-only')).toBeVisible();
  await expect(page.locator('[data-testid="sample"]')).toHaveCount(5);
  await expect(page.getByRole('button', { name: /^Add / })).toHaveCount(0);
  await shoot(page, testInfo, 'viewer-datasets');

  await page.locator(`[data-testid="dataset-row"][data-dataset-id="${iris.id}"]`).getByRole('link', { name: 'iris' }).click();
  await expect(page.getByTestId('class-row')).toHaveCount(3);
  await expect(page.getByTestId('column-histogram').first()).toBeVisible();
  await expect(page.getByTestId('manage-read-only')).toBeVisible();
  await expect(page.getByRole('button', { name: 'Save' })).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'Delete dataset…' })).toHaveCount(0);
  await expect(page.getByTestId('train-link')).toHaveCount(0);
  await expect(page.getByTestId('train-read-only')).toBeVisible();

  await page.goto('/datasets/upload');
  await expect(page.getByTestId('upload-read-only')).toBeVisible();
  await expect(page.getByLabel('File', { exact: true })).toHaveCount(0);

  // The console's upload route acts with the viewer's token: the API refuses it, whatever a page shows.
  const refused = await page.request.put(`/api/datasets/upload?name=viewer-${suffix}`, {
    data: 'a,b\n1,2\n',
    headers: { origin: platform.consoleUrl, 'content-type': 'text/csv' },
  });
  expect(refused.status()).toBe(403);
  const refusal = (await refused.json()) as { error: { code: string; url: string } };
  expect(refusal.error).toMatchObject({ code: 'PERMISSION_DENIED', url: `${platform.apiUrl}/api/v1/datasets?name=viewer-${suffix}` });
  // And the route refuses a request from another site before the API is asked.
  const crossSite = await page.request.put(`/api/datasets/upload?name=viewer-${suffix}`, { data: 'a\n1\n', headers: { origin: 'http://evil.test' } });
  expect(crossSite.status()).toBe(403);
});
