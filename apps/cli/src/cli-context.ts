import { createSlipwayClient, type SlipwayClient } from '@slipway/client';
import { createSlipwayNodeClient, type SlipwayNodeClient } from '@slipway/client-node';
import { write, type CliIo } from './cli-io';
import { resolveCredentials } from './credentials';

export class CliContext {
  private client?: SlipwayNodeClient;

  constructor(readonly io: CliIo) {}

  /** The client for the stored login (or SLIPWAY_API_URL / SLIPWAY_TOKEN); the Node one, as commands upload and download files. */
  api(): SlipwayNodeClient {
    this.client ??= createSlipwayNodeClient({ baseUrl: resolveCredentials(this.io).url, token: resolveCredentials(this.io).token });
    return this.client;
  }

  /** For the serving process only (`slipway predict`): it takes no token, so no login is needed; the API URL is never called. */
  serving(): SlipwayClient {
    return createSlipwayClient({ baseUrl: this.io.env.SLIPWAY_API_URL || 'http://127.0.0.1' });
  }

  out(text: string): void {
    write(this.io.stdout, text);
  }

  /** Notes for people (stderr), so `--json` output stays parseable. */
  note(text: string): void {
    write(this.io.stderr, text);
  }

  json(value: unknown): void {
    this.out(JSON.stringify(value, null, 2));
  }
}
