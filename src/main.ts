import 'reflect-metadata';
import { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { NestExpressApplication } from '@nestjs/platform-express';
import { AppModule } from './app.module';
import { configureApp } from './app.setup';
import { AppConfig, ConfigError, loadConfig } from './config/app-config';
import { checkDatabaseUrl } from './database/check-connection';

/**
 * Starts the service: configuration first (a production start refuses the demo conveniences
 * before anything opens), then the database (the schema step: see database/schema.ts), then
 * HTTP. Exported for the deployment suite, which starts it under different environments.
 */
export async function bootstrap(): Promise<{ app: INestApplication; config: AppConfig }> {
  const config = loadConfig();
  if (config.databaseUrl) await checkDatabaseUrl(config.databaseUrl);
  const app = await NestFactory.create<NestExpressApplication>(AppModule, {
    bufferLogs: true,
    abortOnError: false,
  });
  try {
    configureApp(app);
    await app.listen(config.port);
  } catch (error) {
    await app.close().catch(() => undefined);
    throw error;
  }
  return { app, config };
}

/** The one line a known start-up refusal prints; null for an unknown failure (print the stack). */
export function startupFailureLine(error: unknown): string | null {
  if (error instanceof ConfigError || (error as { startup?: boolean } | null)?.startup) {
    return `Không khởi động được / cannot start: ${(error as Error).message}`;
  }
  return null;
}

if (require.main === module) {
  bootstrap()
    .then(({ config }) => {
      const where = config.databaseUrl ? 'PostgreSQL' : `embedded PGlite (${config.dataDir})`;
      console.log(
        `Cadre LMS on http://localhost:${config.port} — API docs at /docs — database: ${where}`,
      );
      if (config.jwtSecretGenerated) {
        console.log(
          'JWT_SECRET is not set: tokens are signed with a key that lasts until restart.',
        );
      }
    })
    .catch((error: unknown) => {
      // One clear line for the known start-up failures; the stack only for the unknown ones.
      const line = startupFailureLine(error);
      console.error(line ?? error);
      process.exit(1);
    });
}
