import { createServer, type IncomingHttpHeaders, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach } from '@jest/globals';

export interface SeenRequest {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

export interface StandInApi {
  /** Every request of the current test, in arrival order; emptied before each test. */
  readonly seen: SeenRequest[];
  /** `http://127.0.0.1:<port>`, known once the suite's beforeAll has run. */
  readonly url: string;
}

/**
 * A real HTTP server on a loopback port standing in for the API (and the serving process) for a whole spec file:
 * the client is tested over real sockets, with answers the real API cannot be made to give on demand. `respond`
 * sees each request once its body has arrived.
 */
export function useStandInApi(respond: (request: SeenRequest, res: ServerResponse) => void): StandInApi {
  const seen: SeenRequest[] = [];
  let server: Server;
  let url = '';
  beforeAll(async () => {
    server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        const request = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks) };
        seen.push(request);
        respond(request, res);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });
  beforeEach(() => {
    seen.length = 0;
  });
  return {
    seen,
    get url() {
      return url;
    },
  };
}

export interface ScriptedAnswer {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

/**
 * A stand-in API that answers from a script, one JSON answer per request; the last answer repeats once the script
 * runs out, so a poll can be left answering "still running" or "unavailable" for as long as it keeps asking.
 */
export function useScriptedApi(): StandInApi & { answers: ScriptedAnswer[] } {
  let answers: ScriptedAnswer[] = [];
  const api = useStandInApi((_request, res) => {
    const answer = answers.length > 1 ? (answers.shift() as ScriptedAnswer) : answers[0];
    res.writeHead(answer.status, { 'content-type': 'application/json', ...(answer.headers ?? {}) });
    res.end(JSON.stringify(answer.body ?? null));
  });
  return {
    seen: api.seen,
    get url() {
      return api.url;
    },
    get answers() {
      return answers;
    },
    set answers(script: ScriptedAnswer[]) {
      answers = script;
    },
  };
}
