import { describe, expect, it } from '@jest/globals';
import { AuthFailureThrottle } from '../auth-failure-throttle';

describe('AuthFailureThrottle', () => {
  it('holds an address back once it reaches the limit within a minute, until that minute is over', () => {
    let now = 1_000_000;
    const throttle = new AuthFailureThrottle(3, () => now);
    for (let i = 0; i < 3; i++) {
      expect(throttle.retryAfterSeconds('10.0.0.1')).toBe(0);
      throttle.recordFailure('10.0.0.1');
      now += 1_000;
    }
    // Three failures in the window that opened at the first: held back until 60 s after it.
    expect(throttle.retryAfterSeconds('10.0.0.1')).toBe(57);
    expect(throttle.retryAfterSeconds('10.0.0.2')).toBe(0);
    now += 56_500;
    expect(throttle.retryAfterSeconds('10.0.0.1')).toBe(1);
    now += 500;
    expect(throttle.retryAfterSeconds('10.0.0.1')).toBe(0);
    throttle.recordFailure('10.0.0.1');
    expect(throttle.retryAfterSeconds('10.0.0.1')).toBe(0);
  });

  it('forgets expired addresses when many are tracked', () => {
    let now = 0;
    const throttle = new AuthFailureThrottle(1, () => now);
    for (let i = 0; i < 10_000; i++) throttle.recordFailure(`a${i}`);
    now += 61_000;
    throttle.recordFailure('fresh');
    expect((throttle as unknown as { windows: Map<string, unknown> }).windows.size).toBe(1);
    expect(throttle.retryAfterSeconds('fresh')).toBe(60);
  });

  it('stays bounded when more addresses fail within one minute than it tracks, forgetting the oldest first', () => {
    const now = 0;
    const throttle = new AuthFailureThrottle(1, () => now);
    for (let i = 0; i < 10_050; i++) throttle.recordFailure(`b${i}`);
    expect((throttle as unknown as { windows: Map<string, unknown> }).windows.size).toBe(10_000);
    expect(throttle.retryAfterSeconds('b0')).toBe(0);
    expect(throttle.retryAfterSeconds('b10049')).toBe(60);
  });
});
