import { defineConfig, devices } from '@playwright/test';
import { chmodSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { platform } from './src/support/platform';

// The e2e suite starts the whole platform (embedded Postgres, migrations, API, a worker, the console) with
// the same launcher a user runs, in a throwaway state folder, and drives the console in a real Chromium.

const workspaceRoot = resolve(__dirname, '../..');

// Playwright loads this file in its runner and again in every worker; only the runner creates the folder
// (workers inherit it through the environment) and only the runner removes it, after the servers stop.
if (!process.env.SLIPWAY_E2E_HOME) {
  const home = mkdtempSync(join(tmpdir(), 'slipway-e2e-'));
  // Embedded Postgres runs as the `postgres` user when started by root: it must be able to enter the folder.
  chmodSync(home, 0o755);
  process.env.SLIPWAY_E2E_HOME = home;
  if (!process.env.SLIPWAY_E2E_KEEP_HOME) process.on('exit', () => rmSync(home, { recursive: true, force: true }));
}

/** Debian's Chromium where present (no `playwright install` needed); otherwise Playwright's own download. */
function chromiumExecutable(): string | undefined {
  if (process.env.PLAYWRIGHT_CHROMIUM_EXECUTABLE) return process.env.PLAYWRIGHT_CHROMIUM_EXECUTABLE;
  return existsSync('/usr/bin/chromium') ? '/usr/bin/chromium' : undefined;
}

export default defineConfig({
  testDir: './src',
  outputDir: './test-results',
  fullyParallel: false,
  workers: 1,
  forbidOnly: !!process.env.CI,
  retries: process.env.CI ? 1 : 0,
  timeout: 120_000,
  expect: { timeout: 15_000 },
  reporter: [['list'], ['html', { outputFolder: './playwright-report', open: 'never' }]],
  use: {
    baseURL: platform.consoleUrl,
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
  },
  projects: [
    {
      name: 'chromium',
      use: {
        ...devices['Desktop Chrome'],
        viewport: { width: 1400, height: 1000 },
        launchOptions: {
          executablePath: chromiumExecutable(),
          args: ['--no-sandbox', '--headless', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
        },
      },
    },
  ],
  webServer: {
    command: 'node dist/server/tools/platform/start.js',
    cwd: workspaceRoot,
    url: platform.consoleUrl,
    timeout: 240_000,
    reuseExistingServer: false,
    gracefulShutdown: { signal: 'SIGTERM', timeout: 20_000 },
    stdout: 'pipe',
    stderr: 'pipe',
    env: {
      SLIPWAY_HOME: process.env.SLIPWAY_E2E_HOME,
      SLIPWAY_PG_PORT: String(platform.pgPort),
      SLIPWAY_API_PORT: String(platform.apiPort),
      SLIPWAY_CONSOLE_PORT: String(platform.consolePort),
      SLIPWAY_SERVING_PORT: String(platform.servingPort),
      SLIPWAY_WORKERS: '1',
      NEXT_TELEMETRY_DISABLED: '1',
    },
  },
});
