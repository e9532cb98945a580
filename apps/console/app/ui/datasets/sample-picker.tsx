'use client';

import type { DatasetSampleList } from '@slipway/contracts';
import Link from 'next/link';
import { useActionState } from 'react';
import { addSampleAction } from '../../lib/dataset-actions';
import { formatCount } from '../../lib/format';
import { idleFormState } from '../../lib/form-state';
import { FormMessage } from '../common/form-message';

type Sample = DatasetSampleList['samples'][number];

/**
 * The built-in samples with where they come from. Editors add one with a click (stored once by sha256, so adding
 * again opens the same dataset); one already stored is opened instead; viewers see the list and why they cannot add.
 */
export function SamplePicker({
  samples,
  stored,
  canEdit,
  role,
}: {
  samples: Sample[];
  /** `iris` (or `digits/images` for the image form) → the dataset already holding it, where the page knows one. */
  stored: Record<string, string>;
  canEdit: boolean;
  role?: string;
}) {
  return (
    <section aria-labelledby="samples-heading" className="rounded-lg border border-slate-200 bg-white p-4 shadow-sm">
      <h2 id="samples-heading" className="text-sm font-semibold text-slate-900">
        Built-in samples
      </h2>
      {canEdit ? null : (
        <p className="mt-1 text-sm text-slate-600" data-testid="samples-read-only">
          {role ? `Your token's role is ${role}: ` : ''}adding a sample needs an editor or admin token.
        </p>
      )}
      <ul className="mt-3 grid gap-3 sm:grid-cols-2 lg:grid-cols-3">
        {samples.map((sample) => (
          <li key={sample.name} data-testid="sample" data-sample={sample.name} className="flex flex-col gap-2 rounded-md border border-slate-200 p-3">
            <div className="flex items-baseline justify-between gap-2">
              <span className="font-mono text-sm font-semibold text-slate-900">{sample.name}</span>
              <span className="text-xs text-slate-600">
                {sample.task} · {formatCount(sample.rows)} rows · target <span className="font-mono">{sample.targetColumn}</span>
              </span>
            </div>
            <p className="text-xs text-slate-600">{sample.provenance}</p>
            <div className="mt-auto flex flex-wrap gap-2">
              <SampleAction label={sample.name} storedId={stored[sample.name]} canEdit={canEdit} name={sample.name} as="table" />
              {sample.name === 'digits' ? (
                <SampleAction label="digits as images (8×8×1)" storedId={stored['digits/images']} canEdit={canEdit} name="digits" as="images" />
              ) : null}
            </div>
          </li>
        ))}
      </ul>
    </section>
  );
}

function SampleAction({
  label,
  storedId,
  canEdit,
  name,
  as,
}: {
  label: string;
  storedId?: string;
  canEdit: boolean;
  name: Sample['name'];
  as: 'table' | 'images';
}) {
  if (storedId) {
    return (
      <Link href={`/datasets/${storedId}`} className="rounded-md px-3 py-1.5 text-sm font-medium text-sky-800 ring-1 ring-sky-300 hover:bg-sky-50">
        Open {label}
      </Link>
    );
  }
  return canEdit ? <AddSample name={name} as={as} label={label} /> : null;
}

function AddSample({ name, as, label }: { name: Sample['name']; as: 'table' | 'images'; label: string }) {
  const [state, action, pending] = useActionState(addSampleAction, idleFormState);
  return (
    <form action={action} className="space-y-2">
      <input type="hidden" name="sample" value={name} />
      <input type="hidden" name="as" value={as} />
      <button
        type="submit"
        disabled={pending}
        className="rounded-md bg-slate-900 px-3 py-1.5 text-sm font-medium text-white hover:bg-slate-800 disabled:opacity-50"
      >
        {pending ? 'Adding…' : `Add ${label}`}
      </button>
      {state.status === 'error' ? <FormMessage state={state} testId="sample-message" /> : null}
    </form>
  );
}
