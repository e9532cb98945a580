import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { loadConfig, type PlatformConfig } from '@slipway/config';
import { createApiApp } from '../create-api-app';

export interface ApiTestApp {
  app: NestExpressApplication;
  baseUrl: string;
  config: PlatformConfig;
  close(): Promise<void>;
}

/** The real API on an ephemeral port over the test file's own database and a temp artifact folder. */
export async function startApiTestApp(databaseUrl: string, env: Record<string, string> = {}): Promise<ApiTestApp> {
  const home = mkdtempSync(join(tmpdir(), 'slipway-api-test-'));
  const config = loadConfig({ DATABASE_URL: databaseUrl, SLIPWAY_HOME: home, ...env });
  const app = await createApiApp(config, { logger: false });
  await app.listen(0, '127.0.0.1');
  const address = app.getHttpServer().address() as { port: number };
  return {
    app,
    config,
    baseUrl: `http://127.0.0.1:${address.port}`,
    close: async () => {
      await app.close();
      rmSync(home, { recursive: true, force: true });
    },
  };
}
