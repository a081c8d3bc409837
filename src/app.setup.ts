import { INestApplication, RequestMethod } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import cookieParser from 'cookie-parser';
import { static as serveStatic } from 'express';
import helmet from 'helmet';
import { SwaggerModule } from '@nestjs/swagger';
import { Logger } from 'nestjs-pino';
import { useAutosaveFastPath } from './assessments/autosave-fast-path';
import { AllExceptionsFilter } from './common/http/all-exceptions.filter';
import { useBodyParsers } from './common/http/request-body';
import { createValidationPipe } from './common/http/validation';
import { createApiDocument } from './common/openapi/document';
import { APP_CONFIG, AppConfig } from './config/app-config';
import { ASSETS_DIR, ASSETS_PATH, PAGE_ROOTS, verifyPageRewrite } from './portal/portal-routes';

export const API_PREFIX = 'api/v1';

/**
 * The API under /api/v1; /health and the portal's pages (src/portal) beside it: the routes as
 * served and as documented.
 */
export function setApiPrefix(app: INestApplication): void {
  app.setGlobalPrefix(API_PREFIX, {
    exclude: [
      { path: 'health', method: RequestMethod.GET },
      { path: '/', method: RequestMethod.GET },
      ...PAGE_ROOTS.map((root) => ({ path: `${root}{/*rest}`, method: RequestMethod.ALL })),
    ],
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
  app.use(securityHeaders(config.env === 'production'));
  // The portal's stylesheet and script: their URLs carry a hash of their content (see
  // PageRenderer), so a browser may keep them for a year.
  app.use(
    ASSETS_PATH,
    serveStatic(ASSETS_DIR, { immutable: true, maxAge: '365d', index: false, redirect: false }),
  );
  app.use(verifyPageRewrite);
  // Only the portal reads cookies (its session and CSRF token); the API takes bearer tokens.
  app.use(cookieParser());
  if (config.corsOrigins.length) {
    // Only the listed origins get CORS headers; any other origin gets none and the browser
    // refuses the answer. Bearer tokens, not cookies: no credentials mode.
    app.enableCors({ origin: config.corsOrigins, maxAge: 600 });
  }
  // After CORS, as Nest would place them, so a refused body still carries the CORS headers.
  useBodyParsers(app);
  // The exam's everyday autosave, before the router; anything else goes on to it.
  useAutosaveFastPath(app, API_PREFIX);
  setApiPrefix(app);
  app.useGlobalPipes(createValidationPipe());
  app.useGlobalFilters(new AllExceptionsFilter());
  app.enableShutdownHooks();

  const document = createApiDocument(app);
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs-json' });
  return app;
}

/**
 * A strict content security policy everywhere (the portal has no inline script or style, and
 * loads everything from its own origin); under /docs the Swagger UI needs inline styles and
 * script and data: images, so only there the policy allows them.
 */
function securityHeaders(production: boolean) {
  const strict = helmet({
    contentSecurityPolicy: {
      directives: {
        'default-src': ["'self'"],
        'script-src': ["'self'"],
        'style-src': ["'self'"],
        'img-src': ["'self'", 'data:'],
        'font-src': ["'self'"],
        'form-action': ["'self'"],
        'frame-ancestors': ["'none'"],
        'object-src': ["'none'"],
        'base-uri': ["'self'"],
        // Behind TLS in production; a developer's http://localhost must not be sent to https.
        'upgrade-insecure-requests': production ? [] : null,
      },
    },
  });
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
