import { SlipwayApiError, SlipwayIntegrityError } from '@slipway/client';
import { Command, CommanderError } from 'commander';
import { CliContext } from './cli-context';
import { CliExit } from './cli-exit';
import { write, type CliIo } from './cli-io';
import { registerAliasCommands } from './commands/alias.command';
import { registerDatasetCommands } from './commands/datasets.command';
import { registerDeployCommands } from './commands/deploy.command';
import { registerJobCommands } from './commands/jobs.command';
import { registerLoginCommands } from './commands/login.command';
import { registerModelCommands } from './commands/models.command';
import { registerPredictCommand } from './commands/predict.command';
import { registerRunCommands } from './commands/runs.command';
import { registerStudyCommands } from './commands/studies.command';
import { registerTrainCommand } from './commands/training.command';

export function buildProgram(ctx: CliContext): Command {
  const program = new Command('slipway')
    .description('Slipway from the command line: log runs, search them, register, compare and alias models')
    .showHelpAfterError()
    .exitOverride()
    .configureOutput({ writeOut: (text) => ctx.io.stdout.write(text), writeErr: (text) => ctx.io.stderr.write(text) });
  registerLoginCommands(program, ctx);
  registerRunCommands(program, ctx);
  registerModelCommands(program, ctx);
  registerAliasCommands(program, ctx);
  registerDatasetCommands(program, ctx);
  registerTrainCommand(program, ctx);
  registerJobCommands(program, ctx);
  registerStudyCommands(program, ctx);
  registerDeployCommands(program, ctx);
  registerPredictCommand(program, ctx);
  // Subcommands inherit the error handling and output of the program.
  for (const command of allCommands(program)) command.exitOverride().configureOutput(program.configureOutput());
  return program;
}

function allCommands(command: Command): Command[] {
  return command.commands.flatMap((child) => [child, ...allCommands(child)]);
}

/** Runs one command line (without `node main.js`); resolves to the exit code. */
export async function runCli(argv: string[], io: CliIo): Promise<number> {
  const program = buildProgram(new CliContext(io));
  try {
    await program.parseAsync(argv, { from: 'user' });
    return 0;
  } catch (error) {
    if (error instanceof CliExit) return error.exitCode;
    if (error instanceof CommanderError) {
      // --help and --version end here with code 0; usage errors were already printed by commander.
      return error.exitCode === 0 ? 0 : 1;
    }
    if (error instanceof SlipwayApiError) write(io.stderr, `error: ${error.describe()}`);
    else if (error instanceof SlipwayIntegrityError) write(io.stderr, `error: INTEGRITY: ${error.message}`);
    else write(io.stderr, `error: ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  }
}
