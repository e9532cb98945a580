import type { Metadata } from 'next';
import Link from 'next/link';
import { Suspense } from 'react';
import { getWhoAmI, listModels, listVersions } from '../../../lib/api';
import { canWrite } from '../../../lib/permissions';
import { firstParam, type SearchParams } from '../../../lib/search-params';
import { ApiErrorNotice } from '../../../ui/common/api-error-notice';
import { TableSkeleton } from '../../../ui/common/table-skeleton';
import { NewDeploymentForm } from '../../../ui/deployments/new-deployment-form';
import { PageHeader } from '../../../ui/layout/page-header';

export const dynamic = 'force-dynamic';

export const metadata: Metadata = { title: 'New deployment' };

export default async function NewDeploymentPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const model = firstParam((await searchParams).model) ?? '';
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
      <PageHeader title="New deployment" description="Serve a READY model version (or what an alias points at) under a name of its own." />
      <Suspense fallback={<TableSkeleton label="Loading models" />}>
        <NewDeploymentData model={model} />
      </Suspense>
    </>
  );
}

async function NewDeploymentData({ model }: { model: string }) {
  const [identity, models] = await Promise.all([getWhoAmI(), listModels({ limit: 200 })]);
  if (!canWrite(identity)) {
    return (
      <p className="text-sm text-slate-600" data-testid="deploy-read-only">
        Deploying a model needs an editor or admin token.
      </p>
    );
  }
  if (!models.ok) return <ApiErrorNotice title="Could not load models" failure={models.error} testId="models-error" />;
  let versions: number[] = [];
  if (model) {
    const list = await listVersions(model, { limit: 100 });
    if (!list.ok) return <ApiErrorNotice title={`Could not load the versions of ${model}`} failure={list.error} testId="versions-error" />;
    versions = list.data.versions.filter((v) => v.status === 'READY').map((v) => v.version);
  }
  return (
    <NewDeploymentForm
      key={model}
      models={models.data.models.map((m) => ({ name: m.name, aliases: m.aliases }))}
      model={models.data.models.some((m) => m.name === model) ? model : ''}
      versions={versions}
    />
  );
}
