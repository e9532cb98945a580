'use server';

import { BUILTIN_SAMPLE_NAMES, COLUMN_TYPES, datasetIdParamsSchema, datasetNameSchema, nameText, type UpdateDatasetRequest } from '@slipway/contracts';
import { revalidatePath } from 'next/cache';
import { redirect } from 'next/navigation';
import { z } from 'zod';
import type { ApiFailure } from './api-result';
import { createDatasetImageSample, createDatasetSample, deleteDataset, getDataset, updateDataset } from './datasets-api';
import { changedColumnTypes } from './dataset-view';
import type { FormState } from './form-state';

// Server actions of the datasets pages. The API decides who may change what (viewers get 403 there, whatever a
// page showed); these only check the form and pass on the API's answer.

function apiError(failure: ApiFailure): FormState {
  return { status: 'error', message: failure.message, code: failure.code, httpStatus: failure.status };
}

const sampleFormSchema = z.object({ sample: z.enum(BUILTIN_SAMPLE_NAMES), as: z.enum(['table', 'images']) });

/**
 * Stores a built-in sample (the existing dataset when it is already there) and opens its profile; `as=images` stores
 * digits as an image dataset instead of a table.
 */
export async function addSampleAction(_previous: FormState, form: FormData): Promise<FormState> {
  const parsed = sampleFormSchema.safeParse({ sample: form.get('sample'), as: form.get('as') ?? 'table' });
  if (!parsed.success) return { status: 'error', message: `Unknown sample; choose one of ${BUILTIN_SAMPLE_NAMES.join(', ')}.` };
  const { sample, as } = parsed.data;
  if (as === 'images' && sample !== 'digits') return { status: 'error', message: 'Only digits has an image form.' };
  const result = as === 'images' ? await createDatasetImageSample('digits') : await createDatasetSample(sample);
  if (!result.ok) return apiError(result.error);
  revalidatePath('/datasets');
  redirect(`/datasets/${result.data.id}`);
}

const columnTypeChoice = z.enum(COLUMN_TYPES);
const updateFormSchema = z.object({
  id: datasetIdParamsSchema.shape.id,
  name: datasetNameSchema,
  // '' is the form's "no target".
  targetColumn: z.union([z.literal(''), nameText(256)]),
});

/**
 * Saves the name, target column and column types chosen on the profile page. Types are sent only where they differ
 * from the dataset's current ones (read again here, not trusted from the form), so an untouched form changes nothing.
 */
export async function updateDatasetAction(_previous: FormState, form: FormData): Promise<FormState> {
  const parsed = updateFormSchema.safeParse({ id: form.get('id'), name: form.get('name'), targetColumn: form.get('targetColumn') ?? '' });
  if (!parsed.success) {
    const field = parsed.error.issues[0]?.path[0] === 'name' ? 'Name' : 'Target column';
    return { status: 'error', message: `${field}: ${parsed.error.issues.map((i) => i.message).join('; ')}` };
  }
  const { id, name, targetColumn } = parsed.data;
  const current = await getDataset(id);
  if (!current.ok) return apiError(current.error);

  const chosen: Record<string, string> = {};
  for (const [key, value] of form.entries()) {
    if (!key.startsWith('type:') || typeof value !== 'string') continue;
    if (!columnTypeChoice.safeParse(value).success) return { status: 'error', message: `Column ${key.slice(5)}: unknown type ${value}` };
    chosen[key.slice(5)] = value;
  }
  const body: UpdateDatasetRequest = {};
  if (name !== current.data.name) body.name = name;
  // An image dataset has no target field in the form: it is never sent for one.
  const target = targetColumn === '' ? null : targetColumn;
  if (form.has('targetColumn') && target !== current.data.targetColumn) body.targetColumn = target;
  const columnTypes = changedColumnTypes(current.data.columns, chosen);
  if (Object.keys(columnTypes).length > 0) body.columnTypes = columnTypes;
  if (body.name === undefined && body.targetColumn === undefined && body.columnTypes === undefined) return { status: 'done', message: 'Nothing changed.' };

  const result = await updateDataset(id, body);
  revalidatePath(`/datasets/${id}`);
  if (!result.ok) return apiError(result.error);
  const parts = [
    body.name === undefined ? null : `renamed to ${body.name}`,
    body.targetColumn === undefined ? null : body.targetColumn === null ? 'target removed' : `target is ${body.targetColumn}`,
    body.columnTypes === undefined ? null : `${Object.keys(body.columnTypes).length} column type(s) changed`,
  ].filter(Boolean);
  const reprofiled = body.targetColumn !== undefined || body.columnTypes !== undefined;
  return { status: 'done', message: `Saved: ${parts.join(', ')}${reprofiled ? '; the profile was recomputed' : ''}.` };
}

const deleteFormSchema = z.object({ id: datasetIdParamsSchema.shape.id });

/** Deletes the dataset and goes back to the list; a dataset still referenced stays, with the API's 409 message. */
export async function deleteDatasetAction(_previous: FormState, form: FormData): Promise<FormState> {
  const parsed = deleteFormSchema.safeParse({ id: form.get('id') });
  if (!parsed.success) return { status: 'error', message: 'No dataset to delete.' };
  const result = await deleteDataset(parsed.data.id);
  if (!result.ok) return apiError(result.error);
  revalidatePath('/datasets');
  redirect('/datasets');
}
