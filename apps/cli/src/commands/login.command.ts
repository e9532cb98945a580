import { createSlipwayClient } from '@slipway/client';
import type { Command } from 'commander';
import type { CliContext } from '../cli-context';
import { storeCredentials } from '../credentials';

export function registerLoginCommands(program: Command, ctx: CliContext): void {
  program
    .command('login')
    .description('check an API token against the API and store it in ~/.config/slipway/credentials.json (0600)')
    .requiredOption('--url <api>', 'the API, e.g. http://127.0.0.1:3000')
    .option('--token <token>', 'an API token (asked for when omitted)')
    .option('--json', 'print the identity as JSON')
    .action(async (options: { url: string; token?: string; json?: boolean }) => {
      const token = (options.token ?? (await ctx.io.prompt('API token: ', { secret: true }))).trim();
      if (!token) throw new Error('no token given');
      const url = options.url.replace(/\/+$/, '');
      const identity = await createSlipwayClient({ baseUrl: url, token }).whoami();
      const path = storeCredentials(ctx.io, { url, token });
      if (options.json) ctx.json({ url, ...identity, credentials: path });
      else ctx.out(`Logged in to ${url} as ${identity.name} (${identity.role}). Credentials saved in ${path}.`);
    });

  program
    .command('whoami')
    .description('the token in use: its name and role')
    .option('--json', 'print JSON')
    .action(async (options: { json?: boolean }) => {
      const identity = await ctx.api().whoami();
      if (options.json) ctx.json({ url: ctx.api().baseUrl, ...identity });
      else ctx.out(`${identity.name} (${identity.role}) at ${ctx.api().baseUrl}`);
    });
}
