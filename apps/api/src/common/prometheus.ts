import type { NextFunction, Request, Response } from 'express';
import { collectDefaultMetrics, Counter, Histogram, Registry } from 'prom-client';

/**
 * `GET /metrics` for Prometheus: process metrics and the API's requests by method, route template and status
 * class. Plain express middleware ahead of the Nest routes, so it is not an API operation (no OpenAPI entry, no
 * token: like /health, what a scraper inside the cluster reads). Route templates, never raw URLs, keep the label
 * set bounded whatever paths clients send.
 */
export function prometheusMiddleware(): (request: Request, response: Response, next: NextFunction) => void {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const requests = new Counter({
    name: 'slipway_api_requests_total',
    help: 'API requests answered, by method, route template and status class',
    labelNames: ['method', 'route', 'status'] as const,
    registers: [registry],
  });
  const duration = new Histogram({
    name: 'slipway_api_request_duration_seconds',
    help: 'Time from request to the end of the answer',
    labelNames: ['method', 'route'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  return (request, response, next) => {
    if (request.path === '/metrics' && request.method === 'GET') {
      void registry.metrics().then(
        (text) => response.status(200).type(registry.contentType).send(text),
        (error: Error) => next(error),
      );
      return;
    }
    const started = performance.now();
    response.once('finish', () => {
      const template = (request.route as { path?: unknown } | undefined)?.path;
      const route = typeof template === 'string' ? `${request.baseUrl}${template}` : 'unmatched';
      requests.inc({ method: request.method, route, status: `${Math.floor(response.statusCode / 100)}xx` });
      duration.observe({ method: request.method, route }, (performance.now() - started) / 1000);
    });
    next();
  };
}
