import type { Metadata } from 'next';
import Link from 'next/link';
import { Suspense } from 'react';
import { getWhoAmI } from '../../../lib/api';
import { canWrite } from '../../../lib/permissions';
import { TableSkeleton } from '../../../ui/common/table-skeleton';
import { UploadForm } from '../../../ui/datasets/upload-form';
import { PageHeader } from '../../../ui/layout/page-header';

export const dynamic = 'force-dynamic';

export const metadata: Metadata = { title: 'Upload a dataset' };

export default function UploadDatasetPage() {
  return (
    <>
      <p className="mb-2 text-sm">
        <Link href="/datasets" className="text-sky-700 underline-offset-2 hover:underline">
          Datasets
        </Link>
        <span aria-hidden="true" className="px-1 text-slate-500">
          /
        </span>
      </p>
      <PageHeader
        title="Upload a dataset"
        description="A CSV or Parquet table, or a zip of class-named folders of PNG/JPEG images; it is streamed to the platform, read on the way in and stored once by sha256."
      />
      <Suspense fallback={<TableSkeleton label="Checking your role" rows={2} />}>
        <UploadOrReason />
      </Suspense>
    </>
  );
}

async function UploadOrReason() {
  const identity = await getWhoAmI();
  if (!canWrite(identity)) {
    return (
      <p className="rounded-lg border border-slate-200 bg-white p-4 text-sm text-slate-700" data-testid="upload-read-only">
        {identity.ok ? `Your token's role is ${identity.data.role}: ` : ''}uploading a dataset needs an editor or admin token.
      </p>
    );
  }
  return <UploadForm />;
}
