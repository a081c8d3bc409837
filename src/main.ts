import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { NestExpressApplication } from '@nestjs/platform-express';
import { AppModule } from './app.module';
import { configureApp } from './app.setup';
import { ConfigError, loadConfig } from './config/app-config';
import { checkDatabaseUrl } from './database/check-connection';

async function bootstrap(): Promise<void> {
  const config = loadConfig();
  if (config.databaseUrl) await checkDatabaseUrl(config.databaseUrl);
  const app = await NestFactory.create<NestExpressApplication>(AppModule, { bufferLogs: true });
  configureApp(app);
  await app.listen(config.port);
  const where = config.databaseUrl ? 'PostgreSQL' : `embedded PGlite (${config.dataDir})`;
  console.log(
    `Cadre LMS on http://localhost:${config.port} — API docs at /docs — database: ${where}`,
  );
  if (config.jwtSecretGenerated) {
    console.log('JWT_SECRET is not set: tokens are signed with a key that lasts until restart.');
  }
}

bootstrap().catch((error: unknown) => {
  // One clear line for the known start-up failures; the stack only for the unknown ones.
  if (error instanceof ConfigError || (error as { startup?: boolean })?.startup) {
    console.error(`Không khởi động được / cannot start: ${(error as Error).message}`);
  } else {
    console.error(error);
  }
  process.exit(1);
});
