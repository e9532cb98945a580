import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { useTestDatabase } from '@slipway/testing';
import { createPrismaClient, type PrismaClient } from '../../prisma-client';
import { ARTIFACT_UPLOAD_CLAIM_TTL_MS, ArtifactStore } from '../artifact.store';

/** The database-level claim that keeps two API replicas from uploading to one run artifact path at once. */
describe('ArtifactStore upload claims', () => {
  const db = useTestDatabase();
  let prisma: PrismaClient;
  let store: ArtifactStore;
  let runId: string;

  beforeAll(async () => {
    prisma = createPrismaClient(db.url, { poolSize: 4 });
    store = new ArtifactStore(prisma);
    const experiment = await prisma.experiment.create({ data: { name: 'claims' } });
    runId = (await prisma.run.create({ data: { experimentId: experiment.id } })).id;
  });
  afterAll(async () => prisma.$disconnect());

  it('gives a path to exactly one of many concurrent claimants, and to the next one once released', async () => {
    const claims = await Promise.all(Array.from({ length: 10 }, () => store.claimUpload(runId, 'model/w.bin')));
    const held = claims.filter((c) => c !== null);
    expect(held).toHaveLength(1);
    // Another path of the same run is independent.
    const other = await store.claimUpload(runId, 'model/other.bin');
    expect(other).not.toBeNull();
    await store.releaseUpload(held[0] ?? { runId, path: '', claimedAt: new Date() });
    const next = await store.claimUpload(runId, 'model/w.bin');
    expect(next).not.toBeNull();
    if (next) await store.releaseUpload(next);
    if (other) await store.releaseUpload(other);
    expect(await prisma.artifactUploadClaim.count()).toBe(0);
  });

  it('lets a stale claim (its holder died) be taken over, and the old holder’s release leaves the new claim alone', async () => {
    const first = await store.claimUpload(runId, 'stale.bin');
    expect(first).not.toBeNull();
    await expect(store.claimUpload(runId, 'stale.bin')).resolves.toBeNull();
    await prisma.artifactUploadClaim.updateMany({
      where: { path: 'stale.bin' },
      data: { claimedAt: new Date(Date.now() - ARTIFACT_UPLOAD_CLAIM_TTL_MS - 1000) },
    });
    const takeover = await store.claimUpload(runId, 'stale.bin');
    expect(takeover).not.toBeNull();
    if (first) await store.releaseUpload(first);
    expect(await prisma.artifactUploadClaim.count({ where: { path: 'stale.bin' } })).toBe(1);
    if (takeover) await store.releaseUpload(takeover);
    expect(await prisma.artifactUploadClaim.count({ where: { path: 'stale.bin' } })).toBe(0);
  });

  it('keeps a renewed claim from going stale, and a claim taken over can no longer be renewed by its old holder', async () => {
    const age = async (path: string, claim: { claimedAt: Date }, byMs: number) => {
      // As if time passed without a renewal: the row and the holder's copy agree on the older time.
      claim.claimedAt = new Date(Date.now() - byMs);
      await prisma.artifactUploadClaim.updateMany({ where: { path }, data: { claimedAt: claim.claimedAt } });
    };
    const live = await store.claimUpload(runId, 'live.bin');
    if (!live) throw new Error('no claim');
    await age('live.bin', live, ARTIFACT_UPLOAD_CLAIM_TTL_MS - 2000);
    await expect(store.renewUpload(live)).resolves.toBe(true);
    expect(Date.now() - live.claimedAt.getTime()).toBeLessThan(2000);
    // Renewed: still held, although more than a TTL has passed since it was first taken.
    await new Promise((r) => setTimeout(r, 2100));
    await expect(store.claimUpload(runId, 'live.bin')).resolves.toBeNull();

    await age('live.bin', live, ARTIFACT_UPLOAD_CLAIM_TTL_MS + 1000);
    const takeover = await store.claimUpload(runId, 'live.bin');
    expect(takeover).not.toBeNull();
    await expect(store.renewUpload(live)).resolves.toBe(false);
    if (takeover) await store.releaseUpload(takeover);
    expect(await prisma.artifactUploadClaim.count({ where: { path: 'live.bin' } })).toBe(0);
  });
});
