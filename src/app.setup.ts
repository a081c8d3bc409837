import { INestApplication, RequestMethod } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import helmet from 'helmet';
import { SwaggerModule } from '@nestjs/swagger';
import { Logger } from 'nestjs-pino';
import { AllExceptionsFilter } from './common/http/all-exceptions.filter';
import { useBodyParsers } from './common/http/request-body';
import { createValidationPipe } from './common/http/validation';
import { createApiDocument } from './common/openapi/document';
import { APP_CONFIG, AppConfig } from './config/app-config';

export const API_PREFIX = 'api/v1';

/** The API under /api/v1, /health beside it: the routes as served and as documented. */
export function setApiPrefix(app: INestApplication): void {
  app.setGlobalPrefix(API_PREFIX, {
    exclude: [{ path: 'health', method: RequestMethod.GET }],
  });
}

/** Everything main.ts and the end-to-end suites share, so tests run the app as production does. */
export function configureApp(app: INestApplication): INestApplication {
  app.useLogger(app.get(Logger));
  const config = app.get<AppConfig>(APP_CONFIG);
  // Behind a load balancer req.ip is the client only when the proxies in front are trusted;
  // trusting by default would let any caller pick the address the rate limits count.
  const express = app.getHttpAdapter().getInstance() as { set(name: string, value: unknown): void };
  express.set('trust proxy', config.trustProxy);
  app.use(securityHeaders());
  if (config.corsOrigins.length) {
    // Only the listed origins get CORS headers; any other origin gets none and the browser
    // refuses the answer. Bearer tokens, not cookies: no credentials mode.
    app.enableCors({ origin: config.corsOrigins, maxAge: 600 });
  }
  // After CORS, as Nest would place them, so a refused body still carries the CORS headers.
  useBodyParsers(app);
  setApiPrefix(app);
  app.useGlobalPipes(createValidationPipe());
  app.useGlobalFilters(new AllExceptionsFilter());
  app.enableShutdownHooks();

  const document = createApiDocument(app);
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs-json' });
  return app;
}

/**
 * helmet's defaults everywhere; under /docs the Swagger UI needs inline styles and script and
 * data: images, so only there the content security policy allows them.
 */
function securityHeaders() {
  const strict = helmet();
  const docs = helmet({
    contentSecurityPolicy: {
      directives: {
        'script-src': ["'self'", "'unsafe-inline'"],
        'style-src': ["'self'", "'unsafe-inline'"],
        'img-src': ["'self'", 'data:', 'https:'],
      },
    },
  });
  return (req: Request, res: Response, next: NextFunction) =>
    (req.path === '/docs' || req.path.startsWith('/docs/') ? docs : strict)(req, res, next);
}
