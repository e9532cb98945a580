import type { Metadata } from 'next';
import { Suspense } from 'react';
import { getHealth, getOverview, listWorkers } from '../lib/api';
import { PageHeader } from '../ui/layout/page-header';
import { OverviewLive } from '../ui/overview/overview-live';
import { OverviewSkeleton } from '../ui/overview/overview-skeleton';

export const dynamic = 'force-dynamic';

export const metadata: Metadata = { title: 'Overview' };

export default function OverviewPage() {
  return (
    <>
      <PageHeader title="Overview" description="Models, runs, deployments and the workers training them, as they change." />
      <Suspense fallback={<OverviewSkeleton />}>
        <OverviewData />
      </Suspense>
    </>
  );
}

/** First paint comes from the server; the client component then keeps it live. */
async function OverviewData() {
  const [overview, workers, health] = await Promise.all([getOverview(), listWorkers(), getHealth()]);
  return <OverviewLive snapshot={{ overview, workers, health, renderedAt: new Date().toISOString() }} />;
}
