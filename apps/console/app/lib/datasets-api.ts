import 'server-only';
import {
  datasetSchema,
  ErrorCode,
  type BUILTIN_SAMPLE_NAMES,
  type DatasetList,
  type DatasetProfileView,
  type DatasetSampleList,
  type DatasetView,
  type UpdateDatasetRequest,
} from '@slipway/contracts';
import { SlipwayApiError } from '@slipway/client';
import { bearerToken, callApi } from './api';
import { streamToApi } from './api-stream';
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

/** The built-in digits as an image dataset (8×8×1), the offline sample for the CNN. */
export function createDatasetImageSample(name: 'digits'): Promise<ApiResult<DatasetView>> {
  return callApi((api) => api.datasets.createImageSample(name));
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
 * chunk with backpressure (api-stream.ts), never collected in this process. The declared length goes along so the
 * API can refuse an over-limit file before reading it. No timeout: an upload takes as long as its bytes do.
 */
export function uploadDataset(
  search: URLSearchParams,
  body: ReadableStream<Uint8Array>,
  options: { contentType?: string; contentLength?: string; signal?: AbortSignal } = {},
): Promise<ApiResult<UploadedDataset>> {
  return callApi(async (api) => {
    const url = `${api.baseUrl}/api/v1/datasets?${search.toString()}`;
    const headers: Record<string, string> = { 'content-type': options.contentType ?? 'text/csv', accept: 'application/json' };
    if (options.contentLength !== undefined && /^\d{1,15}$/.test(options.contentLength)) headers['content-length'] = options.contentLength;
    else headers['transfer-encoding'] = 'chunked';
    const token = await bearerToken();
    if (token) headers.authorization = `Bearer ${token}`;
    const answer = await streamToApi(url, { method: 'PUT', headers, body, signal: options.signal, baseUrl: api.baseUrl });
    if (answer.status < 200 || answer.status >= 300) throw SlipwayApiError.fromBody(answer.status, answer.body, answer.requestId, url);
    const parsed = datasetSchema.safeParse(answer.body);
    if (!parsed.success) {
      const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
      throw new SlipwayApiError(answer.status, ErrorCode.INTERNAL, `unexpected response from ${url}: ${problems}`, [], undefined, url);
    }
    return { dataset: parsed.data, created: answer.status === 201 };
  });
}
