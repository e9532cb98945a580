/** Ports the e2e platform listens on: fixed, and away from the defaults a developer's own platform uses. */
const pgPort = 55439;
const apiPort = 3110;
const consolePort = 3111;
const servingPort = 3112;

export const platform = {
  pgPort,
  apiPort,
  consolePort,
  servingPort,
  consoleUrl: `http://127.0.0.1:${consolePort}`,
  apiUrl: `http://127.0.0.1:${apiPort}`,
  /** The serving replica the launcher starts: where predictions are asked for. */
  servingUrl: `http://127.0.0.1:${servingPort}`,
  /** The launcher's embedded Postgres (its default credentials), unless the run points at a database of its own. */
  databaseUrl: process.env.DATABASE_URL ?? `postgresql://slipway:slipway@127.0.0.1:${pgPort}/slipway`,
} as const;
