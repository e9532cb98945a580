import type { Metadata } from 'next';
import { PageHeader } from '../../ui/layout/page-header';
import { LoginForm } from '../../ui/auth/login-form';

export const dynamic = 'force-dynamic';

export const metadata: Metadata = { title: 'Sign in' };

export default async function LoginPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const { next } = await searchParams;
  return (
    <div className="mx-auto max-w-lg">
      <PageHeader
        title="Sign in"
        description="Paste an API token. The console keeps it in an httpOnly cookie and sends it to the API for you; your role decides what you can change."
      />
      <LoginForm next={typeof next === 'string' ? next : '/'} />
    </div>
  );
}
