import type { Metadata } from 'next';
import Link from 'next/link';
import { Suspense } from 'react';
import { getWhoAmI, listVersions } from '../../../lib/api';
import { getDeploymentPage } from '../../../lib/deployments-api';
import { canWrite } from '../../../lib/permissions';
import { TableSkeleton } from '../../../ui/common/table-skeleton';
import { DeploymentLive } from '../../../ui/deployments/deployment-live';

export const dynamic = 'force-dynamic';

type Params = Promise<{ name: string }>;

export const metadata: Metadata = { title: 'Deployment' };

export default async function DeploymentPage({ params }: { params: Params }) {
  const { name } = await params;
  return (
    <>
      <p className="mb-2 text-sm">
        <Link href="/deployments" className="text-sky-700 underline-offset-2 hover:underline">
          Deployments
        </Link>
        <span aria-hidden="true" className="px-1 text-slate-500">
          /
        </span>
      </p>
      <Suspense fallback={<TableSkeleton label="Loading the deployment" />}>
        <DeploymentData name={decodeURIComponent(name)} />
      </Suspense>
    </>
  );
}

/** First paint from the server; the client component keeps it live. The model's READY versions feed the action forms. */
async function DeploymentData({ name }: { name: string }) {
  const [page, identity] = await Promise.all([getDeploymentPage(name), getWhoAmI()]);
  const editor = canWrite(identity);
  let versions: number[] = [];
  if (page.ok && editor) {
    const list = await listVersions(page.data.deployment.model, { limit: 100 });
    if (list.ok) versions = list.data.versions.filter((v) => v.status === 'READY').map((v) => v.version);
  }
  return <DeploymentLive name={name} initial={page} versions={versions} canEdit={editor} renderedAt={new Date().toISOString()} />;
}
