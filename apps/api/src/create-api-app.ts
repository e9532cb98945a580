import { randomUUID } from 'node:crypto';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import type { NextFunction, Request, Response } from 'express';
import { cleanupOpenApiDoc } from 'nestjs-zod';
import { platformVersion, type PlatformConfig } from '@slipway/config';
import { AppModule } from './app.module';
import { answerClientErrors, corsOriginCheck, isJsonMediaType, JsonBodyInterceptor, jsonBodyChecks, securityHeaders } from './common/http-edge';
import { prometheusMiddleware } from './common/prometheus';

const STREAMED_UPLOADS = [/^\/api\/v1\/runs\/[^/]+\/artifacts\//, /^\/api\/v1\/models\/[^/]+\/versions\/[^/]+\/files\//, /^\/api\/v1\/datasets\/?(\?|$)/];

function isStreamedUpload(request: Request): boolean {
  return request.method === 'PUT' && STREAMED_UPLOADS.some((route) => route.test(request.url));
}

/** Builds the API application (used by main.ts and by the HTTP tests, which listen on port 0). */
export async function createApiApp(config: PlatformConfig, options: { logger?: false } = {}): Promise<NestExpressApplication> {
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forConfig(config), {
    logger: options.logger === false ? false : ['error', 'warn', 'log'],
    // Registered below, after the request-id middleware, so body-parser errors carry the id too.
    bodyParser: false,
  });
  app.enableShutdownHooks();
  answerClientErrors(app.getHttpServer());
  // Express announces itself in every answer; that tells an attacker which bugs to try and a client nothing.
  app.disable('x-powered-by');
  app.use(securityHeaders);
  app.use(prometheusMiddleware());
  app.enableCors({
    origin: corsOriginCheck(config.corsOrigins),
    credentials: false,
    // What a browser client may read from an answer besides the CORS-safelisted headers.
    exposedHeaders: ['x-request-id', 'retry-after', 'etag', 'x-slipway-sha256', 'content-disposition', 'allow'],
    maxAge: 600,
  });
  // Every request carries an id, echoed back and written into error bodies and audit entries.
  app.use((request: Request, response: Response, next: NextFunction) => {
    const incoming = request.headers['x-request-id'];
    const id = typeof incoming === 'string' && /^[\w.-]{1,64}$/.test(incoming) ? incoming : randomUUID();
    request.headers['x-request-id'] = id;
    response.setHeader('x-request-id', id);
    next();
  });
  // Uploads stream their raw body to the object store whatever its content type (a model.json artifact
  // is JSON too), so the body parser must leave those requests alone. JSON is the only body the other routes
  // read (JsonBodyInterceptor answers 415 to anything else), so there is no form parser.
  app.useBodyParser('json', { limit: '10mb', type: (request: Request) => !isStreamedUpload(request) && isJsonMediaType(request.headers['content-type']) });
  app.use(jsonBodyChecks);
  app.useGlobalInterceptors(new JsonBodyInterceptor());
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Slipway API')
      .setDescription('Model registry, experiment tracking, tuning, deployments and serving.')
      .setVersion(platformVersion())
      .addBearerAuth({ type: 'http', scheme: 'bearer', description: 'API token' })
      .build(),
  );
  SwaggerModule.setup('docs', app, cleanupOpenApiDoc(document), { jsonDocumentUrl: 'docs-json', customSiteTitle: 'Slipway API' });
  return app;
}
