import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { expectNamed } from '@slipway/testing-matchers';
import { useTestDatabase } from '@slipway/testing';
import { Prisma } from '../../generated/prisma/client';
import { float8Array } from '../../float8';
import { createPrismaClient, type PrismaClient } from '../../prisma-client';
import { MetricStore } from '../metric.store';

/** Doubles that Prisma's own number binding changes (checked below), and the non-finite values. */
const VALUES = [1.9796781408864355, 0.1 + 0.2, Number.MAX_VALUE, -Number.MAX_VALUE, Number.MIN_VALUE, 2 ** 53 + 2, Number.NaN, Infinity, -Infinity];

describe('MetricStore: float8 values bound as text, bit-exact', () => {
  const db = useTestDatabase();
  let prisma: PrismaClient;
  let runId: string;

  beforeAll(async () => {
    prisma = createPrismaClient(db.url, { poolSize: 2 });
    const experiment = await prisma.experiment.create({ data: { name: 'float8' } });
    runId = (await prisma.run.create({ data: { experimentId: experiment.id } })).id;
  });
  afterAll(async () => prisma.$disconnect());

  // A canary: if a Prisma upgrade fixes its number parsing, this fails, and float8.ts can say so.
  it('shows why: a JS number bound through Prisma arrives rounded (the bug this store avoids)', async () => {
    const [row] = await prisma.$queryRaw<{ t: string }[]>(Prisma.sql`SELECT ${1.9796781408864355}::float8::text AS t`);
    expect(row.t).not.toBe('1.9796781408864355');
    const [exact] = await prisma.$queryRaw<{ t: string[] }[]>(Prisma.sql`SELECT ${float8Array([1.9796781408864355, Number.MAX_VALUE])}::text[] AS t`);
    expect(exact.t).toEqual(['1.9796781408864355', '1.7976931348623157e+308']);
  });

  it('appends and reads back every value, NaN and ±Infinity included, in history and latest_metrics', async () => {
    const store = new MetricStore(prisma);
    await store.append(
      runId,
      VALUES.map((value, step) => ({ key: 'h', value, step, timestamp: 1_700_000_000_000 + step })),
    );
    await store.append(
      runId,
      VALUES.map((value, i) => ({ key: `k${i}`, value, step: 0, timestamp: 1_700_000_000_000 })),
    );
    const history = await store.history(runId, 'h', { limit: 100 });
    history.points.forEach((p) => expectNamed(Object.is(p.value, VALUES[p.step]), `step ${p.step}: ${VALUES[p.step]} → ${p.value}`).toBe(true));
    const latest = await prisma.latestMetric.findMany({ where: { runId } });
    const byKey = new Map(latest.map((m) => [m.key, m.value]));
    VALUES.forEach((value, i) => expectNamed(Object.is(byKey.get(`k${i}`), value), `k${i}: ${value}`).toBe(true));
    // The timestamp travels the same way: milliseconds survive.
    expect(history.points.map((p) => p.timestamp.getTime())).toEqual(VALUES.map((_, step) => 1_700_000_000_000 + step));
  });
});
