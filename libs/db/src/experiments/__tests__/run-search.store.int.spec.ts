import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { expectNamed } from '@slipway/testing-matchers';
import { parseRunFilter, parseRunOrderBy, type RunFilterNode, type RunOrderBy } from '@slipway/contracts';
import { useTestDatabase } from '@slipway/testing';
import { createPrismaClient, type PrismaClient } from '../../prisma-client';
import { ExperimentStore } from '../experiment.store';
import { MetricStore } from '../metric.store';
import { RunSearchStore } from '../run-search.store';
import { RunStore } from '../run.store';

function filter(text: string): RunFilterNode | null {
  const parsed = parseRunFilter(text);
  if (!parsed.ok) throw new Error(parsed.error.message);
  return parsed.ast;
}
function order(text: string): RunOrderBy {
  const parsed = parseRunOrderBy(text);
  if (!parsed.ok) throw new Error(parsed.error.message);
  return parsed.orderBy;
}

/** Hand-built runs: name → params, tags, metrics (latest values), status. */
const RUNS = [
  { name: 'a', params: { criterion: 'gini', maxDepth: '4' }, tags: { team: 'fraud' }, metrics: { f1: 0.95, loss: 0.2 }, status: 'FINISHED' },
  { name: 'b', params: { criterion: 'entropy', maxDepth: '8' }, tags: { team: 'fraud' }, metrics: { f1: 0.92, loss: 0.3 }, status: 'FINISHED' },
  { name: 'c', params: { criterion: 'entropy', maxDepth: '16' }, tags: { team: 'ads' }, metrics: { f1: 0.97, loss: 0.1 }, status: 'FAILED' },
  { name: 'd', params: { criterion: 'gini', maxDepth: '2' }, tags: {}, metrics: { f1: 0.85 }, status: 'RUNNING' },
  { name: 'e', params: { criterion: 'entropy', maxDepth: '4' }, tags: { team: 'ads' }, metrics: { f1: 0.91, 'val loss': 0.4 }, status: 'KILLED' },
  { name: 'f', params: {}, tags: {}, metrics: {}, status: 'RUNNING' },
] as const;

describe('RunSearchStore: filter compilation, sort and keyset pagination on real Postgres', () => {
  const db = useTestDatabase();
  let prisma: PrismaClient;
  let search: RunSearchStore;
  let metrics: MetricStore;
  let experimentId: string;
  const ids = new Map<string, string>();

  beforeAll(async () => {
    prisma = createPrismaClient(db.url);
    search = new RunSearchStore(prisma);
    metrics = new MetricStore(prisma);
    const runs = new RunStore(prisma);
    experimentId = (await new ExperimentStore(prisma).create({ name: 'search', description: '', tags: {} })).id;
    for (const spec of RUNS) {
      const toList = (o: Record<string, string>) => Object.entries(o).map(([key, value]) => ({ key, value }));
      const run = await runs.create({ experimentId, name: spec.name, createdBy: 'test', params: toList(spec.params), tags: spec.tags });
      ids.set(spec.name, run.id);
      const points = Object.entries(spec.metrics).map(([key, value]) => ({ key, value, step: 1, timestamp: Date.now() }));
      await prisma.$transaction((tx) => new MetricStore(tx).append(run.id, points));
      await prisma.run.update({ where: { id: run.id }, data: { status: spec.status } });
    }
    // A deleted run that would match everything.
    const deleted = await runs.create({ experimentId, name: 'zz-deleted', createdBy: 'test', params: [{ key: 'criterion', value: 'gini' }], tags: {} });
    await prisma.$transaction((tx) => new MetricStore(tx).append(deleted.id, [{ key: 'f1', value: 0.99, step: 0, timestamp: Date.now() }]));
    await prisma.run.update({ where: { id: deleted.id }, data: { deletedAt: new Date() } });
    ids.set('zz-deleted', deleted.id);
  });
  afterAll(async () => prisma?.$disconnect());

  async function names(filterText: string, orderText = 'attributes.name ASC', extra: { lifecycle?: 'active' | 'deleted' | 'all' } = {}): Promise<string[]> {
    const result = await search.search({
      filter: filter(filterText),
      orderBy: order(orderText),
      lifecycle: extra.lifecycle ?? 'active',
      limit: 100,
      experimentIds: [experimentId],
      queryText: filterText + orderText,
    });
    return result.runs.map((r) => r.name);
  }

  it.each([
    ['', ['a', 'b', 'c', 'd', 'e', 'f']],
    ['metrics.f1 > 0.9', ['a', 'b', 'c', 'e']],
    ["metrics.f1 > 0.9 AND (params.criterion = 'gini' OR params.maxDepth IN (4, 8))", ['a', 'b', 'e']],
    ["metrics.f1 > 0.9 AND params.criterion = 'gini' OR params.maxDepth IN (4, 8)", ['a', 'b', 'e']],
    ["params.maxDepth NOT IN ('4', '8')", ['c', 'd']],
    ['metrics.f1 >= 0.92 AND metrics.loss < 0.25', ['a', 'c']],
    ['metrics.`val loss` = 0.4', ['e']],
    ["tags.team = 'fraud' OR tags.team = 'ads'", ['a', 'b', 'c', 'e']],
    ["NOT tags.team = 'fraud'", ['c', 'd', 'e', 'f']],
    ["tags.team != 'fraud'", ['c', 'e']],
    ["params.criterion LIKE 'en%'", ['b', 'c', 'e']],
    ["params.criterion ILIKE 'GI%'", ['a', 'd']],
    ["attributes.status IN ('finished', 'failed')", ['a', 'b', 'c']],
    ["attributes.status != 'RUNNING' AND metrics.f1 < 0.93", ['b', 'e']],
    ["attributes.name LIKE '%' AND NOT (metrics.f1 > 0 OR params.criterion = 'gini')", ['f']],
    ['metrics.f1 IN (0.95, 0.85)', ['a', 'd']],
    ['attributes.created_at > 0 AND attributes.ended_at > 0', []],
    ["params.criterion = 'it''s; DROP TABLE runs; --'", []],
  ])('%s', async (filterText, expected) => {
    await expect(names(filterText)).resolves.toEqual(expected);
  });

  it('filters by run id and leaves deleted runs out unless asked', async () => {
    await expect(names(`attributes.run_id IN ('${ids.get('a')}', '${ids.get('zz-deleted')}')`)).resolves.toEqual(['a']);
    await expect(names(`attributes.run_id = '${ids.get('zz-deleted')}'`, 'attributes.name', { lifecycle: 'deleted' })).resolves.toEqual(['zz-deleted']);
    await expect(names("params.criterion = 'gini'", 'attributes.name', { lifecycle: 'all' })).resolves.toEqual(['a', 'd', 'zz-deleted']);
  });

  it('sorts by a metric with runs missing it last, both directions', async () => {
    await expect(names('', 'metrics.f1 DESC')).resolves.toEqual(['c', 'a', 'b', 'e', 'd', 'f']);
    await expect(names('', 'metrics.f1 ASC')).resolves.toEqual(['d', 'e', 'b', 'a', 'c', 'f']);
    const byLoss = await names('', 'metrics.loss');
    expect(byLoss.slice(0, 3)).toEqual(['b', 'a', 'c']);
    expect(byLoss.slice(3).sort()).toEqual(['d', 'e', 'f']);
  });

  it('pages through every run exactly once for each sort, cursor bound to its query', async () => {
    for (const orderText of ['metrics.f1 DESC', 'metrics.loss ASC', 'params.maxDepth', 'attributes.created_at DESC', 'attributes.name DESC', 'tags.team ASC']) {
      const all = await names('', orderText);
      const paged: string[] = [];
      let cursor: string | undefined;
      do {
        const page = await search.search({
          filter: null,
          orderBy: order(orderText),
          lifecycle: 'active',
          limit: 2,
          experimentIds: [experimentId],
          cursor,
          queryText: orderText,
        });
        paged.push(...page.runs.map((r) => r.name));
        cursor = page.nextCursor ?? undefined;
      } while (cursor);
      expectNamed(paged, orderText).toEqual(all);
      expect(new Set(paged).size).toBe(6);
    }
    const first = await search.search({
      filter: null,
      orderBy: order('metrics.f1'),
      lifecycle: 'active',
      limit: 1,
      experimentIds: [experimentId],
      queryText: 'x',
    });
    await expect(
      search.search({
        filter: null,
        orderBy: order('metrics.f1'),
        lifecycle: 'active',
        limit: 1,
        experimentIds: [experimentId],
        queryText: 'y',
        cursor: first.nextCursor ?? '',
      }),
    ).rejects.toMatchObject({ code: 'INVALID_ARGUMENT', fields: [{ field: 'cursor', message: expect.stringContaining('different filter') }] });
    // Stores name the domain field (`cursor`); the API says where the request carried it.
    for (const bad of [
      'not base64!',
      Buffer.from('{"q":1}').toString('base64url'),
      'e30',
      Buffer.from('{"v":1,"k":"models","p":{"name":"x"}}').toString('base64url'),
    ]) {
      await expect(
        search.search({ filter: null, orderBy: order('metrics.f1'), lifecycle: 'active', limit: 1, queryText: 'x', cursor: bad }),
      ).rejects.toMatchObject({ code: 'INVALID_ARGUMENT', fields: [{ field: 'cursor' }] });
    }
  });

  it('keeps tags as one row per key and hands them back as an object; setTags sets or overwrites only the keys it is given', async () => {
    const result = await search.search({
      filter: filter("tags.team = 'fraud'"),
      orderBy: order('attributes.name'),
      lifecycle: 'active',
      limit: 10,
      experimentIds: [experimentId],
      queryText: 'tags',
    });
    expect(result.runs.map((r) => [r.name, r.tags])).toEqual([
      ['a', { team: 'fraud' }],
      ['b', { team: 'fraud' }],
    ]);
    const runs = new RunStore(prisma);
    const run = ids.get('d') ?? '';
    await runs.setTags(run, { phase: 'warmup', owner: 'ana' });
    await runs.setTags(run, { phase: 'main' });
    await runs.setTags(run, {});
    await expect(runs.getDetail(run)).resolves.toMatchObject({ tags: { owner: 'ana', phase: 'main' } });
    await expect(prisma.runTag.count({ where: { runId: run } })).resolves.toBe(2);
    await prisma.runTag.deleteMany({ where: { runId: run } });
  });

  it('keeps the latest metric at the highest step, then the newest timestamp, whatever the order of arrival', async () => {
    const run = ids.get('f') ?? '';
    const t = Date.UTC(2025, 0, 1);
    await prisma.$transaction((tx) => new MetricStore(tx).append(run, [{ key: 'acc', value: 0.5, step: 10, timestamp: t }]));
    await prisma.$transaction((tx) => new MetricStore(tx).append(run, [{ key: 'acc', value: 0.1, step: 3, timestamp: t + 5000 }]));
    await prisma.$transaction((tx) =>
      new MetricStore(tx).append(run, [
        { key: 'acc', value: 0.6, step: 10, timestamp: t + 1 },
        { key: 'acc', value: 0.55, step: 10, timestamp: t - 1 },
      ]),
    );
    const latest = await prisma.latestMetric.findUniqueOrThrow({ where: { runId_key: { runId: run, key: 'acc' } } });
    expect([latest.value, Number(latest.step), latest.timestamp.getTime()]).toEqual([0.6, 10, t + 1]);
    const history = await metrics.history(run, 'acc', { limit: 2 });
    expect(history.points.map((p) => p.step)).toEqual([3, 10]);
    const rest = await metrics.history(run, 'acc', { limit: 2, cursor: history.nextCursor ?? '' });
    expect(rest.points.map((p) => p.value)).toEqual([0.6, 0.55]);
    expect(rest.nextCursor).toBeNull();
    await prisma.latestMetric.deleteMany({ where: { runId: run } });
    await prisma.metric.deleteMany({ where: { runId: run } });
  });
});
