import { datasetUploadQuerySchema, ErrorCode } from '@slipway/contracts';
import { uploadDataset } from '../../../lib/datasets-api';
import { UPLOAD_QUERY_KEYS } from '../../../lib/dataset-view';
import { toRouteResponse } from '../../../lib/route-response';
import { isSameOrigin } from '../../../lib/same-origin';

export const dynamic = 'force-dynamic';

const PATH = '/api/datasets/upload';

/** The file types the API reads as a raw body; anything else (a browser's guess for an unknown extension) goes on as CSV. */
const FILE_TYPES = ['text/csv', 'application/vnd.apache.parquet', 'application/zip', 'application/octet-stream'];

function forwardedType(contentType: string | null): string {
  const type = contentType?.split(';')[0]?.trim().toLowerCase();
  return type !== undefined && FILE_TYPES.includes(type) ? type : 'text/csv';
}

function refuse(status: number, code: ErrorCode, message: string, fields: { field: string; message: string }[] = []): Response {
  return Response.json(
    { error: { code, message, fields, url: PATH, status } },
    // An answer sent before the body was read: close the connection rather than read the rest of a large file.
    { status, headers: { 'cache-control': 'no-store', connection: 'close' } },
  );
}

/**
 * The upload form's `PUT /api/datasets/upload?name=…`: the file in the request body is streamed on to the API's
 * `PUT /api/v1/datasets` with the session's token, chunk by chunk as it arrives from the browser, so the console's
 * server never holds the file. The API's answer (the dataset, or a 422 naming the line and column) comes back as is.
 */
export async function PUT(request: Request): Promise<Response> {
  if (!isSameOrigin(request.headers)) return refuse(403, ErrorCode.PERMISSION_DENIED, 'Uploads are accepted from the console’s own pages only.');
  const incoming = new URL(request.url).searchParams;
  const search = new URLSearchParams();
  for (const key of UPLOAD_QUERY_KEYS) {
    const value = incoming.get(key);
    if (value !== null) search.set(key, value);
  }
  // Checked here with the API's contract so a bad name is refused before any of the file travels on.
  const checked = datasetUploadQuerySchema.safeParse(Object.fromEntries(search));
  if (!checked.success) {
    const fields = checked.error.issues.map((issue) => ({ field: `query.${issue.path.join('.')}`, message: issue.message }));
    return refuse(400, ErrorCode.INVALID_ARGUMENT, fields.map((f) => `${f.field}: ${f.message}`).join('; '), fields);
  }
  const body = request.body ?? new ReadableStream<Uint8Array>({ start: (controller) => controller.close() });
  const result = await uploadDataset(search, body, {
    contentType: forwardedType(request.headers.get('content-type')),
    contentLength: request.headers.get('content-length') ?? undefined,
    signal: request.signal,
  });
  return toRouteResponse(result);
}
