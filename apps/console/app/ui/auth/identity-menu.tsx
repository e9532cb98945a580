import Link from 'next/link';
import { signOut } from '../../lib/actions';
import { getWhoAmI } from '../../lib/api';
import { sessionToken } from '../../lib/session';

const roleClasses = {
  viewer: 'bg-slate-100 text-slate-700 ring-slate-500/30',
  editor: 'bg-sky-50 text-sky-800 ring-sky-600/30',
  admin: 'bg-violet-50 text-violet-800 ring-violet-600/30',
} as const;

/** Who the console acts as: the token signed in with, else the console's own; with sign in or sign out. */
export async function IdentityMenu() {
  const [signedIn, identity] = await Promise.all([sessionToken().then(Boolean), getWhoAmI()]);
  return (
    <div className="flex items-center gap-3 text-sm" data-testid="identity" data-signed-in={signedIn}>
      {identity.ok ? (
        <p className="flex items-center gap-2 text-slate-700">
          <span className="sr-only">Signed in as</span>
          <span className="font-medium text-slate-900" data-testid="identity-name">
            {identity.data.name}
          </span>
          <span data-testid="identity-role" className={`rounded-full px-2 py-0.5 text-xs font-medium ring-1 ring-inset ${roleClasses[identity.data.role]}`}>
            {identity.data.role}
          </span>
          {signedIn ? null : <span className="text-xs text-slate-500">(console token)</span>}
        </p>
      ) : (
        <p className="text-slate-600" data-testid="identity-missing" title={identity.error.message}>
          {signedIn ? 'Token not accepted' : 'Not signed in'}
        </p>
      )}
      {signedIn ? (
        <form action={signOut}>
          <button type="submit" className="rounded-md px-3 py-1.5 font-medium text-slate-700 ring-1 ring-slate-300 hover:bg-slate-100">
            Sign out
          </button>
        </form>
      ) : (
        <Link href="/login" className="rounded-md px-3 py-1.5 font-medium text-slate-700 ring-1 ring-slate-300 hover:bg-slate-100">
          Sign in
        </Link>
      )}
    </div>
  );
}
