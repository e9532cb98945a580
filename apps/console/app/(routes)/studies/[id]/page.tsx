import type { Metadata } from 'next';
import { Suspense } from 'react';
import { getWhoAmI } from '../../../lib/api';
import { canWrite } from '../../../lib/permissions';
import { getStudy } from '../../../lib/studies/studies-api';
import { ParentLink } from '../../../ui/common/parent-link';
import { TableSkeleton } from '../../../ui/common/table-skeleton';
import { StudyLive } from '../../../ui/studies/study-live';

export const dynamic = 'force-dynamic';

type Params = Promise<{ id: string }>;

export const metadata: Metadata = { title: 'Study' };

export default async function StudyPage({ params }: { params: Params }) {
  const { id } = await params;
  return (
    <>
      <ParentLink href="/studies" label="Studies" />
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
