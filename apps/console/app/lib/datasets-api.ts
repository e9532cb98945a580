import 'server-only';
import {
  datasetSchema,
  type BUILTIN_SAMPLE_NAMES,
  type DatasetList,
  type DatasetProfileView,
  type DatasetSampleList,
  type DatasetView,
  type UpdateDatasetRequest,
} from '@slipway/contracts';
import { callApi } from './api';
import type { ApiResult } from './api-result';

// The datasets routes of the API, through the same typed client and ApiResult as every other page (lib/api.ts).

export function listDatasets(query: { search?: string; cursor?: string; limit?: number }): Promise<ApiResult<DatasetList>> {
  const defined = Object.fromEntries(Object.entries(query).filter(([, value]) => value !== undefined && value !== ''));
  return callApi((api) => api.datasets.list(defined));
}

export function getDataset(id: string): Promise<ApiResult<DatasetView>> {
  return callApi((api) => api.datasets.get(id));
}

export function getDatasetProfile(id: string): Promise<ApiResult<DatasetProfileView>> {
  return callApi((api) => api.datasets.profile(id));
}

export function listDatasetSamples(): Promise<ApiResult<DatasetSampleList>> {
  return callApi((api) => api.datasets.samples());
}

export function createDatasetSample(name: (typeof BUILTIN_SAMPLE_NAMES)[number]): Promise<ApiResult<DatasetView>> {
  return callApi((api) => api.datasets.createSample(name));
}

export function updateDataset(id: string, body: UpdateDatasetRequest): Promise<ApiResult<DatasetView>> {
  return callApi((api) => api.datasets.update(id, body));
}

export function deleteDataset(id: string): Promise<ApiResult<void>> {
  return callApi((api) => api.datasets.delete(id));
}

export interface UploadedDataset {
  dataset: DatasetView;
  /** False when these bytes were already stored: the API answers the existing dataset (200) instead of a new one. */
  created: boolean;
}

/**
 * Sends a file to `PUT /api/v1/datasets` as it arrives: `body` is the browser's request stream, passed on chunk by
 * chunk (`duplex: 'half'`), never collected in this process. The declared length goes along so the API can refuse
 * an over-limit file before reading it. No timeout: an upload takes as long as its bytes do.
 */
export function uploadDataset(
  search: URLSearchParams,
  body: ReadableStream<Uint8Array>,
  options: { contentType?: string; contentLength?: string; signal?: AbortSignal } = {},
): Promise<ApiResult<UploadedDataset>> {
  const headers: Record<string, string> = { 'content-type': options.contentType ?? 'text/csv' };
  if (options.contentLength !== undefined && /^\d{1,15}$/.test(options.contentLength)) headers['content-length'] = options.contentLength;
  return callApi(async (api) => {
    const response = await api.send(`/api/v1/datasets?${search.toString()}`, {
      method: 'PUT',
      headers,
      body,
      duplex: 'half',
      signal: options.signal,
    } as RequestInit & { duplex: 'half' });
    return { dataset: await api.parseBody(datasetSchema, response), created: response.status === 201 };
  });
}
