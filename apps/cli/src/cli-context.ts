import { createSlipwayClient, type SlipwayClient } from '@slipway/client';
import { write, type CliIo } from './cli-io';
import { resolveCredentials } from './credentials';

export class CliContext {
  private client?: SlipwayClient;

  constructor(readonly io: CliIo) {}

  /** The client for the stored login (or SLIPWAY_API_URL / SLIPWAY_TOKEN). */
  api(): SlipwayClient {
    this.client ??= createSlipwayClient({ baseUrl: resolveCredentials(this.io).url, token: resolveCredentials(this.io).token });
    return this.client;
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
