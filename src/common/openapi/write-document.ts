import { NestFactory } from '@nestjs/core';
import type { OpenAPIObject } from '@nestjs/swagger';
import { AppModule } from '../../app.module';
import { setApiPrefix } from '../../app.setup';
import { createApiDocument } from './document';

/**
 * The document built from the app's modules without starting anything: preview mode scans the
 * modules and controllers but creates no provider, so no database, configuration or port is
 * needed, and it takes about a second.
 */
export async function buildApiDocumentOffline(): Promise<OpenAPIObject> {
  const app = await NestFactory.create(AppModule, {
    preview: true,
    logger: false,
    abortOnError: false,
  });
  try {
    setApiPrefix(app);
    return createApiDocument(app);
  } finally {
    await app.close();
  }
}

/** The committed form: two-space JSON and a final newline, as prettier leaves it. */
export function serializeApiDocument(document: OpenAPIObject): string {
  return `${JSON.stringify(document, null, 2)}\n`;
}
