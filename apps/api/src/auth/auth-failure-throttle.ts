/**
 * Counts failed authentications per client address in fixed one-minute windows and says how long an address
 * that went over the limit must wait. In memory, per API process: replicas each count on their own, and a
 * restart forgets. That is enough to make guessing tokens (2^192 of them) pointless over the network, which
 * is all it is for; it is not a rate limiter for well-behaved clients.
 */
export class AuthFailureThrottle {
  private readonly windows = new Map<string, { startedAt: number; failures: number }>();
  private static readonly WINDOW_MS = 60_000;
  /** Beyond this many tracked addresses, expired windows are swept so a spray of addresses cannot grow memory without end. */
  private static readonly SWEEP_ABOVE = 10_000;

  constructor(
    private readonly failuresPerMinute: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Seconds `client` must wait before it may authenticate again, or 0 when it may now. */
  retryAfterSeconds(client: string): number {
    const window = this.windows.get(client);
    if (!window) return 0;
    const left = window.startedAt + AuthFailureThrottle.WINDOW_MS - this.now();
    if (left <= 0) {
      this.windows.delete(client);
      return 0;
    }
    return window.failures >= this.failuresPerMinute ? Math.ceil(left / 1000) : 0;
  }

  recordFailure(client: string): void {
    const now = this.now();
    const window = this.windows.get(client);
    if (window && now - window.startedAt < AuthFailureThrottle.WINDOW_MS) {
      window.failures++;
      return;
    }
    if (this.windows.size >= AuthFailureThrottle.SWEEP_ABOVE) this.sweep(now);
    // Still full after the sweep (that many addresses failing within one minute): forget the oldest window. Memory
    // stays bounded; an attacker with that many addresses gains nothing, as each new address starts a fresh budget anyway.
    if (this.windows.size >= AuthFailureThrottle.SWEEP_ABOVE) this.windows.delete(this.windows.keys().next().value as string);
    this.windows.set(client, { startedAt: now, failures: 1 });
  }

  private sweep(now: number): void {
    for (const [client, window] of this.windows) if (now - window.startedAt >= AuthFailureThrottle.WINDOW_MS) this.windows.delete(client);
  }
}
