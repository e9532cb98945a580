import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createSlipwayClient, SlipwayApiError, type SlipwayClient } from '@slipway/client';
import { platform } from './platform';

/**
 * The platform's REST API, called the way a script or CI job would: through the typed client everyone uses
 * (@slipway/client), with the bootstrap admin token that `npm start` writes to `$SLIPWAY_HOME/admin-token`.
 * Used to set up what the console then shows.
 */
export function adminToken(): string {
  const home = process.env.SLIPWAY_E2E_HOME;
  if (!home) throw new Error('SLIPWAY_E2E_HOME is not set: run the suite through playwright.config.ts');
  return readFileSync(join(home, 'admin-token'), 'utf8').trim();
}

/** Waits for the API too: the launcher reports ready once the console answers, which can be first. */
export async function connectApi(timeoutMs = 60_000): Promise<SlipwayClient> {
  const api = createSlipwayClient({ baseUrl: platform.apiUrl, token: adminToken(), timeoutMs: 10_000 });
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      await api.whoami();
      return api;
    } catch (error) {
      // Not listening yet is the one failure worth waiting out; a wrong token is not.
      if (!(error instanceof SlipwayApiError) || error.status !== 0) throw error;
      if (Date.now() > deadline) throw new Error(`The API at ${platform.apiUrl} did not answer within ${timeoutMs} ms: ${error.message}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}
