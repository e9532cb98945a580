import type { Writable } from 'node:stream';

/** Everything the CLI touches outside itself, so tests can run `runCli` with their own. */
export interface CliIo {
  stdout: Writable;
  stderr: Writable;
  env: Record<string, string | undefined>;
  /** Home folder for ~/.config/slipway/credentials.json. */
  homeDir: string;
  /** Asks a question on the terminal (the answer not echoed when `secret`). */
  prompt(question: string, options?: { secret?: boolean }): Promise<string>;
  /** What `-f -` reads (`slipway predict`); process.stdin when absent. */
  stdin?: NodeJS.ReadableStream;
  /** Show progress bars (a terminal on stderr). */
  progress: boolean;
}

export function write(stream: Writable, text: string): void {
  stream.write(text.endsWith('\n') ? text : `${text}\n`);
}
