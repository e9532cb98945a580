import 'server-only';
import { SlipwayApiError } from '@slipway/client';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { Readable } from 'node:stream';
import type { ReadableStream as NodeReadableStream } from 'node:stream/web';

export interface StreamedAnswer {
  status: number;
  requestId?: string;
  /** The answer's body, parsed as JSON (undefined when it is not JSON): upload answers are small views or errors. */
  body: unknown;
}

/**
 * Sends `body` to the API as it arrives, through node:http rather than fetch: undici's fetch keeps every chunk of a
 * streamed request body in memory until the request ends (nodejs/undici#4058, seen here as ~1 GiB resident for a
 * 1 GiB upload), which would make the console's server hold the whole file after all. node:http writes with
 * backpressure and lets each chunk go once it is on the socket.
 *
 * An answer that comes before the body is all sent (the API refusing an over-limit upload at once) is returned as
 * it is; the rest of the body is then dropped. Failing to reach the API is a SlipwayApiError (UNAVAILABLE), as
 * with every other call.
 */
export function streamToApi(
  url: string,
  init: { method: 'PUT' | 'POST'; headers: Record<string, string>; body: ReadableStream<Uint8Array>; signal?: AbortSignal; baseUrl: string },
): Promise<StreamedAnswer> {
  const target = new URL(url);
  const send = target.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise<StreamedAnswer>((resolve, reject) => {
    let settled = false;
    let answered = false;
    const fail = (error: unknown) => {
      if (settled) return;
      settled = true;
      const cause = error as { name?: string; message?: string; code?: string };
      reject(
        SlipwayApiError.unreachable(
          init.baseUrl,
          { name: cause?.name, message: cause?.message ?? String(error), cause: { code: cause?.code } },
          { requestUrl: url },
        ),
      );
    };
    const source = Readable.fromWeb(init.body as NodeReadableStream<Uint8Array>);
    const outgoing = send(target, { method: init.method, headers: init.headers, signal: init.signal }, (response: IncomingMessage) => {
      answered = true;
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('error', fail);
      response.on('end', () => {
        if (settled) return;
        settled = true;
        // Answered early: what the browser still sends has nowhere to go.
        if (!source.readableEnded) source.destroy();
        const text = Buffer.concat(chunks).toString('utf8');
        let body: unknown;
        try {
          body = text === '' ? undefined : (JSON.parse(text) as unknown);
        } catch {
          body = undefined;
        }
        const requestId = response.headers['x-request-id'];
        resolve({ status: response.statusCode ?? 0, requestId: typeof requestId === 'string' ? requestId : undefined, body });
      });
    });
    outgoing.on('error', (error) => {
      // A write cut off by the API's early answer (EPIPE, ECONNRESET) is not a failure once that answer is in.
      if (answered) return;
      fail(error);
    });
    source.on('error', (error) => {
      // The browser went away mid-upload: stop the request so the API discards what it received.
      outgoing.destroy(error);
      fail(error);
    });
    source.pipe(outgoing);
  });
}
