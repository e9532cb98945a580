import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { platform } from './platform';

/**
 * The platform's REST API, called the way a script or CI job would: with the bootstrap admin token that
 * `npm start` writes to `$SLIPWAY_HOME/admin-token`. Used to set up what the console then shows.
 */
export class SlipwayApi {
  private constructor(readonly token: string) {}

  static adminToken(): string {
    const home = process.env.SLIPWAY_E2E_HOME;
    if (!home) throw new Error('SLIPWAY_E2E_HOME is not set: run the suite through playwright.config.ts');
    return readFileSync(join(home, 'admin-token'), 'utf8').trim();
  }

  /** Waits for the API too: the launcher reports ready once the console answers, which can be first. */
  static async connect(timeoutMs = 60_000): Promise<SlipwayApi> {
    const api = new SlipwayApi(SlipwayApi.adminToken());
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      try {
        const response = await fetch(`${platform.apiUrl}/api/v1/whoami`, { headers: { authorization: `Bearer ${api.token}` } });
        if (response.ok) return api;
      } catch {
        // not listening yet
      }
      if (Date.now() > deadline) throw new Error(`The API at ${platform.apiUrl} did not answer within ${timeoutMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  }

  async request<T = unknown>(method: string, path: string, body?: unknown, init: { raw?: boolean; token?: string } = {}): Promise<T> {
    const headers: Record<string, string> = { authorization: `Bearer ${init.token ?? this.token}` };
    let payload: string | undefined;
    if (body !== undefined) {
      headers['content-type'] = init.raw ? 'application/octet-stream' : 'application/json';
      payload = init.raw ? String(body) : JSON.stringify(body);
    }
    const response = await fetch(`${platform.apiUrl}${path}`, { method, headers, body: payload });
    const text = await response.text();
    if (!response.ok) throw new Error(`${method} ${path} answered ${response.status}: ${text}`);
    return (text ? JSON.parse(text) : undefined) as T;
  }

  post<T = unknown>(path: string, body: unknown): Promise<T> {
    return this.request<T>('POST', path, body);
  }

  put<T = unknown>(path: string, body: unknown): Promise<T> {
    return this.request<T>('PUT', path, body);
  }

  get<T = unknown>(path: string): Promise<T> {
    return this.request<T>('GET', path);
  }
}
