import Link from 'next/link';

/** The link back to the list a detail or create page belongs to, above its header ("Studies /"). */
export function ParentLink({ href, label }: { href: string; label: string }) {
  return (
    <p className="mb-2 text-sm">
      <Link href={href} className="text-sky-700 underline-offset-2 hover:underline">
        {label}
      </Link>
      <span aria-hidden="true" className="px-1 text-slate-500">
        /
      </span>
    </p>
  );
}
