import 'server-only';
import {
  tuningStudyDetailSchema,
  tuningStudyListSchema,
  tuningStudySchema,
  versionSchema,
  type CreateStudyRequestInput,
  type RegisterBestRequest,
  type ResumeStudyRequest,
  type StopStudyRequest,
  type TrainingAlgorithm,
  type TuningStudyDetail,
  type TuningStudyList,
  type TuningStudyStatus,
  type TuningStudyView,
} from '@slipway/contracts';
import type { SlipwayClient } from '@slipway/client';
import { z } from 'zod';
import { callApi } from '../api';
import type { ApiResult } from '../api-result';

// The tuning-study routes through the one typed client, by its `send` + `parseBody` (the token, the error mapping
// and the contract check every typed route gets), as training-api.ts does: the console works whichever release of
// the generated client wraps them.

async function getJson<S extends z.ZodType>(api: SlipwayClient, path: string, schema: S): Promise<z.infer<S>> {
  return api.parseBody(schema, await api.send(path, { method: 'GET', headers: { accept: 'application/json' } }));
}

async function postJson<S extends z.ZodType>(api: SlipwayClient, path: string, schema: S, body: unknown, idempotencyKey?: string): Promise<z.infer<S>> {
  const headers: Record<string, string> = { accept: 'application/json', 'content-type': 'application/json' };
  if (idempotencyKey !== undefined) headers['Idempotency-Key'] = idempotencyKey;
  return api.parseBody(schema, await api.send(path, { method: 'POST', headers, body: JSON.stringify(body) }));
}

const studyPath = (id: string) => `/api/v1/studies/${encodeURIComponent(id)}`;

/** What stop/resume/start answer: the study, with or without its trials. */
const studyAnswerSchema = z.union([tuningStudySchema, tuningStudyDetailSchema]);

export interface StudyFilter {
  status?: TuningStudyStatus;
  algorithm?: TrainingAlgorithm;
  datasetId?: string;
  limit?: number;
  cursor?: string;
}

export function listStudies(filter: StudyFilter = {}): Promise<ApiResult<TuningStudyList>> {
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries(filter)) if (value !== undefined && value !== '') query.set(key, String(value));
  const search = query.size > 0 ? `?${query.toString()}` : '';
  return callApi((api) => getJson(api, `/api/v1/studies${search}`, tuningStudyListSchema));
}

export function getStudy(id: string): Promise<ApiResult<TuningStudyDetail>> {
  return callApi((api) => getJson(api, studyPath(id), tuningStudyDetailSchema));
}

/** The key makes a retried submit (a double click) answer the first study instead of creating a second one. */
export function createStudy(request: CreateStudyRequestInput, idempotencyKey: string): Promise<ApiResult<TuningStudyView>> {
  return callApi((api) => postJson(api, '/api/v1/studies', studyAnswerSchema, request, idempotencyKey));
}

export function stopStudy(id: string, request: StopStudyRequest): Promise<ApiResult<TuningStudyView>> {
  return callApi((api) => postJson(api, `${studyPath(id)}/stop`, studyAnswerSchema, request));
}

/** `resume` for a STOPPED or FAILED study, `start` for one created without starting. */
export function resumeStudy(id: string, request: ResumeStudyRequest, action: 'resume' | 'start'): Promise<ApiResult<TuningStudyView>> {
  return callApi((api) => postJson(api, `${studyPath(id)}/${action}`, studyAnswerSchema, request));
}

/**
 * Registers the best trial's model. The answer is the version made (as a training job's register answers) or the
 * study with its `registeredVersion`; null when the registration is still under way (the page's poll shows it).
 */
export function registerBest(id: string, request: RegisterBestRequest): Promise<ApiResult<{ model: string; version: number } | null>> {
  return callApi(async (api) => {
    const answer = await postJson(api, `${studyPath(id)}/register-best`, z.union([versionSchema, tuningStudySchema, tuningStudyDetailSchema]), request);
    if ('version' in answer && typeof answer.version === 'number') return { model: answer.model, version: answer.version };
    const study = answer as TuningStudyView;
    if (study.registeredVersion) return study.registeredVersion;
    // The study answered without the version: read it back once, as the page would on its next poll.
    return (await getJson(api, studyPath(id), tuningStudyDetailSchema)).registeredVersion;
  });
}
