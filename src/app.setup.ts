import { INestApplication, RequestMethod } from '@nestjs/common';
import { SwaggerModule } from '@nestjs/swagger';
import { Logger } from 'nestjs-pino';
import { AllExceptionsFilter } from './common/http/all-exceptions.filter';
import { createValidationPipe } from './common/http/validation';
import { createApiDocument } from './common/openapi/document';

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
  setApiPrefix(app);
  app.useGlobalPipes(createValidationPipe());
  app.useGlobalFilters(new AllExceptionsFilter());
  app.enableShutdownHooks();

  const document = createApiDocument(app);
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs-json' });
  return app;
}
