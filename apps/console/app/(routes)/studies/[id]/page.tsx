import type { Metadata } from 'next';
import Link from 'next/link';
import { Suspense } from 'react';
import { getWhoAmI } from '../../../lib/api';
import { canWrite } from '../../../lib/permissions';
import { getStudy } from '../../../lib/studies/studies-api';
import { TableSkeleton } from '../../../ui/common/table-skeleton';
import { StudyLive } from '../../../ui/studies/study-live';

export const dynamic = 'force-dynamic';

type Params = Promise<{ id: string }>;

export const metadata: Metadata = { title: 'Study' };

export default async function StudyPage({ params }: { params: Params }) {
  const { id } = await params;
  return (
    <>
      <p className="mb-2 text-sm">
        <Link href="/studies" className="text-sky-700 underline-offset-2 hover:underline">
          Studies
        </Link>
        <span aria-hidden="true" className="px-1 text-slate-500">
          /
        </span>
      </p>
      <Suspense fallback={<TableSkeleton label="Loading the study" />}>
        <StudyData id={id} />
      </Suspense>
    </>
  );
}

/** First paint from the server; the client component keeps it live while trials run. */
async function StudyData({ id }: { id: string }) {
  const [study, identity] = await Promise.all([getStudy(id), getWhoAmI()]);
  return <StudyLive id={id} initial={study} canEdit={canWrite(identity)} renderedAt={new Date().toISOString()} />;
}
