import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { Readable } from 'node:stream';
import type { ReadableStream as NodeReadableStream } from 'node:stream/web';

/**
 * A `fetch` for request bodies that are streams, over node:http. Undici's fetch keeps every chunk of a streamed
 * request body in memory until the request ends (nodejs/undici#4058), so `fetch(url, { body: stream })` holds a
 * whole 2 GiB dataset upload in RAM; node:http writes with backpressure and lets each chunk go once it is on the
 * socket. Only uploads use it; every other call goes through the client's ordinary fetch.
 *
 * An answer that arrives before the body is all sent (the API refusing an over-limit upload at once) resolves
 * the call; the rest of the body is dropped. The answer's own body streams (downloads are not buffered either).
 */
export function streamingFetch(input: string | URL | Request, init: RequestInit = {}): Promise<Response> {
  const target = new URL(typeof input === 'string' || input instanceof URL ? input : input.url);
  const send = target.protocol === 'https:' ? httpsRequest : httpRequest;
  const headers: Record<string, string> = {};
  new Headers(init.headers).forEach((value, key) => (headers[key] = value));
  return new Promise<Response>((resolve, reject) => {
    let answered = false;
    const source =
      init.body === undefined || init.body === null
        ? null
        : init.body instanceof ReadableStream
          ? Readable.fromWeb(init.body as NodeReadableStream<Uint8Array>)
          : Readable.from([typeof init.body === 'string' ? Buffer.from(init.body) : Buffer.from(init.body as ArrayBuffer)]);
    const outgoing = send(target, { method: init.method ?? 'GET', headers, signal: init.signal ?? undefined }, (response: IncomingMessage) => {
      answered = true;
      // Answered early: what is left of the body has nowhere to go.
      if (source && !source.readableEnded) source.unpipe(outgoing).destroy();
      const responseHeaders = new Headers();
      for (const [key, value] of Object.entries(response.headers)) {
        if (value === undefined) continue;
        for (const v of Array.isArray(value) ? value : [value]) responseHeaders.append(key, v);
      }
      const status = response.statusCode ?? 0;
      const noBody = status === 204 || status === 304 || init.method === 'HEAD';
      resolve(
        new Response(noBody ? null : (Readable.toWeb(response) as unknown as ReadableStream<Uint8Array>), {
          status,
          statusText: response.statusMessage,
          headers: responseHeaders,
        }),
      );
    });
    outgoing.on('error', (error) => {
      // A write cut off by the server's early answer (EPIPE, ECONNRESET) is not a failure once that answer is in.
      if (!answered) reject(new TypeError('fetch failed', { cause: error }));
    });
    if (!source) {
      outgoing.end();
      return;
    }
    source.on('error', (error) => {
      outgoing.destroy(error);
      if (!answered) reject(error);
    });
    source.pipe(outgoing);
  });
}
