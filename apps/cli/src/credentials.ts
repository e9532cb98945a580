import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CliIo } from './cli-io';

export interface Credentials {
  url: string;
  token: string;
}

/** `$XDG_CONFIG_HOME/slipway/credentials.json`, else `~/.config/slipway/credentials.json`. */
export function credentialsPath(io: Pick<CliIo, 'env' | 'homeDir'>): string {
  const configHome = io.env.XDG_CONFIG_HOME || join(io.homeDir, '.config');
  return join(configHome, 'slipway', 'credentials.json');
}

export function readStoredCredentials(io: Pick<CliIo, 'env' | 'homeDir'>): Partial<Credentials> {
  const path = credentialsPath(io);
  if (!existsSync(path)) return {};
  try {
    const stored = JSON.parse(readFileSync(path, 'utf8')) as Partial<Credentials>;
    return { url: typeof stored.url === 'string' ? stored.url : undefined, token: typeof stored.token === 'string' ? stored.token : undefined };
  } catch {
    throw new Error(`${path} is not valid JSON: run slipway login again`);
  }
}

/** Readable by its owner only (0600, folder 0700): the file holds an API token. */
export function storeCredentials(io: Pick<CliIo, 'env' | 'homeDir'>, credentials: Credentials): string {
  const path = credentialsPath(io);
  const dir = join(path, '..');
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  writeFileSync(path, `${JSON.stringify(credentials, null, 2)}\n`, { mode: 0o600 });
  // writeFileSync keeps the mode of an existing file; make sure an older, wider one is narrowed.
  chmodSync(path, 0o600);
  return path;
}

/** SLIPWAY_API_URL / SLIPWAY_TOKEN win over the stored login. */
export function resolveCredentials(io: Pick<CliIo, 'env' | 'homeDir'>): Credentials {
  const stored = readStoredCredentials(io);
  const url = io.env.SLIPWAY_API_URL || stored.url;
  const token = io.env.SLIPWAY_TOKEN || stored.token;
  if (!url || !token) throw new Error('not logged in: run `slipway login --url <api>` (or set SLIPWAY_API_URL and SLIPWAY_TOKEN)');
  return { url, token };
}
