import type { Metadata } from 'next';
import Link from 'next/link';
import { Suspense } from 'react';
import { getWhoAmI } from '../../../lib/api';
import { getDataset, getDatasetProfile } from '../../../lib/datasets-api';
import { classShares } from '../../../lib/dataset-view';
import { formatBytes, formatCount, formatDateTime } from '../../../lib/format';
import { canWrite } from '../../../lib/permissions';
import { ApiErrorNotice } from '../../../ui/common/api-error-notice';
import { TableSkeleton } from '../../../ui/common/table-skeleton';
import { ClassBalance } from '../../../ui/datasets/class-balance';
import { ColumnCharts } from '../../../ui/datasets/column-charts';
import { ColumnsTable } from '../../../ui/datasets/columns-table';
import { DatasetEditor } from '../../../ui/datasets/dataset-editor';
import { DeleteDataset } from '../../../ui/datasets/delete-dataset';
import { PageHeader } from '../../../ui/layout/page-header';

export const dynamic = 'force-dynamic';

type Params = Promise<{ id: string }>;

export async function generateMetadata({ params }: { params: Params }): Promise<Metadata> {
  const dataset = await getDataset((await params).id);
  return { title: dataset.ok ? `Dataset ${dataset.data.name}` : 'Dataset' };
}

export default async function DatasetPage({ params }: { params: Params }) {
  const { id } = await params;
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
      <Suspense fallback={<TableSkeleton label="Loading the dataset and its profile" rows={8} />}>
        <DatasetData id={id} />
      </Suspense>
    </>
  );
}

async function DatasetData({ id }: { id: string }) {
  const [dataset, profile, identity] = await Promise.all([getDataset(id), getDatasetProfile(id), getWhoAmI()]);
  if (!dataset.ok) return <ApiErrorNotice title={`Could not load dataset ${id}`} failure={dataset.error} testId="dataset-error" />;
  const { data } = dataset;
  const editor = canWrite(identity);
  const role = identity.ok ? identity.data.role : undefined;
  const target = profile.ok ? profile.data.targetColumn : data.targetColumn;
  const shares = profile.ok ? classShares(profile.data.profile.classBalance) : [];
  const images = data.format === 'images';
  const imageShape = profile.ok ? profile.data.profile.images : undefined;
  return (
    <div className="space-y-8">
      <PageHeader
        title={data.name}
        description={`${data.source ? `Built-in sample ${data.source.sample}` : 'Uploaded'}, ${FORMAT_LABELS[data.format]}.`}
        aside={
          editor ? (
            <Link
              href={`/training/new?datasetId=${encodeURIComponent(data.id)}`}
              className="rounded-md bg-slate-900 px-3 py-1.5 text-sm font-medium text-white hover:bg-slate-800"
              data-testid="train-link"
            >
              Train a model
            </Link>
          ) : (
            <p className="text-sm text-slate-600" data-testid="train-read-only">
              {role ? `Your token's role is ${role}: ` : ''}training needs an editor or admin token.
            </p>
          )
        }
      />

      <section aria-labelledby="about-heading" className="rounded-lg border border-slate-200 bg-white p-4 shadow-sm">
        <h2 id="about-heading" className="sr-only">
          About this dataset
        </h2>
        <dl className="grid grid-cols-2 gap-x-6 gap-y-3 text-sm sm:grid-cols-3 lg:grid-cols-6">
          <Fact label={images ? 'Images' : 'Rows'} value={formatCount(data.rows)} testId="dataset-rows" />
          {images ? (
            <Fact
              label="Image size"
              value={imageShape ? `${imageShape.height}×${imageShape.width}×${imageShape.channels}` : '—'}
              mono
              testId="dataset-image-size"
            />
          ) : (
            <Fact label="Columns" value={formatCount(data.columns.length)} testId="dataset-columns" />
          )}
          <Fact label="Size" value={formatBytes(data.sizeBytes)} />
          <Fact label="Format" value={data.format} mono testId="dataset-format" />
          {images ? (
            <Fact label="Classes" value={formatCount(shares.length)} />
          ) : (
            <Fact label="Target" value={data.targetColumn ?? '—'} mono testId="dataset-target" />
          )}
          {data.format === 'csv' ? <Fact label="Delimiter" value={profile.ok ? delimiterName(profile.data.profile.delimiter) : '—'} /> : null}
          <div>
            <dt className="text-xs font-medium text-slate-600">Created</dt>
            <dd>
              <time dateTime={data.createdAt}>{formatDateTime(data.createdAt)}</time>
            </dd>
          </div>
          <div className="col-span-2 sm:col-span-3 lg:col-span-6">
            <dt className="text-xs font-medium text-slate-600">sha256</dt>
            <dd className="break-all font-mono text-xs" data-testid="dataset-sha256">
              {data.sha256}
            </dd>
          </div>
          {data.source ? (
            <div className="col-span-2 sm:col-span-3 lg:col-span-6">
              <dt className="text-xs font-medium text-slate-600">Provenance</dt>
              <dd className="text-sm text-slate-800" data-testid="dataset-provenance">
                {data.source.provenance}
              </dd>
            </div>
          ) : null}
        </dl>
      </section>

      {!profile.ok ? (
        <ApiErrorNotice title="Could not load the profile" failure={profile.error} testId="profile-error" />
      ) : (
        <>
          {target || images ? (
            <section aria-labelledby="balance-heading">
              <h2 id="balance-heading" className="mb-3 text-lg font-semibold text-slate-900">
                Class balance
              </h2>
              {shares.length > 0 ? (
                <ClassBalance
                  caption={images ? 'Images per class (folder)' : `Rows per class of ${target}`}
                  unit={images ? 'images' : 'rows'}
                  shares={shares}
                />
              ) : (
                <p className="text-sm text-slate-600" data-testid="class-balance-none">
                  The target <span className="font-mono">{target}</span> has no class balance: it reads as a continuous value (regression).
                </p>
              )}
            </section>
          ) : null}

          {profile.data.profile.columns.length === 0 ? null : (
            <>
              <section aria-labelledby="columns-heading">
                <h2 id="columns-heading" className="mb-3 text-lg font-semibold text-slate-900">
                  Columns
                </h2>
                <ColumnsTable columns={profile.data.profile.columns} target={target} />
              </section>

              <section aria-labelledby="distributions-heading">
                <h2 id="distributions-heading" className="mb-3 text-lg font-semibold text-slate-900">
                  Distributions
                </h2>
                <ColumnCharts columns={profile.data.profile.columns} />
              </section>
            </>
          )}
        </>
      )}

      <section aria-labelledby="manage-heading" className="space-y-4">
        <h2 id="manage-heading" className="text-lg font-semibold text-slate-900">
          Manage
        </h2>
        {editor ? (
          <>
            <DatasetEditor dataset={data} />
            <DeleteDataset id={data.id} name={data.name} />
          </>
        ) : (
          <p className="text-sm text-slate-600" data-testid="manage-read-only">
            {role ? `Your token's role is ${role}: ` : ''}changing the target or column types, and deleting, need an editor or admin token.
          </p>
        )}
      </section>
    </div>
  );
}

function Fact({ label, value, mono, testId }: { label: string; value: string; mono?: boolean; testId?: string }) {
  return (
    <div>
      <dt className="text-xs font-medium text-slate-600">{label}</dt>
      <dd className={mono ? 'font-mono' : 'tabular-nums'} data-testid={testId}>
        {value}
      </dd>
    </div>
  );
}

const FORMAT_LABELS: Record<string, string> = { csv: 'CSV', parquet: 'Parquet', images: 'images in class folders' };

function delimiterName(delimiter: string | undefined): string {
  switch (delimiter) {
    case ',':
      return 'comma';
    case ';':
      return 'semicolon';
    case '\t':
      return 'tab';
    case '|':
      return 'pipe';
    default:
      return '—';
  }
}
