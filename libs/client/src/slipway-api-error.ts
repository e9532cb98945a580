import { ErrorCode, errorResponseSchema, type FieldError } from '@slipway/contracts';

/**
 * Every failure the client reports: the API's error body (`code`, `message`, `fields`, `requestId`) with the
 * HTTP status and the URL requested. When the API could not be reached or answered something that is not a
 * Slipway error, the code is UNAVAILABLE or INTERNAL and `status` is 0 or the HTTP status received.
 */
export class SlipwayApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: ErrorCode,
    message: string,
    readonly fields: FieldError[] = [],
    readonly requestId?: string,
    /** The URL requested, when known: the console shows it next to the message. */
    readonly url?: string,
  ) {
    super(message);
    this.name = 'SlipwayApiError';
  }

  /** Builds the error from a non-2xx response; the body is read here. */
  static async fromResponse(response: Response, url = response.url || undefined): Promise<SlipwayApiError> {
    const text = await response.text().catch(() => '');
    return SlipwayApiError.fromBody(response.status, text, response.headers.get('x-request-id') ?? undefined, url);
  }

  static fromBody(status: number, body: unknown, requestIdHeader?: string, url?: string): SlipwayApiError {
    let parsed: unknown = body;
    if (typeof body === 'string') {
      try {
        parsed = JSON.parse(body);
      } catch {
        parsed = undefined;
      }
    }
    const error = errorResponseSchema.safeParse(parsed);
    if (error.success) {
      const { code, message, fields, requestId } = error.data.error;
      return new SlipwayApiError(status, code, message, fields ?? [], requestId ?? requestIdHeader, url);
    }
    const snippet = typeof body === 'string' ? body.slice(0, 200) : '';
    return new SlipwayApiError(
      status,
      status >= 500 ? ErrorCode.UNAVAILABLE : ErrorCode.INTERNAL,
      `HTTP ${status} without a Slipway error body${snippet ? `: ${snippet}` : ''}`,
      [],
      requestIdHeader,
      url,
    );
  }

  /**
   * The request never got an answer (refused, reset, DNS, timeout). `baseUrl` is named in the message,
   * `requestUrl` (the full URL) kept in `url`; `timeoutMs` is what a TimeoutError waited for.
   */
  static unreachable(baseUrl: string, cause: unknown, options: { requestUrl?: string; timeoutMs?: number } = {}): SlipwayApiError {
    // Read by shape, not `instanceof Error`: fetch's errors come from Node's realm, which is not this
    // module's when it runs inside a VM context (a test runner's sandbox, an edge runtime).
    const failure =
      typeof cause === 'object' && cause !== null
        ? (cause as { name?: unknown; message?: unknown; cause?: { code?: unknown; toString(): string } | null })
        : undefined;
    const inner = failure?.cause ?? undefined;
    const reason =
      failure?.name === 'TimeoutError' && options.timeoutMs !== undefined
        ? `no answer within ${options.timeoutMs} ms`
        : failure
          ? String((typeof inner?.code === 'string' ? inner.code : inner?.toString()) ?? failure.message)
          : String(cause);
    const error = new SlipwayApiError(0, ErrorCode.UNAVAILABLE, `cannot reach the Slipway API at ${baseUrl}: ${reason}`, [], undefined, options.requestUrl);
    error.cause = cause;
    return error;
  }

  /** One line for people: `NOT_FOUND: model "x" not found (body.name: …) [request 1b2c…]`. */
  describe(): string {
    // Field problems the message does not already name.
    const extra = this.fields.map((f) => `${f.field}: ${f.message}`).filter((text) => !this.message.includes(text));
    const fields = extra.length > 0 ? ` (${extra.join('; ')})` : '';
    const request = this.requestId ? ` [request ${this.requestId}]` : '';
    return `${this.code}: ${this.message}${fields}${request}`;
  }
}

/** The bytes the server stored are not the bytes this client sent or received (sha256 differs). */
export class SlipwayIntegrityError extends Error {
  constructor(
    readonly what: string,
    readonly expectedSha256: string,
    readonly actualSha256: string,
  ) {
    super(`${what}: sha256 ${actualSha256} does not match the expected ${expectedSha256}`);
    this.name = 'SlipwayIntegrityError';
  }
}
