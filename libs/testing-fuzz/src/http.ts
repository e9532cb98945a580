import { Agent, request } from 'node:http';

export interface RawHttpRequest {
  method: string;
  /** Sent verbatim: no normalisation of `..`, no re-encoding of `%`. */
  path: string;
  headers: Record<string, string>;
  body?: Buffer;
}

export interface RawHttpResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
  ms: number;
}

const agent = new Agent({ keepAlive: true, maxSockets: 4 });

/** One request over node:http (fetch would normalise the path and re-encode the body). */
export function sendRaw(baseUrl: string, req: RawHttpRequest, timeoutMs = 30_000): Promise<RawHttpResponse> {
  const url = new URL(baseUrl);
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const headers = { ...req.headers };
    if (req.body !== undefined) headers['content-length'] = String(req.body.length);
    const outgoing = request({ host: url.hostname, port: url.port, method: req.method, path: req.path, headers, agent, timeout: timeoutMs }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8'), ms: Date.now() - started }),
      );
      res.on('error', reject);
    });
    outgoing.on('timeout', () => outgoing.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    outgoing.on('error', reject);
    outgoing.end(req.body);
  });
}

export function closeHttpAgent(): void {
  agent.destroy();
}
