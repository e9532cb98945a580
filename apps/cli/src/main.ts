#!/usr/bin/env node
import { homedir } from 'node:os';
import { createInterface } from 'node:readline';
import { runCli } from './cli';
import type { CliIo } from './cli-io';

/** Reads one line from stdin; with `secret` on a terminal, what is typed is not echoed. */
function prompt(question: string, options: { secret?: boolean } = {}): Promise<string> {
  return new Promise((resolve, reject) => {
    const secret = options.secret === true && process.stdin.isTTY === true;
    const rl = createInterface({ input: process.stdin, output: process.stderr, terminal: secret });
    if (secret) {
      // Echo nothing after the question while the token is typed.
      const output = rl as unknown as { _writeToOutput: (text: string) => void };
      output._writeToOutput = (text: string) => {
        if (text.startsWith(question)) process.stderr.write(question);
      };
    }
    rl.question(question, (answer) => {
      resolve(answer);
      if (secret) process.stderr.write('\n');
      rl.close();
    });
    rl.once('close', () => resolve(''));
    rl.once('error', reject);
  });
}

const io: CliIo = {
  stdout: process.stdout,
  stderr: process.stderr,
  env: process.env,
  homeDir: homedir(),
  stdin: process.stdin,
  prompt,
  progress: process.stderr.isTTY === true && !process.env.CI,
};

runCli(process.argv.slice(2), io).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`error: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  },
);
