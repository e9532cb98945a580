import 'server-only';
import { z } from 'zod';

const consoleEnvSchema = z.object({
  SLIPWAY_API_URL: z.url().default('http://127.0.0.1:3000'),
  /** Bearer token the console's server sends to the API. Never reaches the browser. */
  SLIPWAY_CONSOLE_TOKEN: z.string().min(1).optional(),
  SLIPWAY_CONSOLE_API_TIMEOUT_MS: z.coerce.number().int().positive().default(5000),
});

export interface ConsoleConfig {
  /** Base URL of the Slipway API, without a trailing slash. */
  apiUrl: string;
  apiToken?: string;
  apiTimeoutMs: number;
}

let parsed: ConsoleConfig | undefined;

/** The console server's configuration, parsed from the environment once, on first use (not at build time). */
export function consoleConfig(): ConsoleConfig {
  if (!parsed) {
    const env = consoleEnvSchema.parse({
      SLIPWAY_API_URL: process.env.SLIPWAY_API_URL || undefined,
      SLIPWAY_CONSOLE_TOKEN: process.env.SLIPWAY_CONSOLE_TOKEN || undefined,
      SLIPWAY_CONSOLE_API_TIMEOUT_MS: process.env.SLIPWAY_CONSOLE_API_TIMEOUT_MS || undefined,
    });
    parsed = {
      apiUrl: env.SLIPWAY_API_URL.replace(/\/+$/, ''),
      apiToken: env.SLIPWAY_CONSOLE_TOKEN,
      apiTimeoutMs: env.SLIPWAY_CONSOLE_API_TIMEOUT_MS,
    };
  }
  return parsed;
}
