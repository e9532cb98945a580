'use client';

import { datasetSchema, ErrorCode, type DatasetView } from '@slipway/contracts';
import Link from 'next/link';
import { useEffect, useRef, useState, type FormEvent, type ReactNode } from 'react';
import { z } from 'zod';
import { consoleErrorResponseSchema, type ApiFailure } from '../../lib/api-result';
import {
  defaultDatasetName,
  formatFromFileName,
  headerColumns,
  progressPercent,
  uploadContentType,
  uploadQuery,
  type UploadFormInput,
} from '../../lib/dataset-view';
import { formatBytes, formatCount } from '../../lib/format';
import { ApiErrorNotice } from '../common/api-error-notice';

const UPLOAD_ROUTE = '/api/datasets/upload';
/** Enough of the file to read a header line from, without reading the file. */
const HEADER_PEEK_BYTES = 64 * 1024;

const uploadAnswerSchema = z.object({ dataset: datasetSchema, created: z.boolean() });

type Phase =
  | { kind: 'idle' }
  | { kind: 'sending'; sent: number; total: number }
  /** Every byte sent; the API is still profiling and storing. */
  | { kind: 'processing'; total: number }
  | { kind: 'done'; total: number; dataset: DatasetView; created: boolean }
  | { kind: 'failed'; total: number; failure: ApiFailure }
  | { kind: 'cancelled' };

const FORMATS: { value: UploadFormInput['format']; label: string }[] = [
  { value: '', label: 'Detect (CSV or Parquet)' },
  { value: 'csv', label: 'CSV' },
  { value: 'parquet', label: 'Parquet' },
  { value: 'images', label: 'Images (zip of class folders)' },
];

const DELIMITERS: { value: UploadFormInput['delimiter']; label: string }[] = [
  { value: '', label: 'Detect from the header' },
  { value: 'comma', label: 'Comma ,' },
  { value: 'semicolon', label: 'Semicolon ;' },
  { value: 'tab', label: 'Tab' },
  { value: 'pipe', label: 'Pipe |' },
];

/**
 * Uploads a CSV, a Parquet file or a zip of class-named image folders with a real progress bar: the browser streams
 * the file (never read whole into memory) to the
 * console's upload route, which streams it on to the API; XMLHttpRequest's upload events count the bytes sent.
 * The API's refusal (a 422 names the line and column) is shown next to the form.
 */
export function UploadForm() {
  const [file, setFile] = useState<File | null>(null);
  const [input, setInput] = useState<UploadFormInput>({ name: '', format: '', imageSize: '32x32x3', targetColumn: '', delimiter: '' });
  const [columns, setColumns] = useState<string[]>([]);
  const [fieldError, setFieldError] = useState<{ field: keyof UploadFormInput | 'file'; message: string } | null>(null);
  const [phase, setPhase] = useState<Phase>({ kind: 'idle' });
  const request = useRef<XMLHttpRequest | null>(null);

  // Leaving the page mid-upload stops it rather than leaving it running unseen.
  useEffect(() => () => request.current?.abort(), []);

  const table = input.format !== 'images';
  const delimited = input.format === '' || input.format === 'csv';

  // Column names from the first line of a CSV, offered as the target; re-read when the delimiter changes.
  useEffect(() => {
    if (!file || !delimited || formatFromFileName(file.name) !== '') {
      setColumns([]);
      return;
    }
    let current = true;
    file
      .slice(0, HEADER_PEEK_BYTES)
      .text()
      .then((text) => {
        if (current) setColumns(headerColumns(text, input.delimiter as Parameters<typeof headerColumns>[1]).columns);
      })
      .catch(() => current && setColumns([]));
    return () => {
      current = false;
    };
  }, [file, input.delimiter, delimited]);

  const busy = phase.kind === 'sending' || phase.kind === 'processing';

  function choose(chosen: File | null) {
    setFile(chosen);
    setFieldError(null);
    setPhase({ kind: 'idle' });
    // The name follows the file until the user types one of their own.
    const untouched = input.name.trim() === '' || (file !== null && input.name === defaultDatasetName(file.name));
    if (chosen && untouched) setInput((previous) => ({ ...previous, name: defaultDatasetName(chosen.name) }));
    // `.parquet` and `.zip` say what they are, as they do for the SDK and the CLI.
    // A format taken from the previous file's extension does not stick to the next file.
    const named = chosen ? formatFromFileName(chosen.name) : '';
    const previouslyNamed = file ? formatFromFileName(file.name) : '';
    if (named !== '') setInput((previous) => ({ ...previous, format: named }));
    else if (previouslyNamed !== '' && input.format === previouslyNamed) setInput((previous) => ({ ...previous, format: '' }));
  }

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (!file) {
      setFieldError({ field: 'file', message: 'Choose a file.' });
      return;
    }
    const query = uploadQuery(input);
    if (!query.ok) {
      setFieldError({ field: query.field, message: query.message });
      return;
    }
    setFieldError(null);
    send(file, query.search, uploadContentType(input.format));
  }

  function send(chosen: File, search: string, contentType: string) {
    const total = chosen.size;
    const url = `${UPLOAD_ROUTE}?${search}`;
    const xhr = new XMLHttpRequest();
    request.current = xhr;
    setPhase({ kind: 'sending', sent: 0, total });
    xhr.upload.onprogress = (event) => setPhase({ kind: 'sending', sent: event.loaded, total: event.lengthComputable ? event.total : total });
    // All bytes are out: what is left is the API reading, profiling and storing them.
    xhr.upload.onload = () => setPhase({ kind: 'processing', total });
    xhr.onload = () => {
      request.current = null;
      const body = parseJson(xhr.responseText);
      if (xhr.status >= 200 && xhr.status < 300) {
        const answer = uploadAnswerSchema.safeParse(body);
        if (answer.success) setPhase({ kind: 'done', total, ...answer.data });
        else
          setPhase({
            kind: 'failed',
            total,
            failure: { url, status: xhr.status, code: ErrorCode.INTERNAL, message: `Unexpected answer: ${answer.error.message}` },
          });
        return;
      }
      const error = consoleErrorResponseSchema.safeParse(body);
      setPhase({
        kind: 'failed',
        total,
        failure: error.success ? error.data.error : { url, status: xhr.status, code: ErrorCode.INTERNAL, message: `The console answered HTTP ${xhr.status}.` },
      });
    };
    xhr.onerror = () => {
      request.current = null;
      setPhase({
        kind: 'failed',
        total,
        failure: { url, code: ErrorCode.UNAVAILABLE, message: 'The upload was cut off before the console answered (network error or server restart).' },
      });
    };
    xhr.onabort = () => {
      request.current = null;
      setPhase({ kind: 'cancelled' });
    };
    xhr.open('PUT', url);
    xhr.setRequestHeader('content-type', contentType);
    xhr.setRequestHeader('accept', 'application/json');
    xhr.send(chosen);
  }

  return (
    <div className="space-y-4">
      <form onSubmit={submit} noValidate aria-labelledby="upload-heading" className="space-y-4 rounded-lg border border-slate-200 bg-white p-4 shadow-sm">
        <h2 id="upload-heading" className="text-sm font-semibold text-slate-900">
          Upload a file
        </h2>
        <Field id="upload-file" label="File" error={fieldError?.field === 'file' ? fieldError.message : undefined}>
          <input
            id="upload-file"
            type="file"
            accept=".csv,.tsv,.txt,.parquet,.zip,text/csv,text/plain,application/zip"
            disabled={busy}
            onChange={(event) => choose(event.target.files?.[0] ?? null)}
            className="mt-1 block text-sm file:mr-3 file:rounded-md file:border-0 file:bg-slate-100 file:px-3 file:py-1.5 file:text-sm file:font-medium"
          />
          {file ? (
            <p className="mt-1 text-xs text-slate-600" data-testid="upload-file-size">
              {file.name}: {formatBytes(file.size)}
              {columns.length > 0 ? ` · ${formatCount(columns.length)} columns in the header` : ''}
            </p>
          ) : null}
        </Field>
        <div className="flex flex-wrap gap-4">
          <Field id="upload-name" label="Name" error={fieldError?.field === 'name' ? fieldError.message : undefined}>
            <input
              id="upload-name"
              value={input.name}
              maxLength={256}
              disabled={busy}
              onChange={(event) => setInput({ ...input, name: event.target.value })}
              className="mt-1 w-64 rounded-md border border-slate-300 px-2 py-1.5 text-sm"
            />
          </Field>
          <Field id="upload-format" label="Format" error={fieldError?.field === 'format' ? fieldError.message : undefined}>
            <select
              id="upload-format"
              value={input.format}
              disabled={busy}
              onChange={(event) => setInput({ ...input, format: event.target.value as UploadFormInput['format'] })}
              className="mt-1 w-60 rounded-md border border-slate-300 px-2 py-1.5 text-sm"
            >
              {FORMATS.map((f) => (
                <option key={f.value} value={f.value}>
                  {f.label}
                </option>
              ))}
            </select>
          </Field>
          {table ? null : (
            <Field
              id="upload-image-size"
              label="Image size (height x width x channels)"
              error={fieldError?.field === 'imageSize' ? fieldError.message : undefined}
            >
              <input
                id="upload-image-size"
                value={input.imageSize}
                maxLength={16}
                disabled={busy}
                onChange={(event) => setInput({ ...input, imageSize: event.target.value })}
                className="mt-1 w-40 rounded-md border border-slate-300 px-2 py-1.5 font-mono text-sm"
              />
            </Field>
          )}
          {table ? (
            <Field id="upload-target" label="Target column (optional)" error={fieldError?.field === 'targetColumn' ? fieldError.message : undefined}>
              <input
                id="upload-target"
                list="upload-target-columns"
                value={input.targetColumn}
                maxLength={256}
                disabled={busy}
                onChange={(event) => setInput({ ...input, targetColumn: event.target.value })}
                className="mt-1 w-56 rounded-md border border-slate-300 px-2 py-1.5 font-mono text-sm"
              />
              <datalist id="upload-target-columns">
                {columns.map((column) => (
                  <option key={column} value={column} />
                ))}
              </datalist>
            </Field>
          ) : null}
          {delimited ? (
            <Field id="upload-delimiter" label="Delimiter" error={fieldError?.field === 'delimiter' ? fieldError.message : undefined}>
              <select
                id="upload-delimiter"
                value={input.delimiter}
                disabled={busy}
                onChange={(event) => setInput({ ...input, delimiter: event.target.value })}
                className="mt-1 w-52 rounded-md border border-slate-300 px-2 py-1.5 text-sm"
              >
                {DELIMITERS.map((d) => (
                  <option key={d.value} value={d.value}>
                    {d.label}
                  </option>
                ))}
              </select>
            </Field>
          ) : null}
        </div>
        <p className="text-xs text-slate-600">Column types are detected from the values; change them and the target on the dataset&apos;s page afterwards.</p>
        <div className="flex items-center gap-3">
          <button
            type="submit"
            disabled={busy}
            className="rounded-md bg-slate-900 px-3 py-1.5 text-sm font-medium text-white hover:bg-slate-800 disabled:opacity-50"
          >
            {busy ? 'Uploading…' : 'Upload'}
          </button>
          {busy ? (
            <button
              type="button"
              onClick={() => request.current?.abort()}
              className="rounded-md px-3 py-1.5 text-sm font-medium text-slate-700 ring-1 ring-slate-300 hover:bg-slate-100"
            >
              Cancel upload
            </button>
          ) : null}
        </div>
      </form>
      <UploadStatus phase={phase} />
    </div>
  );
}

function Field({ id, label, error, children }: { id: string; label: string; error?: string; children: ReactNode }) {
  return (
    <div>
      <label htmlFor={id} className="block text-xs font-medium text-slate-700">
        {label}
      </label>
      {children}
      {error ? (
        <p role="alert" data-testid={`${id}-error`} className="mt-1 text-xs text-red-800">
          {error}
        </p>
      ) : null}
    </div>
  );
}

function UploadStatus({ phase }: { phase: Phase }) {
  if (phase.kind === 'idle') return null;
  if (phase.kind === 'cancelled') {
    return (
      <p role="status" data-testid="upload-status" data-state="cancelled" className="text-sm text-slate-700">
        Upload cancelled; nothing was stored.
      </p>
    );
  }
  const sent = phase.kind === 'sending' ? phase.sent : phase.total;
  const percent = phase.kind === 'sending' ? progressPercent(phase.sent, phase.total) : 100;
  return (
    <div className="space-y-3" data-testid="upload-status" data-state={phase.kind}>
      <div>
        <div
          role="progressbar"
          aria-label="Bytes sent"
          aria-valuemin={0}
          aria-valuemax={100}
          aria-valuenow={percent}
          data-testid="upload-progress"
          data-percent={percent}
          className="h-3 w-full overflow-hidden rounded-full bg-slate-200"
        >
          <div className={`h-full rounded-full transition-[width] ${phase.kind === 'failed' ? 'bg-red-500' : 'bg-sky-600'}`} style={{ width: `${percent}%` }} />
        </div>
        <p className="mt-1 text-xs tabular-nums text-slate-700" data-testid="upload-progress-text" aria-live="polite">
          {formatBytes(sent)} of {formatBytes(phase.total)} sent ({percent}%)
          {phase.kind === 'processing' ? ' · the API is profiling and storing the file…' : ''}
        </p>
      </div>
      {phase.kind === 'failed' ? <ApiErrorNotice title="The upload was refused" failure={phase.failure} testId="upload-error" /> : null}
      {phase.kind === 'done' ? (
        <div role="status" data-testid="upload-done" className="rounded-lg border border-emerald-200 bg-emerald-50 p-4 text-sm text-emerald-900">
          <p className="font-semibold">
            {phase.created ? `Stored ${phase.dataset.name}` : `These bytes were already stored as ${phase.dataset.name}`}: {formatCount(phase.dataset.rows)}{' '}
            rows, {formatCount(phase.dataset.columns.length)} columns.
          </p>
          <p className="mt-2">
            <Link href={`/datasets/${phase.dataset.id}`} className="font-medium text-sky-800 underline">
              Open the profile of {phase.dataset.name}
            </Link>
          </p>
        </div>
      ) : null}
    </div>
  );
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
