import type { Metadata } from 'next';
import type { ReactNode } from 'react';
import './globals.css';
import { SiteHeader } from './ui/layout/site-header';
import { QueryProvider } from './ui/query/query-provider';

export const metadata: Metadata = {
  title: { default: 'Slipway', template: '%s · Slipway' },
  description: 'Train, evaluate, tune, register, compare, serve and roll out models.',
};

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body className="min-h-screen bg-slate-50 font-sans text-slate-900 antialiased">
        <a href="#main" className="sr-only focus:not-sr-only focus:absolute focus:left-4 focus:top-4 focus:rounded focus:bg-white focus:px-3 focus:py-2">
          Skip to content
        </a>
        <SiteHeader />
        <QueryProvider>
          <main id="main" className="mx-auto max-w-7xl px-6 py-8">
            {children}
          </main>
        </QueryProvider>
      </body>
    </html>
  );
}
