/**
 * Starts the platform's processes, prefixes their output, and stops them in order. Children share the
 * launcher's process group, so Ctrl-C in a terminal reaches each of them directly even if the launcher
 * itself were stuck; the launcher also forwards SIGTERM (what Playwright and process managers send).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';

const COLOURS = ['\x1b[36m', '\x1b[35m', '\x1b[33m', '\x1b[32m', '\x1b[34m', '\x1b[31m'];
const RESET = '\x1b[0m';

export interface ManagedProcess {
  name: string;
  child: ChildProcess;
  exited: Promise<number | null>;
}

export class ProcessSupervisor {
  private readonly processes: ManagedProcess[] = [];
  private colourIndex = 0;
  private stopping = false;
  private readonly useColour = process.stdout.isTTY === true;

  constructor(private readonly onUnexpectedExit: (name: string, code: number | null) => void) {}

  start(name: string, command: string, args: string[], env: NodeJS.ProcessEnv, cwd: string): ManagedProcess {
    const child = spawn(command, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    const colour = COLOURS[this.colourIndex++ % COLOURS.length];
    const prefix = this.useColour ? `${colour}[${name}]${RESET} ` : `[${name}] `;
    for (const stream of [child.stdout, child.stderr]) {
      if (stream) createInterface({ input: stream }).on('line', (line) => process.stdout.write(`${prefix}${line}\n`));
    }
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    void exited.then((code) => {
      if (!this.stopping) this.onUnexpectedExit(name, code);
    });
    const managed = { name, child, exited };
    this.processes.push(managed);
    return managed;
  }

  /** Stops every process, newest first (console, workers, then the API), waiting up to `graceMs` each. */
  async stopAll(graceMs = 20_000): Promise<void> {
    this.stopping = true;
    for (const managed of [...this.processes].reverse()) {
      const { child, exited } = managed;
      if (child.exitCode !== null || child.signalCode !== null) continue;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      await exited;
      clearTimeout(timer);
    }
  }
}
