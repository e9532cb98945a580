/** `a/b c/d.bin` → `a/b%20c/d.bin`: each segment encoded, the slashes kept (the API's `*path` routes). */
export function encodePath(path: string): string {
  return path.split('/').map(encodeURIComponent).join('/');
}

/** The API path of one file among a run's artifacts (PUT uploads it, GET downloads it). */
export function artifactFilePath(runId: string, path: string): string {
  return `/api/v1/runs/${encodeURIComponent(runId)}/artifacts/${encodePath(path)}`;
}

/** The API path of one file of a model version (PUT uploads it while PENDING_UPLOAD, GET downloads it). */
export function versionFilePath(model: string, version: number, path: string): string {
  return `/api/v1/models/${encodeURIComponent(model)}/versions/${version}/files/${encodePath(path)}`;
}
