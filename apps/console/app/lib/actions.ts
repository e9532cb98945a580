'use server';

import { aliasNameSchema, modelNameSchema, versionNumberSchema } from '@slipway/contracts';
import { revalidatePath } from 'next/cache';
import { cookies, headers } from 'next/headers';
import { redirect } from 'next/navigation';
import { z } from 'zod';
import { deleteAlias, getWhoAmI, setAlias } from './api';
import type { ApiFailure } from './api-result';
import type { FormState } from './form-state';
import { SESSION_COOKIE, SESSION_MAX_AGE_SECONDS } from './session';

function apiError(failure: ApiFailure): FormState {
  return { status: 'error', message: failure.message, code: failure.code, httpStatus: failure.status };
}

function invalid(error: z.ZodError, field: string): FormState {
  return { status: 'error', message: `${field}: ${error.issues.map((i) => i.message).join('; ')}` };
}

/** Only paths inside the console (not `//host`), so a crafted link cannot send someone elsewhere after signing in. */
function safeNextPath(next: FormDataEntryValue | null): string {
  return typeof next === 'string' && next.startsWith('/') && !next.startsWith('//') && !next.startsWith('/\\') ? next : '/';
}

export async function signIn(_previous: FormState, form: FormData): Promise<FormState> {
  const token = String(form.get('token') ?? '').trim();
  if (token === '') return { status: 'error', message: 'Paste an API token.' };
  // Ask the API who the token is before keeping it: a typo fails here, not on every page after.
  const identity = await getWhoAmI(token);
  if (!identity.ok) return apiError(identity.error);

  const forwardedProto = (await headers()).get('x-forwarded-proto');
  (await cookies()).set(SESSION_COOKIE, token, {
    httpOnly: true,
    sameSite: 'strict',
    // Behind a TLS-terminating proxy the cookie must not travel over plain HTTP; local http://127.0.0.1 has no TLS.
    secure: forwardedProto === 'https',
    path: '/',
    maxAge: SESSION_MAX_AGE_SECONDS,
  });
  revalidatePath('/', 'layout');
  redirect(safeNextPath(form.get('next')));
}

export async function signOut(): Promise<void> {
  (await cookies()).delete(SESSION_COOKIE);
  revalidatePath('/', 'layout');
  redirect('/login');
}

const aliasFormSchema = z.object({ model: modelNameSchema, alias: aliasNameSchema, version: versionNumberSchema });

/** Points an alias (new or existing) at a version; the API answers who wins if two people move it at once. */
export async function setAliasAction(_previous: FormState, form: FormData): Promise<FormState> {
  const parsed = aliasFormSchema.safeParse({ model: form.get('model'), alias: String(form.get('alias') ?? '').trim(), version: form.get('version') });
  if (!parsed.success) {
    const field = String(parsed.error.issues[0]?.path[0] ?? 'form');
    return invalid(parsed.error, field === 'alias' ? 'Alias' : field === 'version' ? 'Version' : 'Model');
  }
  const { model, alias, version } = parsed.data;
  const result = await setAlias(model, alias, version);
  // Refused or not, the page re-reads the model: a refusal usually means it changed behind this page's back.
  revalidatePath(`/models/${encodeURIComponent(model)}`);
  if (!result.ok) return apiError(result.error);
  const { previousVersion } = result.data;
  const moved = previousVersion === null ? 'now points at' : previousVersion === version ? 'already pointed at' : `moved from version ${previousVersion} to`;
  return { status: 'done', message: `${alias} ${moved} version ${result.data.version}.` };
}

const deleteAliasFormSchema = z.object({ model: modelNameSchema, alias: aliasNameSchema });

export async function deleteAliasAction(_previous: FormState, form: FormData): Promise<FormState> {
  const parsed = deleteAliasFormSchema.safeParse({ model: form.get('model'), alias: form.get('alias') });
  if (!parsed.success) return invalid(parsed.error, 'Alias');
  const result = await deleteAlias(parsed.data.model, parsed.data.alias);
  revalidatePath(`/models/${encodeURIComponent(parsed.data.model)}`);
  if (!result.ok) return apiError(result.error);
  return { status: 'done', message: `Removed ${parsed.data.alias}.` };
}
