export interface WaitForOptions {
  /** What is awaited, for the error when it does not come (`the job finishes elsewhere`). */
  what?: string;
  /** How long to keep asking; 20 s unless told. */
  timeoutMs?: number;
  /** The pause between two asks; 200 ms unless told. */
  intervalMs?: number;
}

/**
 * Asks `probe` again and again until it answers something other than `undefined`, and resolves with that; fails
 * once `timeoutMs` has passed. For what a test waits on that happens elsewhere (a worker, a queue, a receiver).
 */
export async function waitFor<T>(probe: () => Promise<T | undefined> | T | undefined, options: WaitForOptions = {}): Promise<T> {
  const { what = 'condition', timeoutMs = 20_000, intervalMs = 200 } = options;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs / 1000} s`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
