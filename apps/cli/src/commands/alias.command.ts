import type { Command } from 'commander';
import { parsePositiveInt } from '../arguments';
import type { CliContext } from '../cli-context';

export function registerAliasCommands(program: Command, ctx: CliContext): void {
  const alias = program.command('alias').description('model aliases (champion, challenger, …)');

  alias
    .command('set')
    .description('point an alias at a READY version (moving it if it exists)')
    .argument('<model>', 'model name')
    .argument('<alias>', 'alias, e.g. champion')
    .argument('<version>', 'version number', parsePositiveInt)
    .option('--json', 'print the alias as JSON')
    .action(async (model: string, name: string, version: number, options: { json?: boolean }) => {
      const result = await ctx.api().aliases.set(model, name, version);
      if (options.json) return ctx.json(result);
      const before = result.previousVersion === null ? 'new' : result.previousVersion === result.version ? 'unchanged' : `was ${result.previousVersion}`;
      ctx.out(`${result.model}@${result.alias} → version ${result.version} (${before})`);
    });

  alias
    .command('delete')
    .description('delete an alias')
    .argument('<model>', 'model name')
    .argument('<alias>', 'alias')
    .action(async (model: string, name: string) => {
      await ctx.api().aliases.delete(model, name);
      ctx.out(`${model}@${name} deleted`);
    });
}
