import Link from 'next/link';
import { Suspense } from 'react';
import { IdentityMenu } from '../auth/identity-menu';
import { NavLinks } from './nav-links';

export function SiteHeader() {
  return (
    <header className="border-b border-slate-200 bg-white">
      <div className="mx-auto flex max-w-7xl items-center gap-8 px-6 py-3">
        <Link href="/" className="flex items-center gap-2 text-lg font-semibold tracking-tight text-slate-900">
          <span aria-hidden="true" className="inline-block h-6 w-6 rounded bg-gradient-to-br from-sky-500 to-indigo-600" />
          Slipway
        </Link>
        <nav aria-label="Main">
          <NavLinks />
        </nav>
        <div className="ml-auto">
          <Suspense fallback={<div aria-hidden="true" className="h-8 w-48 animate-pulse rounded bg-slate-100" />}>
            <IdentityMenu />
          </Suspense>
        </div>
      </div>
    </header>
  );
}
