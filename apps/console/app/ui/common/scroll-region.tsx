import type { ReactNode } from 'react';

/** A wide table's horizontal scroller, reachable by keyboard (a scrollable region nobody can focus fails WCAG 2.1.1). */
export function ScrollRegion({ label, className = '', children }: { label: string; className?: string; children: ReactNode }) {
  return (
    <div
      role="region"
      aria-label={label}
      tabIndex={0}
      className={`overflow-x-auto focus:outline-none focus-visible:ring-2 focus-visible:ring-sky-600 ${className}`}
    >
      {children}
    </div>
  );
}
