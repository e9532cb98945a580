import { describe, expect, it } from '@jest/globals';
import { LATENCY_BUCKETS_MS } from '@slipway/contracts';
import type { LoadedVersion } from './loaded-version';
import { chooseRole, stickyBucket, stickyValue, type DeploymentRoute } from './routing-table';
import { latencyBucket } from './traffic-metrics';

/** Only `columns` of a version is read by routing; the rest is never touched here. */
const version = (id: string) => ({ id, columns: ['customer', 'amount'] }) as unknown as LoadedVersion;

function route(canary: DeploymentRoute['canary']): DeploymentRoute {
  return { deploymentId: 'd', name: 'fraud', revision: 2, stable: version('s'), canary, shadow: null };
}

describe('routing', () => {
  it('hashes sticky keys with FNV-1a 32 into 100 buckets: fixed values, the same in every process', () => {
    // FNV-1a 32 of "" is 0x811c9dc5 (2166136261), of "a" 0xe40c292c (3826002220): the published test vectors.
    expect(stickyBucket('')).toBe(2166136261 % 100);
    expect(stickyBucket('a')).toBe(3826002220 % 100);
    expect(stickyBucket('foobar')).toBe(0xbf9cf968 % 100);
    // UTF-8 bytes (0xc3 0xa9), not the UTF-16 code unit 0xe9.
    let hash = 0x811c9dc5;
    for (const byte of [0xc3, 0xa9]) hash = Math.imul(hash ^ byte, 0x01000193) >>> 0;
    expect(stickyBucket('é')).toBe(hash % 100);
    const buckets = new Map<number, number>();
    for (let i = 0; i < 10_000; i++) {
      const b = stickyBucket(`customer-${i}`);
      buckets.set(b, (buckets.get(b) ?? 0) + 1);
    }
    expect(buckets.size).toBe(100);
    for (const count of buckets.values()) expect(count).toBeGreaterThan(50);
  });

  it('reads the sticky key from a header or from the first row, named or by column position', () => {
    expect(stickyValue({ header: 'x-customer' }, { 'x-customer': 'c1' }, [], [])).toBe('c1');
    expect(stickyValue({ header: 'x-customer' }, {}, [], [])).toBeNull();
    expect(stickyValue({ field: 'customer' }, {}, [{ customer: 42, amount: 1 }], ['customer', 'amount'])).toBe('42');
    expect(stickyValue({ field: 'customer' }, {}, [['c7', 3]], ['customer', 'amount'])).toBe('c7');
    expect(stickyValue({ field: 'customer' }, {}, [{ amount: 1 }], ['customer', 'amount'])).toBeNull();
  });

  it('sends a key to the canary when its bucket is below the percent, and raising the percent only adds keys', () => {
    const sticky = { header: 'x-customer' };
    const at = (percent: number) => route({ version: version('c'), percent, sticky });
    const canaryAt = (percent: number) =>
      new Set(Array.from({ length: 2000 }, (_, i) => `k${i}`).filter((k) => chooseRole(at(percent), { 'x-customer': k }, []) === 'canary'));
    const ten = canaryAt(10);
    const fifty = canaryAt(50);
    for (const k of ten) expect(fifty.has(k)).toBe(true);
    expect(ten.size).toBeGreaterThan(140);
    expect(ten.size).toBeLessThan(260);
    for (const k of ['k1', 'k2', 'k3']) expect(chooseRole(at(10), { 'x-customer': k }, [])).toBe(stickyBucket(k) < 10 ? 'canary' : 'stable');
    expect(chooseRole(route(null), {}, [])).toBe('stable');
    expect(chooseRole(route({ version: version('c'), percent: 100, sticky: null }), {}, [])).toBe('canary');
  });

  it('counts latencies into the contract buckets, upper bounds inclusive, the last one +Inf', () => {
    expect(latencyBucket(0)).toBe(0);
    expect(latencyBucket(0.5)).toBe(0);
    expect(latencyBucket(0.51)).toBe(1);
    expect(latencyBucket(10_000)).toBe(LATENCY_BUCKETS_MS.length - 1);
    expect(latencyBucket(10_001)).toBe(LATENCY_BUCKETS_MS.length);
  });
});
