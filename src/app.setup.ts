import { INestApplication, RequestMethod } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { Logger } from 'nestjs-pino';
import { AllExceptionsFilter } from './common/http/all-exceptions.filter';
import { createValidationPipe } from './common/http/validation';

export const API_PREFIX = 'api/v1';

/** Everything main.ts and the end-to-end suites share, so tests run the app as production does. */
export function configureApp(app: INestApplication): INestApplication {
  app.useLogger(app.get(Logger));
  app.setGlobalPrefix(API_PREFIX, {
    exclude: [{ path: 'health', method: RequestMethod.GET }],
  });
  app.useGlobalPipes(createValidationPipe());
  app.useGlobalFilters(new AllExceptionsFilter());
  app.enableShutdownHooks();

  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Cadre LMS — Hệ thống đào tạo cán bộ công đoàn')
      .setDescription(
        'Training, competencies and cadre planning for Vietnamese trade-union cadres. ' +
          'Every route declares its permission (x-permission). Errors: ' +
          '{ statusCode, error, code, message, details[] }; messages in Vietnamese, or English ' +
          'with Accept-Language: en.',
      )
      .setVersion('1')
      .addBearerAuth()
      .build(),
  );
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs-json' });
  return app;
}
