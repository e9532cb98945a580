/**
 * Ends a command with a particular exit code after it has printed what it had to say (`train --wait`: 1 for a
 * FAILED job, 2 for CANCELLED, 130 when interrupted). runCli returns the code and prints nothing more.
 */
export class CliExit extends Error {
  constructor(readonly exitCode: number) {
    super(`exit ${exitCode}`);
    this.name = 'CliExit';
  }
}
